use std::ops::Range;

use super::scan::{Scan, find_in};
use super::support::{base64_decode, find, is_base64, mask, run};
use super::{Detector, TextInput};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags private key blocks: PEM (`-----BEGIN RSA PRIVATE KEY-----`, `EC`, `DSA`, PKCS#8
    /// `PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`), OpenSSH (`-----BEGIN OPENSSH PRIVATE KEY-----`) and
    /// PGP (`-----BEGIN PGP PRIVATE KEY BLOCK-----`), wherever they are: in a key file, a YAML
    /// block scalar, a JSON string with `\n` escapes, a string concatenated in code, or
    /// base64-encoded in a Kubernetes Secret (`tls.key: LS0tLS1CRUdJTi...`). A block needs its END
    /// line and a body of key material; a header alone (a parser's constant) or an elided body
    /// (`MIIE...`) is not a key.
    ///
    /// ## Why is this bad?
    /// Whoever has the private key can impersonate the server (TLS), log in as the user (SSH),
    /// sign releases or decrypt what was encrypted to it (PGP). Once committed it is in every
    /// clone and stays in the Git history: the key pair has to be replaced, not the file.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// type: kubernetes.io/tls
    /// stringData:
    ///   tls.key: |
    ///     -----BEGIN PRIVATE KEY-----
    ///     MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7...
    ///     -----END PRIVATE KEY-----
    /// ```
    ///
    /// Use instead: keep keys in a secret manager (cert-manager, External Secrets, Vault, SOPS
    /// with encrypted values) and out of the repository.
    ///
    /// ## References
    /// - [RFC 7468: Textual encodings of PKIX structures](https://www.rfc-editor.org/rfc/rfc7468)
    /// - [GitHub: removing sensitive data from a repository](https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository)
    pub struct PrivateKey {
        code: "SEC003",
        name: "private-key",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_SECRET_13"), Trivy("private-key")],
    }
}

impl Rule for PrivateKey {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        input.report(
            Detector::PrivateKey,
            ctx,
            "replace the key pair and load the key from a secret store or a file outside the repository",
        );
    }
}

/// How far the END line may be from the BEGIN line.
const MAX_BLOCK: usize = 64 * 1024;

/// A parsed private key block: what kind of key, where its header ends, where its body is.
pub(super) struct Block {
    pub(super) kind: String,
    pub(super) header_end: usize,
    pub(super) body: Range<usize>,
}

/// Parses the block whose `-----BEGIN ` ends at `end` in `b`.
pub(super) fn block(b: &[u8], end: usize) -> Option<Block> {
    let label_end = run(b, end, 48, |c| {
        c.is_ascii_uppercase() || c.is_ascii_digit() || c == b' '
    });
    if !b[label_end..].starts_with(b"-----") {
        return None;
    }
    let label = std::str::from_utf8(&b[end..label_end]).ok()?;
    let prefix = label
        .strip_suffix("PRIVATE KEY BLOCK")
        .or_else(|| label.strip_suffix("PRIVATE KEY"))?
        .trim();
    let block = label.ends_with("BLOCK");
    let kind = match prefix {
        "" => "private key".to_string(),
        "OPENSSH" => "OpenSSH private key".to_string(),
        "ENCRYPTED" => "encrypted private key".to_string(),
        "PGP" if block => "PGP private key block".to_string(),
        other => format!("{other} private key"),
    };
    let header_end = label_end + 5;
    let end_at = find_in(b, header_end, header_end + MAX_BLOCK, b"-----END ")?;
    let end_label = run(b, end_at + 9, 48, |c| {
        c.is_ascii_uppercase() || c.is_ascii_digit() || c == b' '
    });
    if find(&b[end_at..end_label], b"PRIVATE KEY").is_none() || !key_body_ok(&b[header_end..end_at])
    {
        return None;
    }
    Some(Block {
        kind,
        header_end,
        body: trim_body(b, header_end, end_at),
    })
}

