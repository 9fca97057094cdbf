use cw_model::dockerfile::Dockerfile;
use cw_syntax::dockerfile::{KeyValue, Keyword};

use super::helpers::copy::stage_of;
use super::helpers::stages::stage_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `ARG` and `ENV` instructions that carry a secret: a variable whose name says it holds one
    /// (`*_PASSWORD`, `*_TOKEN`, `*_SECRET`, `API_KEY`, `AWS_SECRET_ACCESS_KEY`, ...) given a literal
    /// value, a build argument of that kind meant to be filled with `--build-arg`, an `ENV` that copies
    /// such a build argument into the image environment, and any value that is a URL with an embedded
    /// password (`postgres://app:pw@db/app`).
    ///
    /// ## Why is this bad?
    /// Build arguments used by a RUN are recorded in the image history (`docker history --no-trunc`),
    /// and ENV values are part of the image configuration that `docker inspect` prints and that every
    /// container inherits. Anyone who can pull the image, or read a registry cache, can read the secret.
    /// BuildKit secret mounts give a RUN the value for the duration of that step only, without writing it
    /// anywhere.
    ///
    /// The rule reads the name by its words, so names that only describe or locate a secret are not
    /// reported: `*_FILE`, `*_PATH`, `*_URL` without credentials, `*_ID` (`AWS_ACCESS_KEY_ID`),
    /// `TOKEN_EXPIRY`, `PASSWORD_MIN_LENGTH`, `SECRET_NAME`, `KMS_KEY_ALIAS`, public keys and
    /// `GPG_KEY` fingerprints. Values that cannot be a secret are not reported either: booleans,
    /// placeholders such as `changeme`, absolute paths where a secret is mounted at run time, and an
    /// empty `ENV`. An `ENV` whose value comes from a variable is reported only when that variable is a
    /// build argument declared in the same stage (otherwise it expands to a value we cannot know). Messages
    /// show at most the first four characters of a value.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// ARG NPM_TOKEN
    /// ENV DB_PASSWORD=hunter2
    /// RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    ///     echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
    /// # DB_PASSWORD is given to the container at run time
    /// ```
    /// (`docker build --secret id=npm_token,env=NPM_TOKEN .`)
    ///
    /// ## References
    /// - [Docker: Build secrets](https://docs.docker.com/build/building/secrets/)
    /// - [Docker build checks: SecretsUsedInArgOrEnv](https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/)
    /// - [Trivy DS031](https://avd.aquasec.com/misconfig/ds031)
    /// - [KICS: Secrets Stored In Dockerfile](https://docs.kics.io/latest/queries/dockerfile-queries/)
    pub struct SecretInArgOrEnv {
        code: "DKR006",
        name: "secret-in-arg-or-env",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Hadolint("DL3064"),
            Trivy("DS031"),
            Kics("Secrets Stored In Dockerfile")
        ],
    }
}

impl Rule for SecretInArgOrEnv {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (index, ins) in df.ast.instructions.iter().enumerate() {
            if !matches!(ins.keyword, Keyword::Arg | Keyword::Env) {
                continue;
            }
            let keyword = ins.keyword.as_str();
            let stage = stage_of(df, index);
            for kv in ins.key_values() {
                let Some(finding) = judge(df, index, ins.keyword, &kv, ctx.source()) else {
                    continue;
                };
                let name = &kv.key.value;
                let (range, message, help) = match finding {
                    Finding::BuildArg => (
                        kv.key.range,
                        format!(
                            "build argument `{name}` looks like a secret: values passed with \
                             `--build-arg` are recorded in the image history"
                        ),
                        "pass the secret with `RUN --mount=type=secret,id=...` (`docker build --secret`) instead",
                    ),
                    Finding::Literal(value) => (
                        kv.key.range,
                        format!(
                            "{keyword} `{name}` holds a literal secret (`{}`) that is stored in the image",
                            redact(&value)
                        ),
                        "remove the value from the Dockerfile and provide it at build time with a secret mount, or at run time",
                    ),
                    Finding::FromArg(arg) => (
                        kv.key.range,
                        format!(
                            "ENV `{name}` stores the build argument `{arg}` in the environment that \
                             the image configuration records"
                        ),
                        "read the secret from a secret mount in the RUN that needs it instead of storing it with ENV",
                    ),
                    Finding::UrlCredentials(range) => (
                        range,
                        format!(
                            "{keyword} `{name}` holds a URL with an embedded password, stored in the image"
                        ),
                        "take the credentials out of the URL and provide them with a secret mount or at run time",
                    ),
                };
                let f = ctx.report(range, message);
                f.help(help);
                if let Some(stage) = stage {
                    f.resource(stage_resource(stage));
                }
            }
        }
    }
}

