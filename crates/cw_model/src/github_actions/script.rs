//! `run:` scripts read by the shell parser, with a way back from script offsets to the file.

use cw_diagnostics::TextRange;
use cw_syntax::shell::{self, Script};
use cw_syntax::yaml::Node;

use super::scalar::{TextMap, text_map};
use super::step::{Shell, Step};
use super::{ActionsFile, Expression};

/// The commands of a `run:` script. Ranges in `script` are byte offsets into the `run:` scalar's
/// text; [`RunScript::file_range`] maps them to the file. Each `${{ ... }}` is read by the shell as
/// a plain word of the same length (`_____`), since the runner substitutes it before the shell runs.
#[derive(Clone, Debug)]
pub struct RunScript {
    pub script: Script,
    map: Option<TextMap>,
    site: TextRange,
}

impl RunScript {
    pub(super) fn new(file: &ActionsFile, step: &Step<'_>, run: &Node) -> RunScript {
        let site = run.site_range();
        let map = text_map(run, file.source());
        let Some(text) = run.as_str() else {
            return RunScript {
                script: Script::default(),
                map,
                site,
            };
        };
        let shell = step.shell();
        if !shell.is_posix() && shell != Shell::Unknown {
            return RunScript {
                script: Script::failed("the step's shell is not a POSIX shell"),
                map,
                site,
            };
        }
        let mut masked = text.as_bytes().to_vec();
        for e in file.expressions(run) {
            for b in &mut masked[e.text_range.clone()] {
                *b = b'_';
            }
        }
        // Only whole expressions were replaced by ASCII bytes, so the text is still UTF-8.
        let masked = String::from_utf8(masked).unwrap_or_else(|_| text.to_string());
        RunScript {
            script: shell::parse_at(&masked, 0),
            map,
            site,
        }
    }

    /// The file range of the script's bytes `range` (the whole `run:` value when the scalar's
    /// style does not allow an exact answer).
    pub fn file_range(&self, range: TextRange) -> TextRange {
        self.map
            .as_ref()
            .and_then(|m| m.range(range.start as usize, range.end as usize))
            .unwrap_or(self.site)
    }

    /// Whether script offsets map exactly to the file.
    pub fn is_exact(&self) -> bool {
        self.map.is_some()
    }
}

/// The expressions of a `run:` scalar that lie inside the script range `range`.
pub fn expressions_within(
    expressions: &[Expression],
    range: TextRange,
) -> impl Iterator<Item = &Expression> {
    expressions.iter().filter(move |e| {
        (e.text_range.start as u32) < range.end && range.start < e.text_range.end as u32
    })
}

/// The variables a raw shell word expands (`$NAME`, `${NAME}`, `${NAME:-x}`), outside single quotes.
pub fn referenced_variables(raw: &str) -> Vec<&str> {
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut single = false;
    let mut double = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if !single => i += 1,
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'$' if !single => {
                let braced = bytes.get(i + 1) == Some(&b'{');
                let start = if braced { i + 2 } else { i + 1 };
                let mut end = start;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_')
                {
                    end += 1;
                }
                if end > start && !bytes[start].is_ascii_digit() {
                    out.push(&raw[start..end]);
                }
                i = end.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// What the shell does with the text at a position of a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quoting {
    /// Outside quotes: `$VAR` expands.
    Plain,
    /// Inside `"..."`: `$VAR` expands.
    Double,
    /// Inside `'...'` or `$'...'`: nothing expands.
    Single,
    /// In a comment.
    Comment,
    /// Not known (inside a here-document, or past something not understood).
    Unknown,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    Double,
    /// `$(`, with the number of `(` opened inside it.
    Substitution(u32),
    Backtick,
}

/// How the shell reads byte `at` of a POSIX shell script: whether a `$VAR` written there would
/// expand. Quotes, backslashes, comments, `$(...)` and backticks are followed; a here-document
/// (`<<`) before `at` makes the answer [`Quoting::Unknown`].
pub fn quoting_at(script: &str, at: usize) -> Quoting {
    let bytes = script.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < at.min(bytes.len()) {
        let b = bytes[i];
        let in_double = stack.last() == Some(&Frame::Double);
        match b {
            b'\\' => i += 1,
            b'"' if in_double => {
                stack.pop();
            }
            b'"' => stack.push(Frame::Double),
            b'\'' if !in_double => {
                let ansi = i > 0 && bytes[i - 1] == b'$';
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'\'' {
                    if ansi && bytes[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                if at <= j {
                    return Quoting::Single;
                }
                i = j;
            }
            b'`' if stack.last() == Some(&Frame::Backtick) => {
                stack.pop();
            }
            b'`' => stack.push(Frame::Backtick),
            b'$' if bytes.get(i + 1) == Some(&b'(') => {
                stack.push(Frame::Substitution(0));
                i += 1;
            }
            b'(' if !in_double => {
                if let Some(Frame::Substitution(n)) = stack.last_mut() {
                    *n += 1;
                }
            }
            b')' if !in_double => match stack.last_mut() {
                Some(Frame::Substitution(0)) => {
                    stack.pop();
                }
                Some(Frame::Substitution(n)) => *n -= 1,
                _ => {}
            },
            b'<' if !in_double && bytes.get(i + 1) == Some(&b'<') => {
                if bytes.get(i + 2) != Some(&b'<') {
                    return Quoting::Unknown;
                }
                i += 2;
            }
            b'#' if !in_double
                && (i == 0
                    || matches!(
                        bytes[i - 1],
                        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')'
                    )) =>
            {
                let end = script[i..].find('\n').map_or(bytes.len(), |k| i + k);
                if at <= end {
                    return Quoting::Comment;
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    match stack.last() {
        None | Some(Frame::Substitution(_) | Frame::Backtick) => Quoting::Plain,
        Some(Frame::Double) => Quoting::Double,
    }
}
