//! Script lines (`script`, `before_script`, `after_script`) and their shell commands.

use cw_diagnostics::TextRange;
use cw_syntax::shell::{self, Script};
use cw_syntax::yaml::{Node, ScalarStyle};

use super::resolve::is_unresolved;

/// GitLab flattens nested script lists up to this depth.
const MAX_NESTING: usize = 10;

/// One line of a script: a string item of the list (or the lone string), after nested lists
/// (from `!reference`) are flattened.
#[derive(Clone, Copy, Debug)]
pub struct ScriptLine<'a> {
    /// The command text, after YAML unquoting and folding.
    pub text: &'a str,
    /// The scalar that holds it.
    pub node: &'a Node,
}

/// The lines of a script value; `complete` is `false` when an item is not known (an unresolved
/// `!reference`, not a string).
pub(crate) fn lines(node: &Node) -> (Vec<ScriptLine<'_>>, bool) {
    let mut out = Vec::new();
    let mut complete = true;
    collect(node, 0, &mut out, &mut complete);
    (out, complete)
}

fn collect<'a>(node: &'a Node, depth: usize, out: &mut Vec<ScriptLine<'a>>, complete: &mut bool) {
    if is_unresolved(node) || depth > MAX_NESTING {
        *complete = false;
        return;
    }
    if node.is_seq() {
        for item in node.items() {
            collect(item, depth + 1, out, complete);
        }
    } else if let Some(scalar) = node.as_scalar() {
        if !scalar.is_null() {
            out.push(ScriptLine {
                text: &scalar.text,
                node,
            });
        }
    } else {
        *complete = false;
    }
}

impl ScriptLine<'_> {
    /// The line's shell commands. `raw` is the source text of the scalar (the text at
    /// `self.node.range`): with it every word gets its exact file range; without it (an empty
    /// string, for a line of another file) or when the text cannot be aligned with it, every range
    /// is the scalar's.
    pub fn parse(&self, raw: &str) -> Script {
        let range = self.node.range;
        let style = self
            .node
            .as_scalar()
            .map_or(ScalarStyle::Plain, |s| s.style);
        if raw.len() == range.len() as usize
            && let Some(offsets) = align(self.text, raw, range.start, style)
        {
            return shell::parse(self.text, &offsets);
        }
        coarse(shell::parse_at(self.text, range.start), range)
    }
}

/// Every range of `script` set to `range`.
fn coarse(mut script: Script, range: TextRange) -> Script {
    for p in &mut script.pipelines {
        p.range = range;
        for c in &mut p.commands {
            c.range = range;
            c.name.range = range;
            for w in &mut c.args {
                w.range = range;
            }
            for a in &mut c.assignments {
                a.range = range;
                a.value.range = range;
            }
            for (_, w) in &mut c.redirects {
                w.range = range;
            }
            if c.via_shell_c.is_some() {
                c.via_shell_c = Some(range);
            }
        }
    }
    script
}

/// The file offset of each byte of `text` (and of its end), found by walking the scalar's source
/// `raw` (at file offset `base`) along with it: each character of the text comes from the first
/// source character (or escape) after the previous one that produces it; a space may come from a
/// folded line break. `None` when the walk runs out of source (but for trailing line breaks,
/// which a block scalar's range leaves out).
fn align(text: &str, raw: &str, base: u32, style: ScalarStyle) -> Option<Vec<u32>> {
    let mut j = match style {
        ScalarStyle::Literal | ScalarStyle::Folded => raw.find('\n')? + 1,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => 1,
        _ => 0,
    };
    let double = style == ScalarStyle::DoubleQuoted;
    let mut out = Vec::with_capacity(text.len() + 1);
    for ch in text.chars() {
        loop {
            let Some((produced, len)) = source_char(raw, j, double) else {
                // Kept final line breaks of a block scalar are past the end of its range.
                if ch.is_whitespace() {
                    out.extend(std::iter::repeat_n(base + raw.len() as u32, ch.len_utf8()));
                    break;
                }
                return None;
            };
            let hit = produced == Some(ch) || (produced == Some('\n') && ch == ' ');
            if hit {
                let at = base + j as u32;
                if len == ch.len_utf8() {
                    out.extend((0..len as u32).map(|k| at + k));
                } else {
                    out.extend(std::iter::repeat_n(at, ch.len_utf8()));
                }
                j += len;
                break;
            }
            j += len;
        }
    }
    out.push(base + j as u32);
    Some(out)
}

/// The character the source produces at byte `j` and how many bytes it takes: in a
/// double-quoted scalar an escape (`\n`, `\"`, `\x41`, `\u00e9`) is one character, and an
/// escaped line break produces none.
fn source_char(raw: &str, j: usize, double: bool) -> Option<(Option<char>, usize)> {
    let c = raw.get(j..)?.chars().next()?;
    if !(double && c == '\\') {
        return Some((Some(c), c.len_utf8()));
    }
    let n = raw.get(j + 1..)?.chars().next()?;
    let hex = |len: usize| {
        let digits = raw.get(j + 2..j + 2 + len)?;
        let ch = char::from_u32(u32::from_str_radix(digits, 16).ok()?)?;
        Some((Some(ch), 2 + len))
    };
    match n {
        'x' => hex(2),
        'u' => hex(4),
        'U' => hex(8),
        '\n' => Some((None, 2)),
        '\r' => Some((
            None,
            if raw.get(j + 2..j + 3) == Some("\n") {
                3
            } else {
                2
            },
        )),
        _ => {
            let produced = match n {
                'n' => '\n',
                't' | '\t' => '\t',
                'r' => '\r',
                '0' => '\0',
                'a' => '\u{7}',
                'b' => '\u{8}',
                'e' => '\u{1b}',
                'f' => '\u{c}',
                'v' => '\u{b}',
                'N' => '\u{85}',
                '_' => '\u{a0}',
                'L' => '\u{2028}',
                'P' => '\u{2029}',
                other => other,
            };
            Some((Some(produced), 1 + n.len_utf8()))
        }
    }
}
