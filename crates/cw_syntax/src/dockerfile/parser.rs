//! The instruction parser: physical lines to logical lines to instructions, following BuildKit's
//! `parser.Parse` line by line.

use cw_diagnostics::{Spanned, TextRange};

use super::exec::{self, Json};
use super::heredoc::markers;
use super::lines::{Line, Logical, Offsets, continuation, is_sep, line_at, skip_ws};
use super::{
    Arguments, DockerfileAst, ExecArgs, Flag, Heredoc, Instruction, Keyword, ShellText,
    SyntaxError, directives, flags, validate,
};

pub(super) fn parse(src: &str) -> DockerfileAst {
    let bom = if src.starts_with('\u{feff}') { 3 } else { 0 };
    let d = directives::parse(src, bom);
    let mut parser = Parser {
        src,
        pos: d.end,
        escape: if d.escape == '`' { b'`' } else { b'\\' },
        logical: Logical::default(),
        ast: DockerfileAst {
            // Typical Dockerfiles have an instruction every 40 to 80 bytes.
            instructions: Vec::with_capacity(src.len() / 64 + 1),
            directives: d.directives,
            escape: d.escape,
            errors: d.errors,
            ..DockerfileAst::default()
        },
        seen_from: false,
        reported_no_stage: false,
    };
    parser.run();
    let mut ast = parser.ast;
    ast.errors.sort_by_key(|e| e.range.start);
    ast
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    escape: u8,
    /// Reused for every instruction.
    logical: Logical,
    ast: DockerfileAst,
    seen_from: bool,
    reported_no_stage: bool,
}

