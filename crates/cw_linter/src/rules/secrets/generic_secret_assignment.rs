use super::assign::{Assignment, Sep};
use super::scan::Scan;
use super::support::{base64_decode, is_weak_value, looks_random, mask};
use super::{Detector, TextInput};
use crate::prelude::*;
use crate::rules::dockerfile::secret_in_arg_or_env::is_secret_name;

declare_rule! {
    /// ## What it does
    /// Flags secret-named keys assigned a literal value, in any text file: YAML and JSON
    /// (`password: ...`, `"api_key": "..."`), env files and properties (`DB_PASSWORD=...`,
    /// `spring.datasource.password=...`), INI and HCL (`secret_key = "..."`) and code
    /// (`API_TOKEN = "..."`, `token := "..."`, `'password' => '...'`). A key is secret-named when
    /// its last word is `password`, `passwd`, `passphrase`, `secret`, `token`, `apikey` or
    /// `credentials`, or a qualified `key` (`api_key`, `private_key`, `access_key`,
    /// `encryption_key`, `signing_key`, `master_key`); names that describe a secret rather than
    /// hold it (`password_file`, `token_url`, `secretName`, `existingSecret`,
    /// `inject-ca-from-secret`) are not.
    ///
    /// The value must look like a secret: at least 8 characters with letters and digits or
    /// symbols and enough variety. Placeholders (`changeme`, `<token>`, `xxxx`, `your-key`),
    /// references (`${DB_PASSWORD}`, `$(cat file)`, `{{ .Values.x }}`, `${{ secrets.X }}`,
    /// `var.password`, `!Ref`, `secretKeyRef`), template markers, hashes and digests, UUIDs,
    /// resource names (`db-credentials`), paths, well-known defaults (`postgres`, `admin123`),
    /// encrypted values (`ENC[...]`, `vault:`, Sealed Secrets) and base64 that decodes to one of
    /// these are not reported. Secrets of a known format are reported by their own rule instead,
    /// and so are lines a format's own rule reports (DKR006, CMP005, CMP006, GLC003, K8S022,
    /// K8S023) when it is enabled. Documentation (Markdown, reStructuredText, AsciiDoc) and test
    /// code by its file name (`*_test.go`, `test_*.py`, `*.test.ts`, `FooTest.java`) are not
    /// checked by this rule: that is where example and fixture values live, and a value with no
    /// structure cannot be told from one (secrets of a known format are still reported there).
    /// Nor are lock files (`yarn.lock`, `package-lock.json`, `go.sum`), whose keys are package
    /// names (`parse-passwd`, `registry-auth-token`).
    ///
    /// ## Why is this bad?
    /// A committed secret is in every clone and fork and stays in the Git history after the line
    /// is deleted. Whoever reads the repository, a CI log or a built image can use it.
    ///
    /// ## Example
    /// ```yaml
    /// database:
    ///   user: app
    ///   password: Zr7#kq9!Lm2x
    /// ```
    ///
    /// Use instead: a reference resolved at run time.
    /// ```yaml
    /// database:
    ///   user: app
    ///   password: ${DB_PASSWORD}
    /// ```
    ///
    /// ## References
    /// - [OWASP Secrets Management Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html)
    /// - [CWE-798: Use of hard-coded credentials](https://cwe.mitre.org/data/definitions/798.html)
    pub struct GenericSecretAssignment {
        code: "SEC014",
        name: "generic-secret-assignment",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_SECRET_10"), Kics("Passwords And Secrets")],
    }
}

impl Rule for GenericSecretAssignment {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        if input.documentation || input.test || input.lockfile {
            return;
        }
        input.report(
            Detector::GenericSecretAssignment,
            ctx,
            "move the value to a secret store or an untracked env file and reference it",
        );
    }
}

/// Words in a key that make it describe a secret rather than hold one.
const NOT_HOLDERS: [&str; 15] = [
    "existing",
    "from",
    "ref",
    "reference",
    "example",
    "sample",
    "dummy",
    "fake",
    "test",
    "mock",
    "default",
    "hashed",
    "encrypted",
    "sealed",
    "placeholder",
];

