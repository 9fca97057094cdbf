//! Leading `--name[=value]` words of an instruction, as BuildKit's `extractBuilderFlags` reads them:
//! quotes are removed, `\` escapes the next character, a lone `--` ends the flags.

/// A flag found in the logical line; ranges are byte ranges of that line.
#[derive(Debug)]
pub(super) struct RawFlag {
    pub(super) name: String,
    /// `name` as written: after `--`, up to `=` or the end of the word.
    pub(super) name_range: (usize, usize),
    pub(super) value: Option<(String, (usize, usize))>,
    pub(super) range: (usize, usize),
}

/// Reads flags from `text[from..]`. Returns them and where the arguments start.
pub(super) fn extract(text: &str, from: usize) -> (Vec<RawFlag>, usize) {
    let bytes = text.as_bytes();
    let mut flags = Vec::new();
    let mut pos = from;
    loop {
        pos = super::lines::skip_ws(text, pos, text.len());
        if !text[pos..].starts_with("--") {
            return (flags, pos);
        }
        let start = pos;
        if let Some(end) = plain_word_end(bytes, pos) {
            // No quotes or escapes: slices of the line.
            let word = &text[start..end];
            if word == "--" {
                return (flags, end);
            }
            let body = &word[2..];
            let (name, value) = match body.find('=') {
                Some(eq) => (
                    &body[..eq],
                    Some((body[eq + 1..].to_string(), (start + 3 + eq, end))),
                ),
                None => (body, None),
            };
            flags.push(RawFlag {
                name: name.to_string(),
                name_range: (start + 2, start + 2 + name.len()),
                value,
                range: (start, end),
            });
            pos = end;
            continue;
        }
        let mut word = String::new();
        // Index in `word` and position in `text` of the first `=`.
        let mut eq: Option<(usize, usize)> = None;
        let mut quote: Option<u8> = None;
        while pos < bytes.len() {
            let b = bytes[pos];
            if quote.is_none() && is_space(text, pos, b) {
                break;
            }
            match quote {
                None if b == b'\'' || b == b'"' => {
                    quote = Some(b);
                    pos += 1;
                    continue;
                }
                Some(q) if q == b => {
                    quote = None;
                    pos += 1;
                    continue;
                }
                _ => {}
            }
            if b == b'\\' {
                pos += 1;
                if pos == bytes.len() {
                    break;
                }
            }
            let Some(c) = text[pos..].chars().next() else {
                break;
            };
            if c == '=' && eq.is_none() {
                eq = Some((word.len(), pos));
            }
            word.push(c);
            pos += c.len_utf8();
        }
        if word == "--" {
            return (flags, pos);
        }
        let body = word.get(2..).unwrap_or_default();
        let (name, name_end, value) = match eq {
            Some((i, at)) => (
                word.get(2..i).unwrap_or_default().to_string(),
                at,
                Some((word[i + 1..].to_string(), (at + 1, pos))),
            ),
            None => (body.to_string(), pos, None),
        };
        flags.push(RawFlag {
            name,
            name_range: (start + 2, name_end.max(start + 2)),
            value,
            range: (start, pos),
        });
    }
}

fn is_space(text: &str, pos: usize, b: u8) -> bool {
    if b < 0x80 {
        b.is_ascii_whitespace() || b == 0x0b
    } else {
        text[pos..].starts_with(char::is_whitespace)
    }
}

/// The end of the word at `start` when it has no quotes or backslashes (and is ASCII).
fn plain_word_end(bytes: &[u8], start: usize) -> Option<usize> {
    for (i, &b) in bytes[start..].iter().enumerate() {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => return Some(start + i),
            b'\'' | b'"' | b'\\' | 0x80.. => return None,
            _ => {}
        }
    }
    Some(bytes.len())
}
