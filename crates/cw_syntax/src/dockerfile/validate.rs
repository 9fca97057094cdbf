//! The argument checks Docker makes before building, with its messages: a Dockerfile that Docker
//! rejects gets a `SyntaxError`, one it accepts gets none.

use cw_diagnostics::TextRange;

use super::heredoc::marker;
use super::lines::is_sep;
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

/// Checks that BuildKit's line parser makes (they apply to ONBUILD triggers too).
pub(super) fn check_line(ins: &Instruction, src: &str, errors: &mut Vec<SyntaxError>) {
    if !matches!(ins.keyword, Keyword::Env | Keyword::Label) {
        return;
    }
    let Arguments::Shell(text) = &ins.args else {
        return;
    };
    let name = ins.keyword.as_str();
    let pairs = text.key_values(true);
    let legacy = super::words::is_legacy_form(text);
    for kv in pairs.iter().filter(|kv| kv.value.is_none()) {
        let message = if legacy {
            format!("{name} must have two arguments")
        } else {
            format!(
                "Syntax error - can't find = in {:?}. Must be of the form: name=value",
                kv.range.slice(src)
            )
        };
        errors.push(SyntaxError {
            range: if legacy { ins.keyword_range } else { kv.range },
            message,
        });
    }
}

/// Checks that BuildKit makes when it turns the parsed lines into build steps (top-level only: an
/// ONBUILD trigger is only checked when a child image is built).
pub(super) fn check_instruction(ins: &Instruction, errors: &mut Vec<SyntaxError>) {
    let at = ins.keyword_range;
    let name = ins.keyword.as_str();
    let mut error = |range: TextRange, message: String| errors.push(SyntaxError { range, message });
    let args: Vec<(&str, TextRange)> = match &ins.args {
        Arguments::Shell(text) => fields(&text.text)
            .map(|(s, e)| (&text.text[s..e], text.range_of(s, e)))
            .collect(),
        Arguments::Exec(exec) => exec
            .items
            .iter()
            .map(|i| (i.value.as_str(), i.range))
            .collect(),
    };
    let at_least_one = || format!("{name} requires at least one argument");
    let exactly_one = || format!("{name} requires exactly one argument");
    match ins.keyword {
        Keyword::Add | Keyword::Copy => {
            if args.len() < 2 {
                error(
                    at,
                    format!(
                        "{name} requires at least two arguments, but only one was provided. \
                         Destination could not be determined"
                    ),
                );
            } else if let Some(&(dest, range)) = args.last()
                && !ins.is_exec_form()
                && marker(dest).is_some()
            {
                error(
                    range,
                    format!("{name} cannot accept a heredoc as a destination"),
                );
            }
        }
        Keyword::Arg | Keyword::Env | Keyword::Label => {
            let pairs = ins.key_values();
            if pairs.is_empty() {
                error(at, at_least_one());
            }
            if let Some(blank) = pairs.iter().find(|kv| kv.key.value.is_empty()) {
                error(blank.range, format!("{name} names can not be blank"));
            }
        }
        Keyword::Expose | Keyword::Onbuild if args.is_empty() => error(at, at_least_one()),
        Keyword::Volume => {
            if args.is_empty() {
                error(at, at_least_one());
            }
            if let Some(&(_, range)) = args.iter().find(|(v, _)| v.is_empty()) {
                error(range, "VOLUME specified can not be an empty string".into());
            }
        }
        Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir
            if args.is_empty() =>
        {
            error(at, exactly_one());
        }
        Keyword::From => check_from(&args, at, &mut error),
        Keyword::Healthcheck => check_healthcheck(ins, &args, &mut error),
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
            if args.is_empty() {
                error(at, at_least_one());
            } else if !ins.is_exec_form() {
                error(at, "SHELL requires the arguments to be in JSON form".into());
            }
        }
        _ => {}
    }
}

fn check_from(
    args: &[(&str, TextRange)],
    at: TextRange,
    error: &mut impl FnMut(TextRange, String),
) {
    match args {
        [_] => {}
        [_, (as_kw, _), (name, range)] if as_kw.eq_ignore_ascii_case("as") => {
            if !valid_stage_name(name) {
                error(
                    *range,
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
    ins: &Instruction,
    args: &[(&str, TextRange)],
    error: &mut impl FnMut(TextRange, String),
) {
    let Some(&(kind, range)) = args.first() else {
        error(
            ins.keyword_range,
            "HEALTHCHECK requires at least one argument".into(),
        );
        return;
    };
    if kind.eq_ignore_ascii_case("NONE") {
        if args.len() > 1 {
            error(
                ins.keyword_range,
                "HEALTHCHECK NONE takes no arguments".into(),
            );
        }
    } else if kind.eq_ignore_ascii_case("CMD") {
        if args.len() == 1 {
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
