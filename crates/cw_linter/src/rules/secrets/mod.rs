//! Secret detection rules (`SEC`), run on the raw text of every file the scan reads.
//!
//! The text is read once per file: [`TextInput::new`] runs one Aho-Corasick pass over every
//! detector's keywords and prefixes, each hit is checked by its detector (structure, length,
//! character set, checksum, context, placeholder gate), overlapping candidates are settled in favour
//! of the most specific detector, and each rule then reports its own detector's candidates.

use std::ops::Range;

use cw_diagnostics::TextRange;

use crate::FileKind;
use crate::RuleCtx;
use crate::input::{InputKind, RuleInput};

mod assign;
mod scan;
mod support;

mod aws_access_key_id;
pub use aws_access_key_id::AwsAccessKeyId;
mod aws_secret_access_key;
pub use aws_secret_access_key::AwsSecretAccessKey;
mod private_key;
pub use private_key::PrivateKey;
mod github_token;
pub use github_token::GithubToken;
mod gitlab_token;
pub use gitlab_token::GitlabToken;
mod gcp_service_account_key;
pub use gcp_service_account_key::GcpServiceAccountKey;
mod azure_storage_key;
pub use azure_storage_key::AzureStorageKeyOrConnectionString;
mod slack_token;
pub use slack_token::SlackTokenOrWebhook;
mod stripe_secret_key;
pub use stripe_secret_key::StripeSecretKey;
mod package_registry_token;
pub use package_registry_token::PackageRegistryToken;
mod docker_config_auth;
pub use docker_config_auth::DockerConfigAuth;
mod kubeconfig_credentials;
pub use kubeconfig_credentials::KubeconfigCredentials;
mod credentials_in_url;
pub use credentials_in_url::CredentialsInUrl;
mod generic_secret_assignment;
pub use generic_secret_assignment::GenericSecretAssignment;

/// The text of a file, whatever its format. Rules read the text through
/// [`RuleCtx::source`](crate::RuleCtx::source); the secrets found in it are computed once, here.
#[derive(Debug)]
pub struct TextInput {
    /// The file's format (`FileKind::Text` for a file no other format claims).
    pub kind: FileKind,
    /// The file is documentation (Markdown, reStructuredText, AsciiDoc), where example values live.
    pub documentation: bool,
    /// The file is test code by its name (`*_test.go`, `test_*.py`, `*.test.ts`, `FooTest.java`),
    /// where fixture values live.
    pub test: bool,
    /// The file is a package manager's lock file (`yarn.lock`, `package-lock.json`, `go.sum`):
    /// package names, versions and integrity hashes.
    pub lockfile: bool,
    found: Vec<Candidate>,
}

impl TextInput {
    pub fn new(text: &str, kind: FileKind) -> Self {
        Self {
            kind,
            documentation: false,
            test: false,
            lockfile: false,
            found: scan::scan(text),
        }
    }

    /// The input for the file at `path`.
    pub fn for_file(path: &str, text: &str, kind: FileKind) -> Self {
        let lower = path.to_ascii_lowercase();
        let documentation = [".md", ".markdown", ".mdx", ".rst", ".adoc", ".asciidoc"]
            .iter()
            .any(|ext| lower.ends_with(ext));
        // Only the file name: the directories above the scanned tree may be called anything.
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        Self {
            documentation,
            test: is_test_file(name),
            lockfile: is_lockfile(name),
            ..Self::new(text, kind)
        }
    }

    /// Reports the candidates of `detector`: at the candidate's range, with the secret masked in
    /// every code frame.
    fn report(&self, detector: Detector, ctx: &mut RuleCtx, help: &str) {
        let base = ctx.base();
        for c in self.found.iter().filter(|c| c.detector == detector) {
            let secret = TextRange::from(c.secret.clone()).shift(base);
            let finding = ctx
                .report(
                    TextRange::from(c.range.clone()).shift(base),
                    c.message.clone(),
                )
                .redact(secret)
                .help(help);
            if let Some((range, message)) = &c.label {
                let range = TextRange::from(range.clone()).shift(base);
                finding.label(range, *message).redact(range);
            }
        }
    }
}

/// Extensions of code whose test files are named `*.test.EXT` or `*.spec.EXT`.
const JS_EXTENSIONS: [&str; 8] = ["js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts"];

