//! The single pass over a file's text: one Aho-Corasick automaton over every detector's keywords
//! and prefixes, then each hit goes to its detector.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::support::find;
use super::{
    Candidate, Detector, assign, aws_access_key_id, aws_secret_access_key, azure_storage_key,
    credentials_in_url, docker_config_auth, gcp_service_account_key, generic_secret_assignment,
    github_token, gitlab_token, kubeconfig_credentials, package_registry_token, private_key,
    slack_token, stripe_secret_key,
};

/// A detector's entry point: the scan and the byte range of the keyword that was hit.
type Hook = fn(&mut Scan, usize, usize);

/// Every keyword, whether it must match case-sensitively (the automaton itself ignores ASCII case;
/// case-sensitive hits are checked afterwards), and the detector it wakes.
const PATTERNS: &[(&str, bool, Hook)] = &[
    ("AKIA", true, aws_access_key_id::detect),
    ("ASIA", true, aws_access_key_id::detect),
    ("ghp_", true, github_token::detect),
    ("gho_", true, github_token::detect),
    ("ghu_", true, github_token::detect),
    ("ghs_", true, github_token::detect),
    ("ghr_", true, github_token::detect),
    ("github_pat_", true, github_token::detect),
    ("glpat-", true, gitlab_token::detect),
    ("gldt-", true, gitlab_token::detect),
    ("glrt-", true, gitlab_token::detect),
    ("glcbt-", true, gitlab_token::detect),
    ("glptt-", true, gitlab_token::detect),
    ("glft-", true, gitlab_token::detect),
    ("glimt-", true, gitlab_token::detect),
    ("glagent-", true, gitlab_token::detect),
    ("gloas-", true, gitlab_token::detect),
    ("glsoat-", true, gitlab_token::detect),
    ("glffct-", true, gitlab_token::detect),
    ("GR1348941", true, gitlab_token::detect),
    ("xoxa-", true, slack_token::detect),
    ("xoxb-", true, slack_token::detect),
    ("xoxp-", true, slack_token::detect),
    ("xoxo-", true, slack_token::detect),
    ("xoxs-", true, slack_token::detect),
    ("xoxr-", true, slack_token::detect),
    ("xoxe-", true, slack_token::detect),
    ("xoxe.", true, slack_token::detect),
    ("hooks.slack.com/", false, slack_token::detect_webhook),
    ("sk_live_", true, stripe_secret_key::detect),
    ("rk_live_", true, stripe_secret_key::detect),
    ("npm_", true, package_registry_token::detect),
    ("pypi-AgEIcHlwaS5vcmc", true, package_registry_token::detect),
    (
        "pypi-AgENdGVzdC5weXBpLm9yZw",
        true,
        package_registry_token::detect,
    ),
    ("rubygems_", true, package_registry_token::detect),
    ("oy2", true, package_registry_token::detect),
    ("dckr_pat_", true, package_registry_token::detect),
    ("-----BEGIN ", true, private_key::detect),
    ("LS0tLS1CRUdJTi", true, private_key::detect_base64),
    ("service_account", true, gcp_service_account_key::detect),
    ("AccountKey=", false, azure_storage_key::detect),
    ("SharedAccessKey=", false, azure_storage_key::detect),
    ("sig=", false, azure_storage_key::detect_sas),
    ("\"auth", true, docker_config_auth::detect),
    (
        ".dockerconfigjson",
        true,
        docker_config_auth::detect_encoded,
    ),
    (".dockercfg", true, docker_config_auth::detect_encoded),
    (
        "client-key-data",
        true,
        kubeconfig_credentials::detect_key_data,
    ),
    ("://", true, credentials_in_url::detect),
    ("pass", false, keyword),
    ("secret", false, keyword),
    ("token", false, keyword),
    ("credential", false, keyword),
    ("apikey", false, keyword),
    ("api_key", false, keyword),
    ("api-key", false, keyword),
    ("accesskey", false, keyword),
    ("access_key", false, keyword),
    ("access-key", false, keyword),
    ("privatekey", false, keyword),
    ("private_key", false, keyword),
    ("private-key", false, keyword),
    ("encryptionkey", false, keyword),
    ("encryption_key", false, keyword),
    ("encryption-key", false, keyword),
    ("signingkey", false, keyword),
    ("signing_key", false, keyword),
    ("signing-key", false, keyword),
    ("masterkey", false, keyword),
    ("master_key", false, keyword),
    ("master-key", false, keyword),
];

static AUTOMATON: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::LeftmostLongest)
        .build(PATTERNS.iter().map(|p| p.0))
        .expect("invariant: the secret keywords build an automaton")
});

/// The state of one file's scan.
pub(super) struct Scan<'t> {
    pub(super) text: &'t str,
    pub(super) b: &'t [u8],
    found: Vec<Candidate>,
    kubeconfig: Option<bool>,
    sealed: Option<bool>,
    /// The end of the last key judged as an assignment: keywords inside it are not judged again.
    last_key_end: usize,
}

