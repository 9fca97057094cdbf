//! What the secret detectors share: character classes, checksums, base64, entropy, and the gates
//! that tell a secret from a placeholder, a reference or a hash.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind};

/// CRC-32 (IEEE 802.3, reflected; what zlib and GitHub compute), one table built at compile time.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 0 {
                c >> 1
            } else {
                0xEDB8_8320 ^ (c >> 1)
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

pub(super) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc = CRC_TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `value` in base62 (digits, upper case, lower case), left-padded with `0` to 6 characters.
pub(super) fn base62_6(mut value: u32) -> [u8; 6] {
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(value % 62) as usize];
        value /= 62;
    }
    out
}

/// Whether a base62 token body ends with the CRC-32 of the rest in 6 base62 characters (GitHub's
/// `ghp_`-style tokens and npm's `npm_` tokens).
pub(super) fn has_crc32_suffix(body: &[u8]) -> bool {
    if body.len() <= 6 || !body.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let (data, sum) = body.split_at(body.len() - 6);
    base62_6(crc32(data)) == sum
}

/// Decodes base64 (standard or URL-safe alphabet, padding optional, line breaks ignored).
pub(super) fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 3);
    let (mut acc, mut bits, mut padded) = (0u32, 0u32, false);
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => {
                padded = true;
                continue;
            }
            b'\n' | b'\r' => continue,
            _ => return None,
        };
        if padded {
            return None;
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Shannon entropy in bits per byte.
pub(super) fn entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let len = f64::from(s.len().min(u32::MAX as usize) as u32);
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

/// How many different bytes `s` holds.
pub(super) fn distinct(s: &[u8]) -> usize {
    let mut seen = [false; 256];
    let mut n = 0;
    for &b in s {
        if !seen[b as usize] {
            seen[b as usize] = true;
            n += 1;
        }
    }
    n
}

pub(super) fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

pub(super) fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// The end of the run of bytes satisfying `pred` from `start`, at most `max` long.
pub(super) fn run(b: &[u8], start: usize, max: usize, pred: impl Fn(u8) -> bool) -> usize {
    let limit = b.len().min(start.saturating_add(max));
    let mut i = start;
    while i < limit && pred(b[i]) {
        i += 1;
    }
    i
}

/// Whether a token may start at `at`: the byte before it is not alphanumeric.
pub(super) fn starts_word(b: &[u8], at: usize) -> bool {
    at == 0 || !b[at - 1].is_ascii_alphanumeric()
}

pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// At most the first four characters of a secret (fewer for short values), then `****`.
pub(super) fn mask(value: &str) -> String {
    let shown = (value.chars().count() / 3).min(4);
    let head: String = value.chars().take(shown).collect();
    format!("{head}****")
}

/// Substrings (lower case) that mark a value as a stand-in, a template or a reference.
const PLACEHOLDER_MARKS: [&str; 28] = [
    "example",
    "xxxx",
    "****",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "redacted",
    "dummy",
    "sample",
    "placeholder",
    "your",
    "replace",
    "insert",
    "fixme",
    "...",
    "\u{2026}",
    "${",
    "$(",
    "{{",
    "}}",
    "{%",
    "<%",
    "#{",
    "%s",
    "%(",
    "123456",
    "abcdef",
];

/// A case-insensitive automaton over `marks`.
fn automaton(marks: &[&str]) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .build(marks)
        .expect("invariant: the marks build an automaton")
}

static PLACEHOLDERS: LazyLock<AhoCorasick> = LazyLock::new(|| automaton(&PLACEHOLDER_MARKS));
static WEAK: LazyLock<AhoCorasick> = LazyLock::new(|| automaton(&WEAK_MARKS));

/// The shared placeholder gate: documented examples (`AKIAIOSFODNN7EXAMPLE`), stand-ins
/// (`changeme`, `<token>`, `xxxx`), template expressions (`${X}`, `{{ x }}`, `$(cmd)`, `%s`),
/// runs of one character and sequences (`123456`, `abcdef`).
pub(super) fn is_placeholder(value: &[u8]) -> bool {
    if PLACEHOLDERS.is_match(value) {
        return true;
    }
    if value.contains(&b'<') && value.contains(&b'>') {
        return true;
    }
    longest_run(value) >= 5
}

fn longest_run(value: &[u8]) -> usize {
    let (mut best, mut cur) = (0, 0);
    let mut prev = None;
    for &b in value {
        cur = if prev == Some(b) { cur + 1 } else { 1 };
        best = best.max(cur);
        prev = Some(b);
    }
    best
}

