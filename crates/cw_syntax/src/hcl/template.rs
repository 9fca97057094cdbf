//! Strip markers and heredoc flushing, the way HCL applies them: on a flat token stream in which
//! every line of a heredoc's literal text is a token of its own, strip markers first, then the
//! `<<-` indentation removal (hclsyntax `parseTemplateParts` and `flushHeredocTemplateParts`).

use cw_diagnostics::{Spanned, TextRange};

use super::ast::{Expr, Template, TemplateFor, TemplateIf, TemplatePart};

/// One token of a template. `strip` is `(before, after)`: `~` after the opening `${`/`%{` strips
/// the literal before, `~` before the closing `}` the literal after.
pub(super) enum Tok {
    Lit {
        text: String,
        range: TextRange,
    },
    Interp {
        expr: Expr,
        strip: (bool, bool),
    },
    If {
        condition: Expr,
        strip: (bool, bool),
        range: TextRange,
    },
    Else {
        strip: (bool, bool),
    },
    EndIf {
        strip: (bool, bool),
    },
    For {
        key_var: Option<Spanned<String>>,
        value_var: Spanned<String>,
        collection: Expr,
        strip: (bool, bool),
        range: TextRange,
    },
    EndFor {
        strip: (bool, bool),
    },
}

impl Tok {
    fn strip(&self) -> (bool, bool) {
        match self {
            Tok::Lit { .. } => (false, false),
            Tok::Interp { strip, .. }
            | Tok::If { strip, .. }
            | Tok::Else { strip }
            | Tok::EndIf { strip }
            | Tok::For { strip, .. }
            | Tok::EndFor { strip } => *strip,
        }
    }
}

/// `$${` → `${` and `%%{` → `%{` (the only escapes in a heredoc).
fn unescape_markers(s: &str) -> String {
    s.replace("$${", "${").replace("%%{", "%{")
}

/// Pushes a literal: one token per line when `split` (a heredoc), each ending with its `\n`.
/// `raw` is the source text as written (its markers are unescaped here); `exact` says whether
/// `text` lines up byte for byte with `range`, so that each line gets its own range.
pub(super) fn push_literal(
    out: &mut Vec<Tok>,
    text: &str,
    range: TextRange,
    split: bool,
    raw: bool,
    exact: bool,
) {
    let exact = exact || raw;
    let pieces: Vec<&str> = if split {
        text.split_inclusive('\n').collect()
    } else {
        vec![text]
    };
    let mut offset = 0u32;
    for piece in pieces {
        let piece_range = if exact {
            TextRange::new(
                (range.start + offset).min(range.end),
                (range.start + offset + piece.len() as u32).min(range.end),
            )
        } else {
            range
        };
        offset += piece.len() as u32;
        let text = if raw {
            unescape_markers(piece)
        } else {
            piece.to_owned()
        };
        out.push(Tok::Lit {
            text,
            range: piece_range,
        });
    }
}

/// Applies strip markers to the adjacent literal tokens.
pub(super) fn strip(toks: &mut [Tok]) {
    for i in 0..toks.len() {
        let (before, after) = toks[i].strip();
        if before
            && i > 0
            && let Tok::Lit { text, range } = &mut toks[i - 1]
        {
            let kept = text.trim_end().len();
            range.end = range
                .end
                .saturating_sub((text.len() - kept) as u32)
                .max(range.start);
            text.truncate(kept);
        }
        if after && let Some(Tok::Lit { text, range }) = toks.get_mut(i + 1) {
            let trimmed = text.len() - text.trim_start().len();
            range.start = (range.start + trimmed as u32).min(range.end);
            text.drain(..trimmed);
        }
    }
}

/// Removes the smallest indentation found at the start of a line from every line-leading
/// literal. A line-leading interpolation or directive counts as no indentation; a blank line
/// does not count (and keeps its whitespace).
pub(super) fn flush(toks: &mut [Tok]) {
    let mut min = usize::MAX;
    let mut newline = true;
    let mut adjust = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        if newline {
            newline = false;
            let spaces = match tok {
                Tok::Lit { text, .. } => {
                    let trimmed = text.trim_start();
                    if trimmed.is_empty() && text.ends_with('\n') {
                        usize::MAX
                    } else {
                        adjust.push(i);
                        text[..text.len() - trimmed.len()].chars().count()
                    }
                }
                _ => 0,
            };
            min = min.min(spaces);
        }
        if let Tok::Lit { text, .. } = tok
            && text.ends_with('\n')
        {
            newline = true;
        }
    }
    if min == 0 || min == usize::MAX {
        return;
    }
    for i in adjust {
        if let Tok::Lit { text, range } = &mut toks[i] {
            let bytes: usize = text.chars().take(min).map(char::len_utf8).sum();
            text.drain(..bytes);
            range.start = (range.start + bytes as u32).min(range.end);
        }
    }
}

/// Builds the template tree from the processed tokens, merging adjacent literals and dropping
/// empty ones.
pub(super) fn build(toks: Vec<Tok>) -> Template {
    let mut iter = toks.into_iter();
    sequence(&mut iter).0
}

/// The parts up to the token that closes the sequence (`else`, `endif`, `endfor`), which is
/// returned with them.
fn sequence(iter: &mut std::vec::IntoIter<Tok>) -> (Template, Option<Tok>) {
    let mut parts: Vec<TemplatePart> = Vec::new();
    while let Some(tok) = iter.next() {
        match tok {
            Tok::Lit { text, range } => {
                if text.is_empty() {
                    continue;
                }
                if let Some(TemplatePart::Literal(prev)) = parts.last_mut() {
                    prev.value.push_str(&text);
                    prev.range = prev.range.cover(range);
                } else {
                    parts.push(TemplatePart::Literal(Spanned::new(text, range)));
                }
            }
            Tok::Interp { expr, .. } => parts.push(TemplatePart::Interpolation(expr)),
            Tok::If {
                condition, range, ..
            } => {
                let (then, end) = sequence(iter);
                let otherwise = if matches!(end, Some(Tok::Else { .. })) {
                    sequence(iter).0
                } else {
                    Template::default()
                };
                parts.push(TemplatePart::If(Box::new(TemplateIf {
                    condition,
                    then,
                    otherwise,
                    range,
                })));
            }
            Tok::For {
                key_var,
                value_var,
                collection,
                range,
                ..
            } => {
                let (body, _) = sequence(iter);
                parts.push(TemplatePart::For(Box::new(TemplateFor {
                    key_var,
                    value_var,
                    collection,
                    body,
                    range,
                })));
            }
            end @ (Tok::Else { .. } | Tok::EndIf { .. } | Tok::EndFor { .. }) => {
                return (Template { parts }, Some(end));
            }
        }
    }
    (Template { parts }, None)
}