/// Whether a file name is a test file's by the conventions of its language: Go `*_test.go`,
/// Python `test_*.py`, `*_test.py` and `conftest.py`, JavaScript and TypeScript `*.test.ts` and
/// `*.spec.js`, Ruby `*_spec.rb` and `*_test.rb`, C and C++ `*_test.cc` and `*_unittest.cc`,
/// Java, Kotlin, Scala, C#, PHP and Swift `FooTest.java`, `FooTests.cs`, `FooSpec.scala`.
fn is_test_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some((stem, ext)) = lower.rsplit_once('.') else {
        return false;
    };
    match ext {
        "go" | "rb" | "c" | "cc" | "cpp" | "cxx" | "exs" | "dart" => {
            stem.ends_with("_test") || stem.ends_with("_spec") || stem.ends_with("_unittest")
        }
        "py" => stem.starts_with("test_") || stem.ends_with("_test") || stem == "conftest",
        _ if JS_EXTENSIONS.contains(&ext) => {
            matches!(stem.rsplit_once('.'), Some((_, "test" | "spec")))
        }
        "java" | "kt" | "scala" | "groovy" | "cs" | "php" | "swift" => {
            // Case matters: `LatestTest.java` is a test, `Contest.java` is not.
            let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
            ["Test", "Tests", "Spec", "IT"].iter().any(|suffix| {
                stem.strip_suffix(suffix)
                    .and_then(|head| head.chars().last())
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            })
        }
        _ => false,
    }
}

/// Whether a file name is a package manager's lock file.
fn is_lockfile(name: &str) -> bool {
    const NAMES: [&str; 4] = [
        "go.sum",
        "package.resolved",
        "npm-shrinkwrap.json",
        "gradle.lockfile",
    ];
    let lower = name.to_ascii_lowercase();
    if NAMES.contains(&lower.as_str()) {
        return true;
    }
    // `yarn.lock`, `Cargo.lock`; `package-lock.json`, `pnpm-lock.yaml`, `packages.lock.json`,
    // `.terraform.lock.hcl`.
    match lower.rsplit_once('.') {
        Some((_, "lock")) => true,
        Some((stem, "json" | "yaml" | "yml" | "hcl")) => {
            matches!(stem.strip_suffix("lock"), Some(head) if head.ends_with(['-', '.']))
        }
        _ => false,
    }
}

impl RuleInput for TextInput {
    const KIND: InputKind = InputKind::Text;
}

/// Which rule a candidate belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Detector {
    AwsAccessKeyId,
    AwsSecretAccessKey,
    PrivateKey,
    GithubToken,
    GitlabToken,
    GcpServiceAccountKey,
    AzureStorageKey,
    SlackToken,
    StripeSecretKey,
    PackageRegistryToken,
    DockerConfigAuth,
    KubeconfigCredentials,
    CredentialsInUrl,
    GenericSecretAssignment,
}

impl Detector {
    /// When candidates overlap, the lowest rank wins: a container format that holds the secret
    /// (service account file, kubeconfig, Docker config, connection string) over the key or token
    /// inside it, a token format over the AWS secret key found by context, and these over the
    /// generic URL and assignment detectors.
    fn rank(self) -> u8 {
        match self {
            Detector::GcpServiceAccountKey
            | Detector::KubeconfigCredentials
            | Detector::DockerConfigAuth
            | Detector::AzureStorageKey => 0,
            Detector::AwsAccessKeyId
            | Detector::PrivateKey
            | Detector::GithubToken
            | Detector::GitlabToken
            | Detector::SlackToken
            | Detector::StripeSecretKey
            | Detector::PackageRegistryToken => 1,
            Detector::AwsSecretAccessKey => 2,
            Detector::CredentialsInUrl => 3,
            Detector::GenericSecretAssignment => 4,
        }
    }
}

/// A secret found in the text.
#[derive(Debug, Clone)]
struct Candidate {
    detector: Detector,
    /// Where the finding points.
    range: Range<usize>,
    /// The secret itself (masked in code frames; never in the message).
    secret: Range<usize>,
    message: String,
    /// A related secret (the AWS secret key of a key ID), masked as well.
    label: Option<(Range<usize>, &'static str)>,
}

impl Candidate {
    /// Everything the candidate covers.
    fn extent(&self) -> Range<usize> {
        self.range.start.min(self.secret.start)..self.range.end.max(self.secret.end)
    }
}

#[cfg(test)]
mod tests;