/// A secret-named key assigned a literal secret.
pub(super) fn judge(scan: &mut Scan, a: &Assignment) {
    if a.sep == Sep::Space || a.in_query {
        return;
    }
    let value = &scan.b[a.value.clone()];
    if !plausible(value, a.quoted) || (!a.quoted && !ends_line(scan.b, a.value.end)) {
        return;
    }
    let decoded = encoded_text(value);
    if let Some(d) = &decoded
        && !plausible(d, true)
    {
        return;
    }
    let key = scan.str(a.key.clone());
    if !is_secret_name(key) || has_word(key, &NOT_HOLDERS) || scan.is_sealed() {
        return;
    }
    let encoded = if decoded.is_some() {
        " (base64-encoded)"
    } else {
        ""
    };
    let message = format!(
        "`{}` is assigned a literal secret{encoded} `{}`",
        key.trim_start_matches('-'),
        mask(scan.str(a.value.clone()))
    );
    scan.push(
        Detector::GenericSecretAssignment,
        a.value.clone(),
        a.value.clone(),
        message,
    );
}

/// Whether nothing but a comment follows `at` on its line: an unquoted value is the whole rest of
/// the line in YAML, env files and properties, while in code it is an expression among others.
pub(super) fn ends_line(b: &[u8], at: usize) -> bool {
    let p = at
        + b[at..]
            .iter()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
    matches!(b.get(p), None | Some(b'\n' | b'\r' | b'#'))
}

/// Whether `v` may be a literal secret: not prose, even percent-encoded (`My%20Client%20Cert`),
/// and not an expression holding a string of its own (`request.headers[\"X-API-KEY\"]`).
fn plausible(v: &[u8], quoted: bool) -> bool {
    if v.len() < 8 || v.len() > 1024 || v.iter().any(u8::is_ascii_whitespace) {
        return false;
    }
    if v.windows(3)
        .any(|w| matches!(w, [b'%', b'2', b'0'] | [b'%', b'0', b'9']))
        || v.windows(2).any(|w| matches!(w, [b'\\', b'"' | b'\'']))
    {
        return false;
    }
    if !quoted && !plausible_unquoted(v) {
        return false;
    }
    looks_random(v) && !is_weak_value(v)
}

/// An unquoted value is a literal in YAML, env files and properties, but in code it is an
/// expression: a call, an identifier path (`exported.KeyCredential`, `p.keyMarker`,
/// `ed25519.PrivateKey`), a number (`-0x3f879678`). Unquoted literals must hold a digit and be
/// none of these.
fn plausible_unquoted(v: &[u8]) -> bool {
    if matches!(v.last(), Some(b';' | b',' | b')' | b'}' | b']' | b'{'))
        || v.iter().any(|c| matches!(c, b'(' | b'[' | b'"' | b'\''))
        || !v.iter().any(u8::is_ascii_digit)
    {
        return false;
    }
    let number = v.strip_prefix(b"-").unwrap_or(v);
    if number.starts_with(b"0x") || number.starts_with(b"0X") {
        return false;
    }
    let identifier = |seg: &[u8]| {
        seg.len() <= 40
            && seg
                .first()
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
            && seg.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
    };
    let path = v.contains(&b'.') && v.split(|&c| c == b'.').all(identifier);
    !path
}

/// The text a base64 value decodes to, when it does decode to printable text (a Kubernetes
/// Secret's `data`).
fn encoded_text(v: &[u8]) -> Option<Vec<u8>> {
    if !v.len().is_multiple_of(4)
        || !v
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
    {
        return None;
    }
    let d = base64_decode(v)?;
    (d.len() >= 4 && d.iter().all(|c| c.is_ascii_graphic() || *c == b' ')).then_some(d)
}

/// Whether a word of `key` (split at `_`, `-`, `.` and camelCase humps) is in `words`.
fn has_word(key: &str, words: &[&str]) -> bool {
    let mut word = String::new();
    let mut prev_lower = false;
    let check = |w: &mut String| {
        let hit = words.iter().any(|x| x.eq_ignore_ascii_case(w));
        w.clear();
        hit
    };
    for c in key.chars() {
        if (matches!(c, '_' | '-' | '.') || (c.is_ascii_uppercase() && prev_lower))
            && check(&mut word)
        {
            return true;
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        if c.is_ascii_alphanumeric() {
            word.push(c);
        }
    }
    check(&mut word)
}
