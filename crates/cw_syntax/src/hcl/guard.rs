//! A linear pre-scan that keeps hcl-edit out of its exponential case.
//!
//! hcl-edit parses a chain of binary operators, rewinds to the operator before a term that fails
//! to parse, and then parses that term again from the same place. A term nested in brackets that
//! fails is therefore parsed twice per enclosing level where it follows an operator: invalid input
//! like `a = 1 + 1 * (1 + 1 * (… x & y …))` costs `2^levels` times its length, and a few hundred
//! bytes keep the parser busy for minutes. Valid input never goes down that path, but we cannot
//! tell valid from invalid without parsing.
//!
//! The scan walks the text once, through strings, heredocs, comments and template
//! interpolations, and counts the brackets (and quoted strings, heredocs) opened as an operand of
//! an operator: a *risky* level. For each outermost risky level it bounds the parser's worst
//! case, `2^levels × bytes`, by [`BUDGET`], and reports the text as too complex when it exceeds
//! it. Real code stays far below: the budget allows 8 such levels within 16 KiB, 16 within
//! 64 bytes.

use cw_diagnostics::TextRange;

use super::HclError;

/// The worst-case work allowed, in bytes parsed again.
const BUDGET: u64 = 1 << 22;

/// Where the text starts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    /// A file or block body: attributes and blocks, one per line.
    Body,
    /// One expression.
    Expr,
    /// Literal text with interpolations and directives (a template file, a JSON string).
    Template,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Attributes and blocks; a newline ends an attribute's value.
    Body { in_value: bool },
    /// Expression text, closed by `)`, `]` or `}` (none at the root).
    Code,
    /// A quoted string, closed by `"`.
    Quoted,
    /// A heredoc, closed by its delimiter on a line of its own.
    Heredoc {
        delim_start: usize,
        delim_end: usize,
    },
    /// A template file: never closed.
    Template,
}

struct Frame {
    kind: Kind,
    risky: bool,
    /// An operator was seen since the last separator: a bracket opened now is an operand.
    after_op: bool,
}

struct Scan<'a> {
    text: &'a [u8],
    stack: Vec<Frame>,
    /// Risky frames on the stack.
    risky: u32,
    /// The outermost open risky frame: its start and the deepest risky count under it.
    outer: Option<(usize, u32)>,
}

/// Checks `text` (whose first byte is at `base` in the file) before it is given to hcl-edit.
pub(super) fn check(text: &str, start: Start, base: u32) -> Result<(), HclError> {
    let root = match start {
        Start::Body => Kind::Body { in_value: false },
        Start::Expr => Kind::Code,
        Start::Template => Kind::Template,
    };
    let mut scan = Scan {
        text: text.as_bytes(),
        stack: vec![Frame {
            kind: root,
            risky: false,
            after_op: false,
        }],
        risky: 0,
        outer: None,
    };
    scan.run().map_err(|(at, levels, len)| HclError {
        range: TextRange::from_usize(at, at + 1).shift(base),
        message: format!(
            "expression too complex to parse: {levels} levels of bracketed operands within \
             {len} bytes exceed the parser's budget"
        ),
    })
}

