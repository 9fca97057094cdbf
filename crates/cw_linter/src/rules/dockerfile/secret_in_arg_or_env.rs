use cw_model::dockerfile::Dockerfile;
use cw_syntax::dockerfile::{KeyValue, Keyword};

use super::helpers::copy::stage_of;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P0): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// Values passed through ARG/ENV are recorded in image metadata/history; use BuildKit `--mount=type=secret`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FIXME
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FIXME
    /// ```
    ///
    /// ## References
    /// - FIXME
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
                            "ENV `{name}` copies the build argument `{arg}` into the image environment, \
                             where `docker inspect` shows it"
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
                    f.resource(format!("stage {}", stage.display_name()));
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
fn has_url_password(value: &str) -> bool {
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

/// Values that cannot be a real secret: booleans, placeholders, absolute paths (where a secret is
/// mounted at run time).
fn is_placeholder(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    const WORDS: [&str; 22] = [
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
    WORDS.contains(&v.as_str())
        || v.starts_with('/')
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.len() > 1 && (v.chars().all(|c| c == 'x') || v.chars().all(|c| c == '*')))
}

/// At most the first four characters of a secret (fewer for short values), then `****`.
fn redact(value: &str) -> String {
    let shown = (value.chars().count() / 3).min(4);
    let head: String = value.chars().take(shown).collect();
    format!("{head}****")
}
