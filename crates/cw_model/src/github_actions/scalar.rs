//! From a scalar's text (after unquoting and folding) back to the bytes of the file that wrote it.

use cw_diagnostics::TextRange;
use cw_syntax::yaml::{Node, ScalarStyle};

/// Where each byte of a scalar's text is written in the file, when that can be told exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextMap {
    /// The file offset of every byte of the text, and one past the last one.
    offsets: Vec<u32>,
}

impl TextMap {
    /// The file range of the text's bytes `start..end`.
    pub fn range(&self, start: usize, end: usize) -> Option<TextRange> {
        let first = *self.offsets.get(start)?;
        if end <= start {
            return Some(TextRange::empty(first));
        }
        let last = *self.offsets.get(end - 1)?;
        Some(TextRange::new(first, (last + 1).max(first)))
    }

    /// The file offset of the text's byte `i` (the end of the text for `i == len`).
    pub fn offset(&self, i: usize) -> Option<u32> {
        self.offsets.get(i).copied()
    }
}

/// Maps the text of a scalar node to the file, for the styles where this is exact: plain
/// (folded lines included), single-quoted, double-quoted with the common escapes (`\"`, `\\`,
/// `\n`, `\t`, ...), and literal block scalars without an indentation indicator. `None` for the
/// others (folded block scalars, `\x41`-style escapes, copies made by an alias), and whenever the
/// source does not spell the text as expected.
pub fn text_map(node: &Node, source: &str) -> Option<TextMap> {
    if node.alias.is_some() {
        return None;
    }
    let scalar = node.as_scalar()?;
    let range = node.range;
    let written = source.get(range.as_usize())?;
    let text = scalar.text.as_str();
    let offsets = match scalar.style {
        ScalarStyle::Plain => align(text, written, range.start, Quote::None)?,
        ScalarStyle::SingleQuoted => {
            let inner = written.strip_prefix('\'')?.strip_suffix('\'')?;
            align(text, inner, range.start + 1, Quote::Single)?
        }
        ScalarStyle::DoubleQuoted => {
            let inner = written.strip_prefix('"')?.strip_suffix('"')?;
            align(text, inner, range.start + 1, Quote::Double)?
        }
        ScalarStyle::Literal => literal(text, source, range)?,
        ScalarStyle::Folded | ScalarStyle::JsonString | ScalarStyle::JsonLiteral => return None,
    };
    Some(TextMap { offsets })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Walks the text and the source side by side. Source bytes that the text lacks must be white
/// space (indentation, folded line breaks) or quoting (`''`, `\"`); anything else is a mismatch.
fn align(text: &str, src: &str, base: u32, quote: Quote) -> Option<Vec<u32>> {
    let t = text.as_bytes();
    let s = src.as_bytes();
    let mut offsets = Vec::with_capacity(t.len() + 1);
    let (mut i, mut j) = (0, 0);
    while i < t.len() {
        let sb = *s.get(j)?;
        if quote == Quote::Single && sb == b'\'' {
            // `''` is one quote.
            if t[i] != b'\'' || s.get(j + 1) != Some(&b'\'') {
                return None;
            }
            offsets.push(base + j as u32);
            i += 1;
            j += 2;
            continue;
        }
        if quote == Quote::Double && sb == b'\\' {
            let next = *s.get(j + 1)?;
            if next == b'\n' || next == b'\r' {
                // An escaped line break: nothing in the text; the next line's indentation goes too.
                j += 2;
                while s.get(j).is_some_and(|&b| is_space(b)) {
                    j += 1;
                }
                continue;
            }
            let decoded = match next {
                b'"' | b'\\' | b'/' | b' ' => next,
                b'n' => b'\n',
                b't' | b'\t' => b'\t',
                b'r' => b'\r',
                b'0' => 0,
                b'a' => 7,
                b'b' => 8,
                b'e' => 0x1b,
                b'f' => 0x0c,
                b'v' => 0x0b,
                _ => return None,
            };
            if t[i] != decoded {
                return None;
            }
            offsets.push(base + j as u32);
            i += 1;
            j += 2;
            continue;
        }
        if t[i] == sb {
            offsets.push(base + j as u32);
            i += 1;
            j += 1;
            continue;
        }
        if is_space(sb) {
            // A folded line break becomes a space (or a line feed for an empty line).
            if (t[i] == b' ' || t[i] == b'\n') && (sb == b'\n' || sb == b'\r') {
                offsets.push(base + j as u32);
                i += 1;
            }
            j += 1;
            continue;
        }
        return None;
    }
    if !s[j.min(s.len())..].iter().all(|&b| is_space(b)) {
        return None;
    }
    offsets.push(base + j as u32);
    Some(offsets)
}

/// A literal block scalar (`|`, `|-`, `|+`): each content line is the source line without its
/// indentation, which is the first non-empty line's.
fn literal(text: &str, source: &str, range: TextRange) -> Option<Vec<u32>> {
    let bytes = source.as_bytes();
    let header_start = range.start as usize;
    if bytes.get(header_start) != Some(&b'|') {
        return None;
    }
    let header_end = source[header_start..]
        .find('\n')
        .map_or(source.len(), |i| header_start + i);
    let header = &source[header_start + 1..header_end];
    let indicators: &str = header.split('#').next().unwrap_or("").trim_end();
    if indicators.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let body = (header_end + 1).min(source.len());
    // The indentation: leading spaces of the first line with content.
    let indent = source[body..]
        .split('\n')
        .find(|l| !l.trim_end_matches('\r').trim_start_matches(' ').is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())?;
    let t = text.as_bytes();
    let mut offsets = Vec::with_capacity(t.len() + 1);
    let mut i = 0;
    let mut line_start = body;
    while i < t.len() && line_start <= source.len() {
        let line_end = source[line_start..]
            .find('\n')
            .map_or(source.len(), |k| line_start + k);
        let content_end = if line_end > line_start && bytes[line_end - 1] == b'\r' {
            line_end - 1
        } else {
            line_end
        };
        let line = &source[line_start..content_end];
        let blank = line.bytes().all(|b| b == b' ');
        if blank && line.len() <= indent {
            if t[i] != b'\n' {
                return None;
            }
            offsets.push(content_end as u32);
            i += 1;
        } else {
            if line.len() < indent || !line[..indent].bytes().all(|b| b == b' ') {
                return None;
            }
            for (k, &b) in line.as_bytes()[indent..].iter().enumerate() {
                if t.get(i) != Some(&b) {
                    return None;
                }
                offsets.push((line_start + indent + k) as u32);
                i += 1;
            }
            if i < t.len() {
                if t[i] != b'\n' {
                    return None;
                }
                offsets.push(content_end as u32);
                i += 1;
            }
        }
        if line_end >= source.len() {
            break;
        }
        line_start = line_end + 1;
    }
    // Kept trailing line breaks past the end of the file, if any.
    let last = offsets.last().copied().unwrap_or(range.end);
    while offsets.len() < t.len() {
        offsets.push(last);
    }
    offsets.push(range.end.max(last));
    Some(offsets)
}