impl Scan<'_> {
    fn byte(&self, i: usize) -> u8 {
        self.text.get(i).copied().unwrap_or(0)
    }

    fn starts(&self, i: usize, s: &[u8]) -> bool {
        self.text.get(i..).is_some_and(|t| t.starts_with(s))
    }

    /// Runs to the end; on failure, the start, the risky levels and the length of the region
    /// over budget.
    fn run(&mut self) -> Result<(), (usize, u32, usize)> {
        let mut i = 0;
        while i < self.text.len() {
            let Some(top) = self.stack.last() else {
                return Ok(());
            };
            i = match top.kind {
                Kind::Body { .. } | Kind::Code => self.code(i)?,
                Kind::Quoted => self.quoted(i)?,
                Kind::Heredoc {
                    delim_start,
                    delim_end,
                } => self.heredoc(i, delim_start, delim_end)?,
                Kind::Template => self.template(i),
            };
        }
        // Unclosed frames run to the end of the text.
        if let Some((start, levels)) = self.outer {
            Self::within_budget(start, levels, self.text.len())?;
        }
        Ok(())
    }

    fn within_budget(start: usize, levels: u32, end: usize) -> Result<(), (usize, u32, usize)> {
        let len = end.saturating_sub(start);
        let cost = (len as u64).saturating_mul(1u64 << levels.min(40));
        if cost > BUDGET {
            Err((start, levels, len))
        } else {
            Ok(())
        }
    }

    fn push(&mut self, kind: Kind, at: usize) {
        let risky =
            self.stack.last().is_some_and(|f| f.after_op) && !matches!(kind, Kind::Body { .. });
        if risky {
            self.risky += 1;
            let (start, levels) = self.outer.unwrap_or((at, 0));
            self.outer = Some((start, levels.max(self.risky)));
        }
        self.stack.push(Frame {
            kind,
            risky,
            after_op: false,
        });
    }

    /// Closes the top frame (never the root) at `end`.
    fn pop(&mut self, end: usize) -> Result<(), (usize, u32, usize)> {
        if self.stack.len() <= 1 {
            return Ok(());
        }
        if let Some(frame) = self.stack.pop()
            && frame.risky
        {
            self.risky = self.risky.saturating_sub(1);
            if self.risky == 0
                && let Some((start, levels)) = self.outer.take()
            {
                Self::within_budget(start, levels, end)?;
            }
        }
        Ok(())
    }

    fn set_after_op(&mut self, value: bool) {
        if let Some(top) = self.stack.last_mut() {
            top.after_op = value;
        }
    }

    /// One token of expression or body text at `i`; returns where the next one starts.
    fn code(&mut self, i: usize) -> Result<usize, (usize, u32, usize)> {
        let b = self.byte(i);
        let next = self.byte(i + 1);
        let body = match self.stack.last().map(|f| f.kind) {
            Some(Kind::Body { in_value }) => Some(in_value),
            _ => None,
        };
        Ok(match b {
            b'"' => {
                self.push(Kind::Quoted, i);
                i + 1
            }
            b'{' if body == Some(false) => {
                self.push(Kind::Body { in_value: false }, i);
                i + 1
            }
            b'(' | b'[' | b'{' => {
                self.push(Kind::Code, i);
                i + 1
            }
            b')' | b']' | b'}' => {
                self.pop(i + 1)?;
                i + 1
            }
            b'#' => self.line_end(i),
            b'/' if next == b'/' => self.line_end(i),
            b'/' if next == b'*' => self.find(i + 2, b"*/").map_or(self.text.len(), |e| e + 2),
            b'<' if next == b'<' => {
                if let Some((delim_start, delim_end, body_start)) = self.heredoc_start(i) {
                    self.push(
                        Kind::Heredoc {
                            delim_start,
                            delim_end,
                        },
                        i,
                    );
                    body_start
                } else {
                    self.set_after_op(true);
                    i + 2
                }
            }
            b'=' if next == b'=' => {
                self.set_after_op(true);
                i + 2
            }
            b'=' => {
                self.set_after_op(false);
                if let Some(Frame {
                    kind: Kind::Body { in_value },
                    ..
                }) = self.stack.last_mut()
                {
                    *in_value = true;
                }
                if next == b'>' { i + 2 } else { i + 1 }
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'<' | b'>' | b'!' | b'&' | b'|' => {
                self.set_after_op(true);
                i + 1
            }
            b',' | b':' | b'?' => {
                self.set_after_op(false);
                i + 1
            }
            b'\n' if body.is_some() => {
                if let Some(top) = self.stack.last_mut() {
                    top.after_op = false;
                    top.kind = Kind::Body { in_value: false };
                }
                i + 1
            }
            _ => i + 1,
        })
    }

    /// The index of the line ending after `i` (or the end of the text).
    fn line_end(&self, i: usize) -> usize {
        self.find(i, b"\n").unwrap_or(self.text.len())
    }

    fn find(&self, from: usize, needle: &[u8]) -> Option<usize> {
        let hay = self.text.get(from..)?;
        hay.windows(needle.len())
            .position(|w| w == needle)
            .map(|p| from + p)
    }

    /// `<<ID` or `<<-ID` then a line ending at `i`: the delimiter's bounds and where the body
    /// starts.
    fn heredoc_start(&self, i: usize) -> Option<(usize, usize, usize)> {
        let mut j = i + 2;
        if self.byte(j) == b'-' {
            j += 1;
        }
        let delim_start = j;
        if !is_id_start(self.byte(j)) {
            return None;
        }
        while is_id_continue(self.byte(j)) {
            j += 1;
        }
        let delim_end = j;
        if self.byte(j) == b'\r' {
            j += 1;
        }
        (self.byte(j) == b'\n').then_some((delim_start, delim_end, j + 1))
    }

    /// Interpolation and directive starts shared by all templates: `$${` and `%%{` are escapes.
    fn template_open(&mut self, i: usize) -> Option<usize> {
        if self.starts(i, b"$${") || self.starts(i, b"%%{") {
            return Some(i + 3);
        }
        if self.starts(i, b"${") || self.starts(i, b"%{") {
            self.push(Kind::Code, i);
            return Some(i + 2);
        }
        None
    }

    fn quoted(&mut self, i: usize) -> Result<usize, (usize, u32, usize)> {
        if let Some(next) = self.template_open(i) {
            return Ok(next);
        }
        Ok(match self.byte(i) {
            b'\\' => i + 2,
            b'"' => {
                self.pop(i + 1)?;
                i + 1
            }
            _ => i + 1,
        })
    }

    fn heredoc(
        &mut self,
        i: usize,
        delim_start: usize,
        delim_end: usize,
    ) -> Result<usize, (usize, u32, usize)> {
        if let Some(next) = self.template_open(i) {
            return Ok(next);
        }
        // The body starts on a new line; so does every line after a line ending.
        let line_start = i == 0 || self.byte(i - 1) == b'\n';
        if line_start {
            let mut j = i;
            while matches!(self.byte(j), b' ' | b'\t') {
                j += 1;
            }
            let delim = self.text.get(delim_start..delim_end).unwrap_or_default();
            if self.starts(j, delim) && !is_id_continue(self.byte(j + delim.len())) {
                let end = j + delim.len();
                self.pop(end)?;
                return Ok(end);
            }
        }
        Ok(i + 1)
    }

    fn template(&mut self, i: usize) -> usize {
        self.template_open(i).unwrap_or(i + 1)
    }
}

fn is_id_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_id_continue(b: u8) -> bool {
    is_id_start(b) || b.is_ascii_digit() || b == b'-'
}
