//! Bash quote removal, without expansion.

/// A word after quote removal.
pub(super) struct Unquoted {
    pub(super) value: String,
    /// For each byte of `value`, the index of the raw byte it came from (filled when asked for).
    pub(super) map: Vec<u32>,
    /// No parameter expansion, command substitution, backticks or `$'...'`: `value` is exactly what
    /// the command receives (globs and `~` aside).
    pub(super) literal: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Plain,
    Single,
    Double,
}

/// Removes quotes from `raw` as bash does; `$...` and backticks stay as written.
pub(super) fn unquote(raw: &str, with_map: bool) -> Unquoted {
    let mut out = Unquoted {
        value: String::with_capacity(raw.len()),
        map: Vec::new(),
        literal: true,
    };
    if !raw.contains(['\'', '"', '\\', '$', '`']) {
        out.value.push_str(raw);
        if with_map {
            out.map.extend(0..raw.len() as u32);
        }
        return out;
    }
    let push = |out: &mut Unquoted, at: usize, c: char| {
        out.value.push(c);
        if with_map {
            out.map.extend((at..at + c.len_utf8()).map(|i| i as u32));
        }
    };
    let mut state = State::Plain;
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        match (state, c) {
            (State::Single, '\'') | (State::Double, '"') => state = State::Plain,
            (State::Single, _) => push(&mut out, i, c),
            (State::Plain, '\'') => state = State::Single,
            (State::Plain, '"') => state = State::Double,
            (State::Plain, '\\') => match chars.next() {
                Some((j, n)) => push(&mut out, j, n),
                None => push(&mut out, i, c),
            },
            (State::Double, '\\') => match next {
                Some(n @ ('$' | '`' | '"' | '\\' | '\n')) => {
                    let (j, _) = chars.next().unwrap_or((i, n));
                    push(&mut out, j, n);
                }
                _ => push(&mut out, i, c),
            },
            (State::Plain, '$') if next == Some('"') => {}
            (State::Plain | State::Double, '$') if next.is_some_and(starts_expansion) => {
                out.literal = false;
                push(&mut out, i, c);
            }
            (_, '`') => {
                out.literal = false;
                push(&mut out, i, c);
            }
            _ => push(&mut out, i, c),
        }
    }
    out
}

/// After `$`: a name, `{`, `(`, a special parameter, or `'` (ANSI-C quoting, not decoded here).
fn starts_expansion(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '_' | '{' | '(' | '@' | '*' | '#' | '?' | '$' | '!' | '-' | '\''
        )
}