impl<'t> Scan<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        Self {
            text,
            b: text.as_bytes(),
            found: Vec::new(),
            kubeconfig: None,
            sealed: None,
            last_key_end: 0,
        }
    }

    pub(super) fn push(
        &mut self,
        detector: Detector,
        range: Range<usize>,
        secret: Range<usize>,
        message: String,
    ) {
        self.found.push(Candidate {
            detector,
            range,
            secret,
            message,
            label: None,
        });
    }

    /// The text of `r` (detectors only cut at ASCII bytes, so the range is on char boundaries).
    pub(super) fn str(&self, r: Range<usize>) -> &'t str {
        self.text.get(r).unwrap_or("")
    }

    /// Whether the file is a kubeconfig: `kind: Config` at the start of a line, with `users:` or
    /// `clusters:`. Computed once per file, and only when a kubeconfig credential was found.
    pub(super) fn is_kubeconfig(&mut self) -> bool {
        let text = self.text;
        *self.kubeconfig.get_or_insert_with(|| {
            let b = text.as_bytes();
            let kind = text.match_indices("Config").any(|(i, _)| {
                let before = &b[..i];
                let before = before
                    .strip_suffix(b"\"")
                    .or_else(|| before.strip_suffix(b"'"))
                    .unwrap_or(before);
                let after = b.get(i + 6).copied();
                before
                    .strip_suffix(b"kind: ")
                    .is_some_and(|rest| rest.is_empty() || rest.ends_with(b"\n"))
                    && matches!(
                        after,
                        None | Some(b'\n' | b'\r' | b' ' | b'#' | b'"' | b'\'')
                    )
            });
            kind && (text.contains("users:") || text.contains("clusters:"))
        })
    }

    /// Whether the file holds a Bitnami `SealedSecret` (its values are ciphertext, not secrets).
    pub(super) fn is_sealed(&mut self) -> bool {
        let text = self.text;
        *self
            .sealed
            .get_or_insert_with(|| text.contains("SealedSecret") && text.contains("encryptedData"))
    }
}

/// Every secret of `text`, each reported by one detector only.
pub(super) fn scan(text: &str) -> Vec<Candidate> {
    let mut scan = Scan::new(text);
    for m in AUTOMATON.find_iter(text) {
        let (pattern, sensitive, hook) = PATTERNS[m.pattern().as_usize()];
        let (start, end) = (m.start(), m.end());
        if sensitive && &scan.b[start..end] != pattern.as_bytes() {
            continue;
        }
        hook(&mut scan, start, end);
    }
    settle(scan.found)
}

/// A keyword of a secret-named key: an AWS secret key, a kubeconfig credential or a generic
/// secret assignment.
fn keyword(scan: &mut Scan, start: usize, end: usize) {
    if start < scan.last_key_end {
        return;
    }
    let Some(a) = assign::parse(scan.b, start, end) else {
        return;
    };
    scan.last_key_end = a.key.end;
    if aws_secret_access_key::judge(scan, &a) || kubeconfig_credentials::judge(scan, &a) {
        return;
    }
    generic_secret_assignment::judge(scan, &a);
}

/// How far (in bytes) an AWS secret access key may be from the key ID it pairs with.
const PAIR_DISTANCE: usize = 1024;

/// Drops duplicates and candidates overlapped by a more specific detector's, sorts by position,
/// and pairs AWS key IDs with a secret key of the same file.
fn settle(mut found: Vec<Candidate>) -> Vec<Candidate> {
    if found.is_empty() {
        return found;
    }
    found.sort_by_key(|c| (c.extent().start, c.detector.rank()));
    let mut keep = vec![true; found.len()];
    for i in 0..found.len() {
        if !keep[i] {
            continue;
        }
        let ei = found[i].extent();
        for j in i + 1..found.len() {
            let ej = found[j].extent();
            if ej.start >= ei.end {
                break;
            }
            if !keep[j] {
                continue;
            }
            let (ri, rj) = (found[i].detector.rank(), found[j].detector.rank());
            let same = found[i].detector == found[j].detector && ei == ej;
            if same || ri <= rj {
                keep[j] = false;
            } else {
                keep[i] = false;
                break;
            }
        }
    }
    let mut out: Vec<Candidate> = found
        .into_iter()
        .zip(keep)
        .filter_map(|(c, k)| k.then_some(c))
        .collect();
    // Each secret access key pairs with the nearest key ID within a few lines.
    let secrets: Vec<Range<usize>> = out
        .iter()
        .filter(|c| c.detector == Detector::AwsSecretAccessKey)
        .map(|c| c.secret.clone())
        .collect();
    for secret in secrets {
        let nearest = out
            .iter_mut()
            .filter(|c| c.detector == Detector::AwsAccessKeyId && c.label.is_none())
            .filter(|c| c.range.start.abs_diff(secret.start) <= PAIR_DISTANCE)
            .min_by_key(|c| c.range.start.abs_diff(secret.start));
        if let Some(c) = nearest {
            c.message.push_str(" with its secret access key");
            c.label = Some((secret, "the secret access key"));
        }
    }
    out
}

/// Finds `needle` in `b[from..to]` (clamped), as an absolute offset.
pub(super) fn find_in(b: &[u8], from: usize, to: usize, needle: &[u8]) -> Option<usize> {
    let to = to.min(b.len());
    if from >= to {
        return None;
    }
    find(&b[from..to], needle).map(|i| from + i)
}
