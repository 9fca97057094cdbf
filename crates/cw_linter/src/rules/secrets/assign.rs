//! `key = value` in the forms configuration files and code use: YAML (`key: value`), JSON
//! (`"key": "value"`, also escaped inside a string), env files and properties (`KEY=value`), HCL and
//! code (`key = "value"`, `key := "value"`, `"key" => "value"`), shell (`export KEY=value`).

use std::ops::Range;

use super::support::run;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sep {
    /// `=`, `:=`, `=>`.
    Equals,
    /// `:` (YAML, JSON, object literals).
    Colon,
    /// White space alone (`aws configure set aws_secret_access_key VALUE`).
    Space,
}

#[derive(Debug)]
pub(super) struct Assignment {
    /// The key, without its quotes.
    pub(super) key: Range<usize>,
    /// The value, without its quotes.
    pub(super) value: Range<usize>,
    pub(super) quoted: bool,
    pub(super) sep: Sep,
    /// The key follows `?` or `&` (a URL query parameter).
    pub(super) in_query: bool,
}

/// Longest key and value looked at; longer ones are not assignments we judge.
const MAX_KEY: usize = 128;
const MAX_VALUE: usize = 4096;

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// The key around `hit..hit_end` (a keyword inside it) and the value assigned to it, if any.
pub(super) fn parse(b: &[u8], hit: usize, hit_end: usize) -> Option<Assignment> {
    let mut ks = hit;
    while ks > 0 && hit - ks < MAX_KEY && is_key_byte(b[ks - 1]) {
        ks -= 1;
    }
    let ke = run(b, hit_end, MAX_KEY, is_key_byte);
    let before = ks.checked_sub(1).map(|i| b[i]);
    let in_query = matches!(before, Some(b'?' | b'&'));
    let mut p = ke;
    let mut key_quoted = false;
    if let Some(q @ (b'"' | b'\'')) = before {
        let escaped = ks >= 2 && b[ks - 2] == b'\\';
        if escaped {
            if b.get(p) != Some(&b'\\') || b.get(p + 1) != Some(&q) {
                return None;
            }
            p += 2;
        } else {
            if b.get(p) != Some(&q) {
                return None;
            }
            p += 1;
        }
        key_quoted = true;
    }
    let after_key = p;
    p = run(b, p, 64, |c| c == b' ' || c == b'\t');
    let spaced = p > after_key;
    let sep = match b.get(p) {
        Some(b'=') => match b.get(p + 1) {
            Some(b'=' | b'~') => return None,
            Some(b'>') => {
                p += 2;
                Sep::Equals
            }
            _ => {
                p += 1;
                Sep::Equals
            }
        },
        Some(b':') => match b.get(p + 1) {
            Some(b':') => return None,
            Some(b'=') => {
                p += 2;
                Sep::Equals
            }
            None | Some(b' ' | b'\t' | b'\r' | b'\n') => {
                p += 1;
                Sep::Colon
            }
            Some(_) if key_quoted => {
                p += 1;
                Sep::Colon
            }
            Some(_) => return None,
        },
        Some(b) if spaced && b.is_ascii_alphanumeric() => Sep::Space,
        _ => return None,
    };
    p = run(b, p, 64, |c| c == b' ' || c == b'\t');
    let (value, quoted) = value_at(b, p)?;
    if value.is_empty() {
        return None;
    }
    Some(Assignment {
        key: ks..ke,
        value,
        quoted,
        sep,
        in_query,
    })
}

/// The value starting at `p`: a quoted string (`"..."`, `'...'`, `` `...` ``, `\"...\"`) on one
/// line, or an unquoted run up to white space.
#[expect(
    clippy::many_single_char_names,
    reason = "a byte scanner: bytes, positions"
)]
fn value_at(b: &[u8], p: usize) -> Option<(Range<usize>, bool)> {
    match b.get(p)? {
        b'\\' if b.get(p + 1) == Some(&b'"') => {
            let start = p + 2;
            let mut i = start;
            while i + 1 < b.len() && i - start < MAX_VALUE {
                match b[i] {
                    b'\\' if b[i + 1] == b'"' => return Some((start..i, true)),
                    b'\n' => return None,
                    _ => i += 1,
                }
            }
            None
        }
        &q @ (b'"' | b'\'' | b'`') => {
            let start = p + 1;
            let mut i = start;
            while i < b.len() && i - start < MAX_VALUE {
                match b[i] {
                    b'\\' => i += 2,
                    b'\n' => return None,
                    c if c == q => return Some((start..i, true)),
                    _ => i += 1,
                }
            }
            None
        }
        _ => {
            let end = run(b, p, MAX_VALUE, |c| !c.is_ascii_whitespace());
            if end - p >= MAX_VALUE {
                return None;
            }
            Some((p..end, false))
        }
    }
}

/// `s` in lower case without separators: `AWS_SECRET_ACCESS_KEY` and `SecretAccessKey` both give
/// `...secretaccesskey`.
pub(super) fn normalized(s: &[u8]) -> Vec<u8> {
    s.iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(line: &str) -> Option<(String, String, Sep)> {
        let b = line.as_bytes();
        let hit = line.to_ascii_lowercase().find("secret")?;
        let a = parse(b, hit, hit + 6)?;
        Some((line[a.key].to_string(), line[a.value].to_string(), a.sep))
    }

    #[test]
    fn forms() {
        let cases = [
            ("db_secret: abc", Some(("db_secret", "abc", Sep::Colon))),
            (
                "  \"secret\": \"abc\",",
                Some(("secret", "abc", Sep::Colon)),
            ),
            ("{\"secret\":\"abc\"}", Some(("secret", "abc", Sep::Colon))),
            (
                "{\\\"secret\\\":\\\"abc\\\"}",
                Some(("secret", "abc", Sep::Colon)),
            ),
            (
                "export APP_SECRET=abc",
                Some(("APP_SECRET", "abc", Sep::Equals)),
            ),
            ("secret = 'abc'", Some(("secret", "abc", Sep::Equals))),
            ("secret := \"abc\"", Some(("secret", "abc", Sep::Equals))),
            ("'secret' => 'abc'", Some(("secret", "abc", Sep::Equals))),
            (
                "app.secret=abc # c",
                Some(("app.secret", "abc", Sep::Equals)),
            ),
            (
                "set aws_secret abc",
                Some(("aws_secret", "abc", Sep::Space)),
            ),
            ("if secret == \"abc\"", None),
            ("secret:", None),
            ("secret: ", None),
            ("name: my-secret", None),
            ("user:secret@host", None),
            ("secret += 'x'", None),
            ("secret = \"abc", None),
        ];
        for (line, want) in cases {
            let got = kv(line);
            let want = want.map(|(k, v, s)| (k.to_string(), v.to_string(), s));
            assert_eq!(got, want, "{line}");
        }
    }
}