/// Whole values that are digests or identifiers, not secrets: hex of a hash's length (32, 40, 64,
/// 96, 128), `sha256:`/`sha512-` digests, UUIDs.
#[expect(
    clippy::items_after_statements,
    reason = "the table reads best next to its use"
)]
pub(super) fn is_hash_or_id(value: &[u8]) -> bool {
    if matches!(value.len(), 32 | 40 | 64 | 96 | 128) && value.iter().all(u8::is_ascii_hexdigit) {
        return true;
    }
    const DIGESTS: [&str; 10] = [
        "sha1:", "sha256:", "sha384:", "sha512:", "md5:", "sha1-", "sha256-", "sha384-", "sha512-",
        "blake2b:",
    ];
    if DIGESTS
        .iter()
        .any(|d| value.len() > d.len() && value[..d.len()].eq_ignore_ascii_case(d.as_bytes()))
    {
        return true;
    }
    is_uuid(value)
}

fn is_uuid(v: &[u8]) -> bool {
    v.len() == 36
        && v.iter().enumerate().all(|(i, &b)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                b == b'-'
            } else {
                b.is_ascii_hexdigit()
            }
        })
}

/// Whole values (lower case) that are well-known defaults or words, never a secret worth reporting.
const WEAK_VALUES: [&str; 62] = [
    "admin",
    "admin123",
    "admin1234",
    "administrator",
    "root",
    "root123",
    "toor",
    "guest",
    "user",
    "test",
    "test123",
    "test1234",
    "testing",
    "password",
    "password1",
    "password123",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "pa$$word",
    "pa55word",
    "secret",
    "secret123",
    "letmein",
    "welcome",
    "welcome1",
    "qwerty",
    "qwerty123",
    "abc123",
    "abcd1234",
    "default",
    "postgres",
    "mysql",
    "pass",
    "pass123",
    "pass1234",
    "demo",
    "demo123",
    "master",
    "hunter2",
    "s3cr3t",
    "sekret",
    "foobar",
    "none",
    "null",
    "nil",
    "true",
    "false",
    "empty",
    "string",
    "value",
    "token",
    "apikey",
    "api_key",
    "minio123",
    "minioadmin",
    "rabbitmq",
    "elastic",
    "changeme123",
    "x-oauth-basic",
    "supersecret",
    "topsecret",
];

/// Substrings (lower case) that make a value assigned to a secret-named key a stand-in.
const WEAK_MARKS: [&str; 13] = [
    "password",
    "passwd",
    "secret",
    "token",
    "credential",
    "test",
    "fake",
    "mock",
    "demo",
    "insecure",
    "here",
    "default",
    "local",
];

/// The gate for values we only know are secrets from their key (generic assignments, URL
/// passwords): the shared placeholder gate, well-known defaults, words that mark a stand-in,
/// hashes and identifiers, references and anything that looks like a name or a number.
pub(super) fn is_weak_value(value: &[u8]) -> bool {
    if is_placeholder(value) || is_hash_or_id(value) {
        return true;
    }
    if WEAK_VALUES
        .iter()
        .any(|w| w.as_bytes().eq_ignore_ascii_case(value))
        || WEAK.is_match(value)
    {
        return true;
    }
    if value.iter().all(u8::is_ascii_digit) || is_word_and_number(value) {
        return true;
    }
    is_reference(value) || is_name_like(value)
}

