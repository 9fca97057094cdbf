//! Parser directives (`# syntax=`, `# escape=`, `# check=`): only at the very top of the file, as
//! BuildKit reads them. The first line that is not a known directive ends them.

use cw_diagnostics::{Spanned, TextRange};

use super::lines::{line_at, skip_ws};
use super::{Directive, SyntaxError};

/// What the directive block at the top of the file contained.
pub(super) struct Header {
    pub(super) directives: Vec<Directive>,
    pub(super) errors: Vec<SyntaxError>,
    pub(super) escape: char,
    /// Where the first line after the directives starts.
    pub(super) end: usize,
}

/// Reads directives from `pos` (after any BOM).
pub(super) fn parse(src: &str, mut pos: usize) -> Header {
    let mut out = Header {
        directives: Vec::new(),
        errors: Vec::new(),
        escape: '\\',
        end: pos,
    };
    while let Some(line) = line_at(src, pos) {
        let Some(d) = directive(src, skip_ws(src, line.start, line.end), line.end) else {
            break;
        };
        pos = line.next;
        if out
            .directives
            .iter()
            .any(|seen| seen.name.value == d.name.value)
        {
            out.errors.push(SyntaxError {
                range: d.range,
                message: format!("only one {} parser directive can be used", d.name.value),
            });
            continue;
        }
        if d.name.value == "escape" {
            match d.value.value.as_str() {
                "\\" => out.escape = '\\',
                "`" => out.escape = '`',
                other => out.errors.push(SyntaxError {
                    range: d.value.range,
                    message: format!("invalid escape token '{other}' does not match ` or \\"),
                }),
            }
        }
        out.directives.push(d);
    }
    out.end = pos;
    out
}

/// `#[ws]name[ws]=[ws]value[ws]` with a known name (`syntax`, `escape`, `check`).
fn directive(src: &str, start: usize, end: usize) -> Option<Directive> {
    let bytes = src.as_bytes();
    if bytes.get(start) != Some(&b'#') || start >= end {
        return None;
    }
    let name_start = skip_ws(src, start + 1, end);
    let mut i = name_start;
    if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) || i >= end {
        return None;
    }
    while i < end && bytes[i].is_ascii_alphanumeric() {
        i += 1;
    }
    let name_end = i;
    i = skip_re_space(bytes, i, end);
    if i >= end || bytes[i] != b'=' {
        return None;
    }
    let value_start = skip_re_space(bytes, i + 1, end);
    let mut value_end = end;
    while value_end > value_start && is_re_space(bytes[value_end - 1]) {
        value_end -= 1;
    }
    if value_start >= value_end {
        return None;
    }
    let name = src[name_start..name_end].to_ascii_lowercase();
    if !matches!(name.as_str(), "syntax" | "escape" | "check") {
        return None;
    }
    Some(Directive {
        name: Spanned::new(name, TextRange::from_usize(name_start, name_end)),
        value: Spanned::new(
            src[value_start..value_end].to_string(),
            TextRange::from_usize(value_start, value_end),
        ),
        range: TextRange::from_usize(start, value_end),
    })
}

/// RE2's `\s`: `[\t\n\f\r ]`.
const fn is_re_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

fn skip_re_space(bytes: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && is_re_space(bytes[i]) {
        i += 1;
    }
    i
}
