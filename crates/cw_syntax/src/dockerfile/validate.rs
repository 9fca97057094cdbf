//! The argument checks Docker makes before building, with its messages: a Dockerfile that Docker
//! rejects gets a `SyntaxError`, one it accepts gets none.

use cw_diagnostics::{Spanned, TextRange};

use super::heredoc::marker;
use super::lines::is_sep;
use super::words::split_raw;
use super::{Arguments, Instruction, Keyword, SyntaxError};

/// `unknown instruction: FORM (did you mean FROM?)`.
pub(super) fn unknown_instruction(word: &str) -> String {
    match suggest(word) {
        Some(k) => format!("unknown instruction: {word} (did you mean {}?)", k.as_str()),
        None => format!("unknown instruction: {word}"),
    }
}

/// The keyword closest to `word` by edit distance, when that distance is at most 2 (and less than the
/// word's length, so that `A` suggests nothing).
fn suggest(word: &str) -> Option<Keyword> {
    if word.len() > 16 {
        return None;
    }
    let upper = word.to_ascii_uppercase();
    let limit = 2.min(word.chars().count().saturating_sub(1));
    Keyword::ALL
        .into_iter()
        .map(|k| (edit_distance(upper.as_bytes(), k.as_str().as_bytes()), k))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let subst = prev[j] + usize::from(ca != cb);
            cur[j + 1] = subst.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Docker's checks of one instruction. Those of BuildKit's line parser apply to ONBUILD triggers too
/// (`nested`); the others are made when the instruction is built, which for a trigger happens only
/// in a child image.
pub(super) fn check(ins: &Instruction, src: &str, nested: bool, errors: &mut Vec<SyntaxError>) {
    let at = ins.keyword_range;
    let name = ins.keyword.as_str();
    let mut error = |range: TextRange, message: String| errors.push(SyntaxError { range, message });
    if matches!(ins.keyword, Keyword::Arg | Keyword::Env | Keyword::Label) {
        check_pairs(ins, src, nested, &mut error);
        return;
    }
    if nested {
        return;
    }
    // Words are only counted for the keywords that need them.
    let counted = matches!(
        ins.keyword,
        Keyword::Add | Keyword::Copy | Keyword::Healthcheck | Keyword::Volume
    );
    let (count, first, last) = match &ins.args {
        Arguments::Shell(text) if counted => {
            let mut it = fields(&text.text).map(|(s, e)| (&text.text[s..e], text.range_of(s, e)));
            let first = it.next();
            let last = it.last().or(first);
            (fields(&text.text).count(), first, last)
        }
        Arguments::Shell(text) => (usize::from(!text.text.is_empty()), None, None),
        Arguments::Exec(exec) => (
            exec.items.len(),
            item(exec.items.first()),
            item(exec.items.last()),
        ),
    };
    let at_least_one = || format!("{name} requires at least one argument");
    match ins.keyword {
        Keyword::Add | Keyword::Copy => {
            if count < 2 {
                error(
                    at,
                    format!(
                        "{name} requires at least two arguments, but only one was provided. \
                         Destination could not be determined"
                    ),
                );
            } else if let Some((dest, range)) = last
                && !ins.is_exec_form()
                && marker(dest).is_some()
            {
                error(
                    range,
                    format!("{name} cannot accept a heredoc as a destination"),
                );
            }
        }
        Keyword::Expose | Keyword::Onbuild if count == 0 => error(at, at_least_one()),
        Keyword::Volume => {
            if count == 0 {
                error(at, at_least_one());
            }
            if let Some(empty) = ins
                .exec_args()
                .and_then(|e| e.items.iter().find(|i| i.value.is_empty()))
            {
                error(
                    empty.range,
                    "VOLUME specified can not be an empty string".into(),
                );
            }
        }
        Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir
            if count == 0 =>
        {
            error(at, format!("{name} requires exactly one argument"));
        }
        Keyword::From => check_from(ins, at, &mut error),
        Keyword::Healthcheck => match first {
            None => error(at, at_least_one()),
            Some((kind, range)) => check_healthcheck(kind, range, count, at, &mut error),
        },
        Keyword::Onbuild => {
            if let Some(trigger) = &ins.onbuild {
                match trigger.keyword {
                    Keyword::Onbuild => error(
                        trigger.keyword_range,
                        "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".into(),
                    ),
                    Keyword::From | Keyword::Maintainer => error(
                        trigger.keyword_range,
                        format!(
                            "{} isn't allowed as an ONBUILD trigger",
                            trigger.keyword.as_str()
                        ),
                    ),
                    _ => {}
                }
            }
        }
        Keyword::Shell => {
            if count == 0 {
                error(at, at_least_one());
            } else if !ins.is_exec_form() {
                error(at, "SHELL requires the arguments to be in JSON form".into());
            }
        }
        _ => {}
    }
}

fn item(item: Option<&Spanned<String>>) -> Option<(&str, TextRange)> {
    item.map(|i| (i.value.as_str(), i.range))
}

/// ARG, ENV, LABEL: `name=value` words (or ENV/LABEL's legacy `name value`), without allocating.
fn check_pairs(
    ins: &Instruction,
    src: &str,
    nested: bool,
    error: &mut impl FnMut(TextRange, String),
) {
    let Arguments::Shell(text) = &ins.args else {
        return;
    };
    let name = ins.keyword.as_str();
    let mut words = split_raw(&text.text, text.escape_byte()).peekable();
    let Some(&(s0, e0)) = words.peek() else {
        if !nested {
            error(
                ins.keyword_range,
                format!("{name} requires at least one argument"),
            );
        }
        return;
    };
    let legacy = ins.keyword != Keyword::Arg && !text.text[s0..e0].contains('=');
    if legacy {
        if fields(&text.text).nth(1).is_none() {
            error(ins.keyword_range, format!("{name} must have two arguments"));
        }
        return;
    }
    let mut blank_reported = nested;
    for (s, e) in words {
        let word = &text.text[s..e];
        match word.find('=') {
            None if ins.keyword != Keyword::Arg => error(
                text.range_of(s, e),
                format!(
                    "Syntax error - can't find = in {:?}. Must be of the form: name=value",
                    text.range_of(s, e).slice(src)
                ),
            ),
            Some(eq) if !blank_reported && word[..eq].bytes().all(|b| b == b'"' || b == b'\'') => {
                blank_reported = true;
                error(
                    text.range_of(s, e),
                    format!("{name} names can not be blank"),
                );
            }
            _ => {}
        }
    }
}

fn check_from(ins: &Instruction, at: TextRange, error: &mut impl FnMut(TextRange, String)) {
    let Some(text) = ins.shell_text() else {
        return error(at, "FROM requires either one or three arguments".into());
    };
    let mut words = fields(&text.text).map(|(s, e)| (&text.text[s..e], text.range_of(s, e)));
    match (words.next(), words.next(), words.next(), words.next()) {
        (Some(_), None, None, None) => {}
        (Some(_), Some((as_kw, _)), Some((name, range)), None)
            if as_kw.eq_ignore_ascii_case("as") =>
        {
            if !valid_stage_name(&name.to_ascii_lowercase()) {
                error(
                    range,
                    format!(
                        "invalid name for build stage: {name:?}, name can't start with a number or \
                         contain symbols"
                    ),
                );
            }
        }
        _ => error(at, "FROM requires either one or three arguments".into()),
    }
}

/// `^[a-z][a-z0-9-_.]*$` after lowercasing.
pub(super) fn valid_stage_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn check_healthcheck(
    kind: &str,
    range: TextRange,
    count: usize,
    at: TextRange,
    error: &mut impl FnMut(TextRange, String),
) {
    if kind.eq_ignore_ascii_case("NONE") {
        if count > 1 {
            error(at, "HEALTHCHECK NONE takes no arguments".into());
        }
    } else if kind.eq_ignore_ascii_case("CMD") {
        if count == 1 {
            error(range, "Missing command after HEALTHCHECK CMD".into());
        }
    } else {
        error(
            range,
            format!(
                "Unknown type {:?} in HEALTHCHECK (try CMD)",
                kind.to_ascii_uppercase()
            ),
        );
    }
}

/// Byte ranges of the fields of `text` split on `[\t\v\f\r ]+`, as BuildKit's `reWhitespace`.
pub(super) fn fields(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < bytes.len() && is_sep(bytes[pos]) {
            pos += 1;
        }
        if pos == bytes.len() {
            return None;
        }
        let start = pos;
        while pos < bytes.len() && !is_sep(bytes[pos]) {
            pos += 1;
        }
        Some((start, pos))
    })
}