impl Parser<'_> {
    fn run(&mut self) {
        while let Some(line) = line_at(self.src, self.pos) {
            self.pos = line.next;
            let first = skip_ws(self.src, line.start, line.end);
            if first == line.end {
                continue;
            }
            if self.src.as_bytes()[first] == b'#' {
                self.comment(first, line.end);
                continue;
            }
            if let Some(ins) = self.instruction(first, line) {
                self.check_stage(&ins);
                self.ast.instructions.push(ins);
            }
        }
    }

    fn comment(&mut self, start: usize, end: usize) {
        self.ast.comments.push(Spanned::new(
            self.src[start..end].to_string(),
            TextRange::from_usize(start, end),
        ));
    }

    fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.ast.errors.push(SyntaxError {
            range,
            message: message.into(),
        });
    }

    /// Appends one physical line's content; true when it ends with a continuation.
    fn segment(&mut self, start: usize, end: usize) -> bool {
        let cut = continuation(self.src, start, end, self.escape);
        self.logical.push(self.src, start, cut.unwrap_or(end));
        cut.is_some()
    }

    /// The instruction starting at `first` on `line`, with its continuation lines and heredoc bodies.
    fn instruction(&mut self, first: usize, line: Line) -> Option<Instruction> {
        let src = self.src;
        let mut ins = if continuation(src, first, line.end, self.escape).is_none() {
            // One physical line, the common case: no copy.
            let text = src[first..line.end].trim_end();
            self.build(text, Offsets::Contiguous(first as u32), line.end, false)
        } else {
            self.joined_instruction(first, line)?
        };
        self.heredocs(&mut ins);
        Some(ins)
    }

    /// An instruction continued over several lines, joined into the logical line buffer.
    fn joined_instruction(&mut self, first: usize, line: Line) -> Option<Instruction> {
        self.logical.clear();
        let mut end = line.end;
        let mut more = self.segment(first, line.end);
        while more {
            let Some(next) = line_at(self.src, self.pos) else {
                break;
            };
            self.pos = next.next;
            let f = skip_ws(self.src, next.start, next.end);
            if f == next.end {
                continue;
            }
            if self.src.as_bytes()[f] == b'#' {
                self.comment(f, next.end);
                continue;
            }
            more = self.segment(next.start, next.end);
            end = next.end;
        }

        let logical = std::mem::take(&mut self.logical);
        let text = logical.text.trim_end();
        let lead = skip_ws(text, 0, text.len());
        let ins = (lead < text.len()).then(|| {
            self.build(
                &text[lead..],
                Offsets::Segments(&logical.segments, lead as u32),
                end,
                false,
            )
        });
        self.logical = logical;
        ins
    }

    /// Builds the instruction of the logical line `text` (trimmed; `offs` maps it to the file, with
    /// at least one entry past its end).
    fn build(&mut self, text: &str, offs: Offsets<'_>, end: usize, nested: bool) -> Instruction {
        let span = |s: usize, e: usize| offs.span(s, e);
        let kw_end = text.bytes().position(is_sep).unwrap_or(text.len());
        let keyword = Keyword::parse(&text[..kw_end]);
        let keyword_range = span(0, kw_end);
        let (raw_flags, after_flags) = flags::extract(text, kw_end);
        let args_start = skip_ws(text, after_flags, text.len());
        let flags: Vec<Flag> = raw_flags
            .into_iter()
            .map(|f| Flag {
                name: Spanned::new(f.name, span(f.name_range.0, f.name_range.1)),
                value: f.value.map(|(v, (s, e))| Spanned::new(v, span(s, e))),
                range: span(f.range.0, f.range.1),
            })
            .collect();
        let anchor = flags.last().map_or(keyword_range.end, |f| f.range.end);
        let args_text = &text[args_start..];
        let escape = char::from(self.escape);
        let shell = || {
            let mut offsets = Vec::with_capacity(args_text.len() + 1);
            offs.extend_into(&mut offsets, args_start, text.len());
            let range = if args_text.is_empty() {
                TextRange::empty(anchor)
            } else {
                span(args_start, text.len())
            };
            offsets.push(range.end);
            ShellText {
                text: args_text.to_string(),
                offsets,
                range,
                escape,
            }
        };
        let args = match keyword.takes_exec_form().then(|| exec::parse(args_text)) {
            Some(Json::Strings(items)) => Arguments::Exec(ExecArgs {
                items: items
                    .into_iter()
                    .map(|(v, s, e)| Spanned::new(v, span(args_start + s, args_start + e)))
                    .collect(),
                range: span(args_start, text.len()),
            }),
            Some(Json::NotStrings) => {
                self.error(
                    span(args_start, text.len()),
                    "when using JSON array syntax, arrays must be comprised of strings only",
                );
                Arguments::Shell(shell())
            }
            Some(Json::Invalid) | None => Arguments::Shell(shell()),
        };
        let onbuild = (keyword == Keyword::Onbuild && !nested && !args_text.is_empty())
            .then(|| Box::new(self.build(args_text, offs.skip(args_start), end, true)));
        let ins = Instruction {
            keyword,
            keyword_range,
            range: TextRange::new(offs.at(0), (end as u32).max(offs.at(0))),
            flags,
            args,
            heredocs: Vec::new(),
            onbuild,
        };
        if keyword == Keyword::Unknown && !nested {
            self.error(
                keyword_range,
                validate::unknown_instruction(&text[..kw_end]),
            );
        }
        validate::check(&ins, self.src, nested, &mut self.ast.errors);
        ins
    }

    /// Reads the bodies of the heredocs opened on the instruction line, in order.
    fn heredocs(&mut self, ins: &mut Instruction) {
        let target = match ins.keyword {
            Keyword::Onbuild => ins.onbuild.as_deref(),
            _ => Some(&*ins),
        };
        if !target.is_some_and(|t| t.keyword.takes_heredocs() && !t.is_exec_form()) {
            return;
        }
        let Arguments::Shell(text) = &ins.args else {
            return;
        };
        let found: Vec<_> = markers(&text.text)
            .into_iter()
            .map(|m| {
                let range = text.range_of(m.range.0, m.range.1);
                (m, range)
            })
            .collect();
        if found.is_empty() {
            return;
        }
        let mut docs = Vec::with_capacity(found.len());
        let mut unterminated = false;
        for (m, marker_range) in found {
            let body_start = self.pos;
            let closing = self.body_end(&m.delimiter, m.strip_tabs);
            if closing.is_none() && !unterminated {
                unterminated = true;
                self.error(marker_range, "unterminated heredoc");
            }
            let (body_end, line_end) =
                closing.map_or((self.src.len(), self.src.len()), |l| (l.start, l.end));
            ins.range.end = line_end as u32;
            docs.push(Heredoc {
                delimiter: m.delimiter,
                quoted: m.quoted,
                strip_tabs: m.strip_tabs,
                marker_range,
                body: self.src[body_start..body_end].to_string(),
                body_range: TextRange::from_usize(body_start, body_end),
            });
        }
        if let Some(trigger) = ins.onbuild.as_deref_mut() {
            trigger.range.end = ins.range.end;
            trigger.heredocs.clone_from(&docs);
        }
        ins.heredocs = docs;
    }

    /// Consumes lines up to and including the one equal to `delimiter` (after leading tabs for `<<-`);
    /// returns that line, or `None` at the end of the file.
    fn body_end(&mut self, delimiter: &str, strip_tabs: bool) -> Option<Line> {
        while let Some(line) = line_at(self.src, self.pos) {
            self.pos = line.next;
            let mut content = &self.src[line.start..line.end];
            if strip_tabs {
                content = content.trim_start_matches('\t');
            }
            if content == delimiter {
                return Some(line);
            }
        }
        None
    }

    /// Everything but ARG before the first FROM is an error (BuildKit stops at the first).
    fn check_stage(&mut self, ins: &Instruction) {
        match ins.keyword {
            Keyword::From => self.seen_from = true,
            Keyword::Arg => {}
            // Often a misspelt FROM, already reported: do not cascade.
            Keyword::Unknown => self.reported_no_stage = true,
            _ if !self.seen_from && !self.reported_no_stage => {
                self.reported_no_stage = true;
                self.error(ins.keyword_range, "no build stage in current context");
            }
            _ => {}
        }
    }
}
