//! Word splitting and quote removal as Docker's own shell lexer does it (not bash): `'...'` is literal,
//! `"..."` lets the escape character escape `"`, `$` and itself, and outside quotes the escape character
//! escapes anything. `${...}` is kept in one word.

use cw_diagnostics::Spanned;

use super::{KeyValue, ShellText};

impl ShellText {
    /// The escape character as a byte (`\` unless it is a backtick).
    pub fn escape_byte(&self) -> u8 {
        if self.escape == '`' { b'`' } else { b'\\' }
    }

    /// The words of the text, split on unquoted white space, each with quotes removed and the file
    /// range of the word as written.
    pub fn words(&self) -> Vec<Spanned<String>> {
        let escape = self.escape_byte();
        split_raw(&self.text, escape)
            .map(|(s, e)| Spanned::new(unquote(&self.text[s..e], escape), self.range_of(s, e)))
            .collect()
    }

    /// The words as written (quotes kept), split as [`ShellText::words`] splits them.
    pub fn raw_words(&self) -> Vec<Spanned<&str>> {
        split_raw(&self.text, self.escape_byte())
            .map(|(s, e)| Spanned::new(&self.text[s..e], self.range_of(s, e)))
            .collect()
    }

    /// `KEY=value` pairs as ENV, LABEL (`legacy: true`) and ARG (`legacy: false`) read them.
    ///
    /// Each word is split at its first `=`; key and value have their quotes removed. With `legacy`, a
    /// first word without `=` means the old form `KEY value with spaces`: one pair whose value is the
    /// rest of the text (`None` when there is no rest). A word without `=` otherwise gives a pair with
    /// no value (`ARG NAME`).
    pub fn key_values(&self, legacy: bool) -> Vec<KeyValue> {
        let escape = self.escape_byte();
        let text = self.text.as_str();
        let raw: Vec<_> = split_raw(text, escape).collect();
        let Some(&(first_start, first_end)) = raw.first() else {
            return Vec::new();
        };
        if legacy && !text[first_start..first_end].contains('=') {
            return vec![self.legacy_key_value(escape)];
        }
        raw.into_iter()
            .map(|(s, e)| {
                let word = &text[s..e];
                let key_end = word.find('=').map_or(e, |i| s + i);
                let raw_value = (key_end < e).then(|| &text[key_end + 1..e]);
                let value = raw_value
                    .map(|raw| Spanned::new(unquote(raw, escape), self.range_of(key_end + 1, e)));
                KeyValue {
                    raw_value: raw_value.map(str::to_string),
                    key: Spanned::new(
                        unquote(&text[s..key_end], escape),
                        self.range_of(s, key_end),
                    ),
                    value,
                    range: self.range_of(s, e),
                }
            })
            .collect()
    }

    /// `KEY value with spaces`: the key ends at the first ASCII blank, the value is the rest.
    fn legacy_key_value(&self, escape: u8) -> KeyValue {
        let text = self.text.as_str();
        let key_end = text
            .bytes()
            .position(super::lines::is_sep)
            .unwrap_or(text.len());
        let value_start = key_end
            + text[key_end..]
                .bytes()
                .take_while(|&b| super::lines::is_sep(b))
                .count();
        let raw_value = (value_start < text.len()).then(|| &text[value_start..]);
        let value = raw_value
            .map(|raw| Spanned::new(unquote(raw, escape), self.range_of(value_start, text.len())));
        KeyValue {
            raw_value: raw_value.map(str::to_string),
            key: Spanned::new(unquote(&text[..key_end], escape), self.range_of(0, key_end)),
            value,
            range: self.range_of(0, text.len()),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

/// Byte ranges of the raw words of `text`: split on white space outside quotes and `${...}`.
pub(super) fn split_raw(text: &str, escape: u8) -> RawWords<'_> {
    RawWords {
        text,
        escape,
        pos: 0,
    }
}

/// See [`split_raw`].
pub(super) struct RawWords<'a> {
    text: &'a str,
    escape: u8,
    pos: usize,
}

impl Iterator for RawWords<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = self.pos;
        // Skip white space.
        while i < bytes.len() && is_space_at(text, i, bytes[i]) {
            i += space_width(text, i, bytes[i]);
        }
        if i >= bytes.len() {
            self.pos = i;
            return None;
        }
        let start = i;
        let mut quote = Quote::None;
        let mut braces = 0usize;
        while i < bytes.len() {
            let b = bytes[i];
            if quote == Quote::None && braces == 0 {
                if is_plain(b) && b != self.escape {
                    i += 1;
                    continue;
                }
                if is_space_at(text, i, b) {
                    break;
                }
            }
            match (quote, b) {
                (Quote::Single, b'\'') => quote = Quote::None,
                (Quote::Single, _) => {}
                (_, _) if b == self.escape => {
                    // The escaped character (of any width) belongs to the word.
                    i += 1;
                    if i < bytes.len() {
                        i += char_width(bytes[i]);
                    }
                    continue;
                }
                (Quote::None, b'\'') => quote = Quote::Single,
                (Quote::None, b'"') => quote = Quote::Double,
                (Quote::Double, b'"') => quote = Quote::None,
                (_, b'$') if bytes.get(i + 1) == Some(&b'{') => {
                    braces += 1;
                    i += 2;
                    continue;
                }
                (_, b'}') if braces > 0 => braces -= 1,
                _ => {}
            }
            i += char_width(b);
        }
        self.pos = i;
        Some((start, i))
    }
}

/// `raw` with quotes removed and escapes resolved (no variable expansion).
pub(super) fn unquote(raw: &str, escape: u8) -> String {
    let bytes = raw.as_bytes();
    if !bytes
        .iter()
        .any(|&b| b == escape || b == b'\'' || b == b'"')
    {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut quote = Quote::None;
    let mut chars = raw.chars().peekable();
    let esc = char::from(escape);
    while let Some(c) = chars.next() {
        match quote {
            Quote::Single if c == '\'' => quote = Quote::None,
            Quote::None if c == esc => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            Quote::None if c == '\'' => quote = Quote::Single,
            Quote::None if c == '"' => quote = Quote::Double,
            Quote::Double if c == '"' => quote = Quote::None,
            Quote::Double if c == esc => match chars.peek() {
                Some(&next) if next == '"' || next == '$' || next == esc => {
                    out.push(next);
                    chars.next();
                }
                Some(_) => out.push(c),
                None => {}
            },
            Quote::Single | Quote::None | Quote::Double => out.push(c),
        }
    }
    out
}

/// An ASCII byte with no meaning to the word splitter (not white space, a quote, `$` or `}`).
const fn is_plain(b: u8) -> bool {
    b > b' ' && b < 0x7f && !matches!(b, b'\'' | b'"' | b'$' | b'}')
}

/// Width in bytes of the UTF-8 character starting with `b`.
const fn char_width(b: u8) -> usize {
    match b {
        0xc0..0xe0 => 2,
        0xe0..0xf0 => 3,
        0xf0.. => 4,
        // A continuation byte never starts a character in a &str; step over it to stay safe.
        _ => 1,
    }
}

fn is_space_at(text: &str, i: usize, b: u8) -> bool {
    if b < 0x80 {
        return b.is_ascii_whitespace() || b == 0x0b;
    }
    text[i..].chars().next().is_some_and(char::is_whitespace)
}

fn space_width(text: &str, i: usize, b: u8) -> usize {
    if b < 0x80 {
        1
    } else {
        text[i..].chars().next().map_or(1, char::len_utf8)
    }
}