/// Why a key/value pair is reported.
enum Finding {
    /// A secret-named ARG without a literal default: meant to be set with `--build-arg`.
    BuildArg,
    /// A secret-named variable set to a literal value.
    Literal(String),
    /// A secret-named ENV (or any ENV) set from a (secret-named) ARG of the stage.
    FromArg(String),
    /// A URL with `user:password@` in its value (the range of the value).
    UrlCredentials(TextRange),
}

fn judge(
    df: &Dockerfile,
    index: usize,
    keyword: Keyword,
    kv: &KeyValue,
    source: &str,
) -> Option<Finding> {
    let secret_name = is_secret_name(&kv.key.value);
    let value = kv.value.as_ref();
    let raw = value.map_or("", |v| v.range.slice(source));
    if raw.contains('$') {
        // The value comes from other variables: only what build arguments carry is known to leak.
        if keyword != Keyword::Env {
            return secret_name.then_some(Finding::BuildArg);
        }
        let args = stage_args_before(df, index);
        return referenced_names(raw)
            .into_iter()
            .find(|r| args.iter().any(|a| a == r) && (secret_name || is_secret_name(r)))
            .map(Finding::FromArg);
    }
    let literal = value.map_or("", |v| v.value.as_str());
    if has_url_password(literal) {
        return value.map(|v| Finding::UrlCredentials(v.range));
    }
    if !secret_name {
        return None;
    }
    if literal.is_empty() {
        // `ENV X=` clears a variable; `ARG X` / `ARG X=` is filled with `--build-arg`.
        return (keyword == Keyword::Arg).then_some(Finding::BuildArg);
    }
    if is_placeholder(literal) {
        return None;
    }
    Some(Finding::Literal(literal.to_string()))
}

/// The names the stage of instruction `index` declares with ARG before it (ARGs do not carry over to
/// other stages, and global ARGs must be declared again inside a stage to be visible).
fn stage_args_before(df: &Dockerfile, index: usize) -> Vec<String> {
    let Some(stage) = stage_of(df, index) else {
        return Vec::new();
    };
    df.stage_instructions(stage)
        .take_while(|(i, _)| *i < index)
        .filter(|(_, ins)| ins.keyword == Keyword::Arg)
        .flat_map(|(_, ins)| ins.key_values())
        .map(|kv| kv.key.value)
        .collect()
}

/// The variable names `$NAME` and `${NAME...}` in `raw`.
fn referenced_names(raw: &str) -> Vec<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        i += 1;
        if bytes.get(i) == Some(&b'{') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i > start {
            out.push(raw[start..i].to_string());
        }
    }
    out
}

/// `scheme://user:password@host...` with a non-empty, non-placeholder password.
pub(crate) fn has_url_password(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
    {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority
        .rsplit_once('@')
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .is_some_and(|(_, password)| !password.is_empty() && !is_placeholder(password))
}

/// Last words of secret variable names.
const SECRET_ENDINGS: [&str; 9] = [
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
    "privatekey",
];

/// Whether a variable name says its value is a secret: its last word is `password`, `token`,
/// `secret`, `apikey`, `credentials`, `auth`, or a qualified `key` (`API_KEY`, `PRIVATE_KEY`,
/// `AWS_SECRET_ACCESS_KEY`). Names that describe or locate a secret (`*_FILE`, `*_PATH`, `*_ID`,
/// `*_NAME`, `TOKEN_EXPIRY`, `PASSWORD_MIN_LENGTH`) and public keys are not secrets.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let words = split_words(name);
    let Some(last) = words.last() else {
        return false;
    };
    if words.iter().any(|w| w == "public" || w == "pub") {
        return false;
    }
    if KNOWN_NAMES.iter().any(|k| k.eq_ignore_ascii_case(name)) {
        return true;
    }
    if PATH_NAMES.iter().any(|k| k.eq_ignore_ascii_case(name)) {
        return false;
    }
    if SECRET_ENDINGS.iter().any(|e| last.ends_with(e)) {
        return true;
    }
    match last.as_str() {
        "pword" | "auth" | "secretkey" | "accesskey" => true,
        "pass" => words.len() > 1,
        "key" => words
            .len()
            .checked_sub(2)
            .and_then(|i| words.get(i))
            .is_some_and(|q| KEY_QUALIFIERS.contains(&q.as_str())),
        _ => false,
    }
}

/// Full names that are secrets although their last word is not (`SECRET_KEY_BASE`).
const KNOWN_NAMES: [&str; 2] = ["SECRET_KEY_BASE", "DJANGO_SECRET_KEY"];