/// A word and a number (`Scaleio123`, `Welcome2024!`): the shape of demo and default passwords.
fn is_word_and_number(v: &[u8]) -> bool {
    let letters = v.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = v[letters..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let rest = &v[letters + digits..];
    letters >= 3
        && (1..=6).contains(&digits)
        && (rest.is_empty() || (rest.len() == 1 && !rest[0].is_ascii_alphanumeric()))
}

/// References and indirections: `$VAR`, `%VAR%`, `@Microsoft.KeyVault(...)`, `!Ref x`, YAML anchors
/// and aliases (`*pw`), `{SSHA}` password hashes, `ENC[...]` (SOPS), `vault:`, ARNs, URNs
/// (`urn:ietf:params:oauth:grant-type:token-exchange`), paths and URLs.
#[expect(
    clippy::items_after_statements,
    reason = "the table reads best next to its use"
)]
pub(super) fn is_reference(v: &[u8]) -> bool {
    let Some(&first) = v.first() else {
        return true;
    };
    if matches!(
        first,
        b'$' | b'!' | b'*' | b'&' | b'@' | b'{' | b'[' | b'(' | b'/' | b'~' | b'\\'
    ) {
        return true;
    }
    if first == b'%' && v.last() == Some(&b'%') {
        return true;
    }
    // An expansion inside the value (`pre$VAR`, `a${B}c`): the value is not known.
    if v.windows(2)
        .any(|w| w[0] == b'$' && (w[1].is_ascii_alphabetic() || matches!(w[1], b'{' | b'(' | b'_')))
    {
        return true;
    }
    if v.starts_with(b"__") || v.starts_with(b"@@") || v.starts_with(b"./") || v.starts_with(b"../")
    {
        return true;
    }
    if v.len() > 2 && v[1] == b':' && matches!(v[2], b'\\' | b'/') {
        return true;
    }
    const PREFIXES: [&str; 17] = [
        "enc[",
        "urn:",
        "vault:",
        "ref+",
        "op://",
        "sm://",
        "arn:",
        "awssm:",
        "ssm:",
        "secretsmanager:",
        "projects/",
        "env(",
        "env:",
        "file:",
        "keyvault:",
        "aqicah",
        "data:",
    ];
    if PREFIXES
        .iter()
        .any(|p| v.len() >= p.len() && v[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
    {
        return true;
    }
    find(v, b"://").is_some()
}

/// Identifiers and resource names (`db-credentials`, `API_KEY_V2`, `var.db_password`,
/// `my.app.secret`): at least two segments split by `-`, `_` or `.`, each a short word in one
/// case. Random tokens mix cases inside their segments.
pub(super) fn is_name_like(v: &[u8]) -> bool {
    let mut segments = 0;
    for seg in v.split(|&b| matches!(b, b'-' | b'_' | b'.')) {
        if seg.is_empty() {
            continue;
        }
        if seg.len() > 12 || !is_word(seg) {
            return false;
        }
        segments += 1;
    }
    segments >= 2
}

/// One word in one case, digits only at its end (`db`, `API`, `V2`, `Prod`, `2024`).
fn is_word(seg: &[u8]) -> bool {
    let letters = seg.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (word, digits) = seg.split_at(letters);
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if word.is_empty() {
        return true;
    }
    let lower = word.iter().all(u8::is_ascii_lowercase);
    let upper = word.iter().all(u8::is_ascii_uppercase);
    let capital = word[0].is_ascii_uppercase() && word[1..].iter().all(u8::is_ascii_lowercase);
    lower || upper || capital
}

/// Whether a value has the make-up of a secret rather than a word: letters and digits or symbols,
/// and enough variety (three kinds of characters, or sixteen characters of high entropy).
pub(super) fn looks_random(v: &[u8]) -> bool {
    let lower = v.iter().any(u8::is_ascii_lowercase);
    let upper = v.iter().any(u8::is_ascii_uppercase);
    let digit = v.iter().any(u8::is_ascii_digit);
    let symbol = v.iter().any(|b| !b.is_ascii_alphanumeric());
    if !(lower || upper) || !(digit || symbol) || distinct(v) < 5 {
        return false;
    }
    let kinds = usize::from(lower) + usize::from(upper) + usize::from(digit) + usize::from(symbol);
    let e = entropy(v);
    (kinds >= 3 && e >= 2.7) || (v.len() >= 16 && e >= 3.3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_zlib() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(&base62_6(0), b"000000");
        assert_eq!(&base62_6(61), b"00000z");
        assert_eq!(&base62_6(62), b"000010");
    }

    #[test]
    fn base64_round_trip() {
        assert_eq!(
            base64_decode(b"dXNlcjpwYXNz").as_deref(),
            Some(&b"user:pass"[..])
        );
        assert_eq!(base64_decode(b"YWI=").as_deref(), Some(&b"ab"[..]));
        assert_eq!(base64_decode(b"YWI").as_deref(), Some(&b"ab"[..]));
        assert!(base64_decode(b"a b").is_none());
        assert!(base64_decode(b"YW=I").is_none());
    }

    #[test]
    fn gates() {
        for v in [
            "AKIAIOSFODNN7EXAMPLE",
            "<token>",
            "${TOKEN}",
            "{{ .Values.token }}",
            "$(cat /run/secret)",
            "aaaaaaaaaa",
            "1234567890",
            "your-api-key",
            "%s",
        ] {
            assert!(is_placeholder(v.as_bytes()), "{v}");
        }
        for v in [
            "d41d8cd98f00b204e9800998ecf8427e",
            "sha256:0123abc",
            "123e4567-e89b-12d3-a456-426614174000",
        ] {
            assert!(is_hash_or_id(v.as_bytes()), "{v}");
        }
        for v in [
            "db-credentials",
            "API_KEY_V2",
            "var.db_password",
            "$DB_PASSWORD",
            "*db_password",
            "!Ref DbPassword",
            "ENC[AES256_GCM,data:abc]",
            "arn:aws:secretsmanager:eu-west-1:1:secret:x",
            "/run/secrets/db",
            "urn:ibm:params:oauth:grant-type:apikey",
            "hunter2",
            "12345678901",
        ] {
            assert!(is_weak_value(v.as_bytes()), "{v}");
        }
        for v in [
            "Zr7#kq9!Lm",
            "s8Fk2Lq9Zx7Pw3Nv",
            "q8r-Zt2x_Kv9",
            "c0rr3ct-h0rse!",
        ] {
            assert!(!is_weak_value(v.as_bytes()), "{v}");
            assert!(looks_random(v.as_bytes()), "{v}");
        }
        assert!(!looks_random(b"Passwort"));
        assert!(!looks_random(b"abababab1"));
    }
}