/// The key material: the body without the line breaks, `\n` escapes and quotes around it, and
/// without its armor headers (`Version: ...`, `Proc-Type: ...`).
fn trim_body(b: &[u8], mut start: usize, mut end: usize) -> Range<usize> {
    let skip = |c: u8| c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'+' | b',');
    loop {
        if start < end && skip(b[start]) {
            start += 1;
        } else if start + 1 < end && b[start] == b'\\' && matches!(b[start + 1], b'n' | b'r') {
            start += 2;
        } else {
            let line_end = (start..end)
                .find(|&i| b[i] == b'\n' || (b[i] == b'\\' && b.get(i + 1) == Some(&b'n')))
                .unwrap_or(end);
            if line_end < end && find(&b[start..line_end], b": ").is_some() {
                start = line_end;
            } else {
                break;
            }
        }
    }
    loop {
        if end > start && skip(b[end - 1]) {
            end -= 1;
        } else if end >= start + 2 && b[end - 2] == b'\\' && matches!(b[end - 1], b'n' | b'r') {
            end -= 2;
        } else {
            break;
        }
    }
    start..end
}

/// Whether the text between a BEGIN and an END line is key material: at least 64 base64
/// characters once line breaks, `\n` escapes, quotes and concatenation are set aside, armor
/// headers (`Proc-Type: 4,ENCRYPTED`, `Version: ...`) aside, almost nothing else, varied, and no
/// `...` elision.
pub(super) fn key_body_ok(body: &[u8]) -> bool {
    if find(body, b"...").is_some() || find(body, "\u{2026}".as_bytes()).is_some() {
        return false;
    }
    let (mut b64, mut other) = (0usize, 0usize);
    let mut seen = [false; 128];
    let mut line_start = 0;
    let mut i = 0;
    let mut count = |line: &[u8]| {
        let trim = |c: &u8| {
            c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'+' | b',' | b';' | b'\\')
        };
        let first = line.iter().position(|c| !trim(c));
        let last = line.iter().rposition(|c| !trim(c));
        let (Some(first), Some(last)) = (first, last) else {
            return;
        };
        let line = &line[first..=last];
        if find(line, b": ").is_some() {
            return;
        }
        for &c in line {
            if is_base64(c) || c == b'=' {
                b64 += 1;
                seen[c as usize] = true;
            } else {
                other += 1;
            }
        }
    };
    while i < body.len() {
        if body[i] == b'\n' {
            count(&body[line_start..i]);
            i += 1;
            line_start = i;
        } else if body[i] == b'\\' && matches!(body.get(i + 1), Some(b'n' | b'r')) {
            count(&body[line_start..i]);
            i += 2;
            line_start = i;
        } else {
            i += 1;
        }
    }
    count(&body[line_start..]);
    let varied = seen.iter().filter(|&&s| s).count();
    b64 >= 64 && other * 50 <= b64 && varied >= 20
}

/// A private key block in the text.
pub(super) fn detect(scan: &mut Scan, start: usize, end: usize) {
    let Some(block) = block(scan.b, end) else {
        return;
    };
    let message = format!("{} `{}`", block.kind, mask(scan.str(block.body.clone())));
    scan.push(
        Detector::PrivateKey,
        start..block.header_end,
        block.body,
        message,
    );
}

/// A private key block, base64-encoded (`LS0tLS1CRUdJTi` is `-----BEGIN`), as in a Kubernetes
/// Secret's `data`.
pub(super) fn detect_base64(scan: &mut Scan, start: usize, _end: usize) {
    let b = scan.b;
    if start > 0 && (is_base64(b[start - 1]) || b[start - 1] == b'=') {
        return;
    }
    let end = run(b, start, 4 * MAX_BLOCK / 3, |c| is_base64(c) || c == b'=');
    let Some(decoded) = base64_decode(&b[start..end]) else {
        return;
    };
    let Some(kind) = decoded
        .strip_prefix(b"-----BEGIN ")
        .and_then(|_| block(&decoded, 11))
        .map(|block| block.kind)
    else {
        return;
    };
    let message = format!("base64-encoded {kind} `{}`", mask(scan.str(start..end)));
    scan.push(Detector::PrivateKey, start..end, start..end, message);
}