/// Well-known names that hold the path of a credentials file, not the credentials.
const PATH_NAMES: [&str; 1] = ["GOOGLE_APPLICATION_CREDENTIALS"];

/// Words before `key` that make it a secret key (`API_KEY`); others (`GPG_KEY`, `KMS_KEY`,
/// `CACHE_KEY`, `PARTITION_KEY`) name identifiers or public material.
const KEY_QUALIFIERS: [&str; 24] = [
    "api",
    "secret",
    "private",
    "access",
    "encryption",
    "encrypt",
    "signing",
    "sign",
    "master",
    "app",
    "license",
    "licence",
    "client",
    "session",
    "account",
    "storage",
    "service",
    "subscription",
    "webhook",
    "jwt",
    "hmac",
    "ssh",
    "deploy",
    "admin",
];

/// Lower-case words of a variable name: split at `_`, `-`, `.` and camelCase humps.
fn split_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '_' | '-' | '.') {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p));
        let next = chars.get(i + 1);
        let hump = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(char::is_ascii_lowercase))
            });
        if hump && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Values that only stand in for a secret.
const PLACEHOLDERS: [&str; 22] = [
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "0",
    "1",
    "none",
    "null",
    "nil",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "dummy",
    "placeholder",
    "replace_me",
    "replaceme",
    "todo",
    "unset",
    "example",
];

/// Values that cannot be a real secret: booleans, placeholders, absolute paths (where a secret is
/// mounted at run time).
pub(crate) fn is_placeholder(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    PLACEHOLDERS.contains(&v.as_str())
        || v.starts_with('/')
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.len() > 1 && (v.chars().all(|c| c == 'x') || v.chars().all(|c| c == '*')))
}

/// At most the first four characters of a secret (fewer for short values), then `****`.
pub(crate) fn redact(value: &str) -> String {
    let shown = (value.chars().count() / 3).min(4);
    let head: String = value.chars().take(shown).collect();
    format!("{head}****")
}

#[cfg(test)]
mod tests {
    use super::{has_url_password, is_placeholder, is_secret_name, redact, split_words};

    #[test]
    fn secret_names() {
        for name in [
            "PASSWORD",
            "DB_PASSWORD",
            "PGPASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "GITHUB_TOKEN",
            "NPM_TOKEN",
            "HF_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "API_KEY",
            "apiKey",
            "stripeSecretKey",
            "SSH_PRIVATE_KEY",
            "LICENSE_KEY",
            "JWT_SECRET",
            "AZURE_CLIENT_SECRET",
            "SECRET_KEY_BASE",
            "DB_PASS",
            "NPM_AUTH",
            "GOOGLE_CREDENTIALS",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "DB_PASSWORD_FILE",
            "AWS_ACCESS_KEY_ID",
            "TOKEN_EXPIRY",
            "PASSWORD_MIN_LENGTH",
            "SECRET_NAME",
            "KMS_KEY_ALIAS",
            "KEY_NAME",
            "CREDENTIAL_MANAGER",
            "AUTH_MODULE_VERSION",
            "PUBLIC_KEY",
            "NEXT_PUBLIC_API_KEY",
            "GPG_KEY",
            "CACHE_KEY",
            "KEY",
            "PASS",
            "PWD",
            "POSTGRES_HOST_AUTH_METHOD",
            "TOKENIZERS_PARALLELISM",
            "SECRETS_DIR",
            "SECRET_KEY_BASE_DUMMY",
            "GOOGLE_APPLICATION_CREDENTIALS",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn words() {
        assert_eq!(split_words("apiKey"), ["api", "key"]);
        assert_eq!(split_words("APIKey"), ["api", "key"]);
        assert_eq!(
            split_words("AWS_SECRET_ACCESS_KEY"),
            ["aws", "secret", "access", "key"]
        );
        assert_eq!(split_words("db.password-file"), ["db", "password", "file"]);
    }

    #[test]
    fn values() {
        assert!(is_placeholder("changeme"));
        assert!(is_placeholder("true"));
        assert!(is_placeholder("/run/secrets/db"));
        assert!(is_placeholder("<your-token>"));
        assert!(is_placeholder("xxxxxx"));
        assert!(!is_placeholder("hunter2"));
        assert!(has_url_password("postgres://app:s3cret@db/app"));
        assert!(!has_url_password("https://git@example.com/r.git"));
        assert!(!has_url_password("https://example.com/a:b@c"));
        assert!(!has_url_password("redis://:changeme@cache:6379"));
        assert_eq!(redact("hunter2hunter2"), "hunt****");
        assert_eq!(redact("abc"), "a****");
        assert_eq!(redact("ab"), "****");
    }
}
