//! From brush-parser's AST to our pipelines of simple commands with file ranges.

use brush_parser::ast;
use cw_diagnostics::TextRange;

use super::quote::unquote;
use super::source::Source;
use super::{Assignment, Pipeline, SimpleCommand, Word, parse_nested};

pub(super) struct Walker<'s> {
    pub(super) src: &'s Source<'s>,
    pub(super) depth: usize,
    /// The `sh -c` command this script is the argument of.
    pub(super) via: Option<TextRange>,
    pub(super) out: Vec<Pipeline>,
}

impl Walker<'_> {
    pub(super) fn program(&mut self, program: &ast::Program) {
        for list in &program.complete_commands {
            self.list(list);
        }
        // Pipelines made only of compound commands left an empty slot.
        self.out.retain(|p| !p.commands.is_empty());
    }

    fn list(&mut self, list: &ast::CompoundList) {
        for item in &list.0 {
            for (_, pipeline) in &item.0 {
                self.pipeline(pipeline);
            }
        }
    }

    fn pipeline(&mut self, pipeline: &ast::Pipeline) {
        // Reserve the slot first so that what nests inside comes after it, in source order.
        let slot = self.out.len();
        self.out.push(Pipeline {
            commands: Vec::new(),
            range: TextRange::default(),
            negated: pipeline.bang,
        });
        let mut commands = Vec::new();
        for command in &pipeline.seq {
            self.command(command, &mut commands);
        }
        let range = commands
            .iter()
            .map(|c: &SimpleCommand| c.range)
            .reduce(TextRange::cover)
            .unwrap_or_default();
        self.out[slot].commands = commands;
        self.out[slot].range = range;
    }

    fn command(&mut self, command: &ast::Command, commands: &mut Vec<SimpleCommand>) {
        match command {
            ast::Command::Simple(simple) => {
                if let Some(c) = self.simple(simple) {
                    commands.push(c);
                }
            }
            ast::Command::Compound(compound, redirects) => {
                self.compound(compound);
                if let Some(list) = redirects {
                    for redirect in &list.0 {
                        self.redirect(redirect, 0);
                    }
                }
            }
            ast::Command::Function(function) => self.compound(&function.body.0),
            ast::Command::ExtendedTest(..) => {}
        }
    }

    fn compound(&mut self, compound: &ast::CompoundCommand) {
        use ast::CompoundCommand as C;
        match compound {
            C::BraceGroup(group) => self.list(&group.list),
            C::Subshell(sub) => self.list(&sub.list),
            C::ForClause(f) => {
                for w in f.values.iter().flatten() {
                    self.word(w);
                }
                self.list(&f.body.list);
            }
            C::ArithmeticForClause(f) => self.list(&f.body.list),
            C::CaseClause(c) => {
                self.word(&c.value);
                for item in &c.cases {
                    if let Some(list) = &item.cmd {
                        self.list(list);
                    }
                }
            }
            C::IfClause(i) => {
                self.list(&i.condition);
                self.list(&i.then);
                for clause in i.elses.iter().flatten() {
                    if let Some(condition) = &clause.condition {
                        self.list(condition);
                    }
                    self.list(&clause.body);
                }
            }
            C::WhileClause(w) | C::UntilClause(w) => {
                self.list(&w.0);
                self.list(&w.1.list);
            }
            C::Coprocess(c) => {
                let mut commands = Vec::new();
                self.command(&c.body, &mut commands);
                self.push_pipeline(commands);
            }
            C::Arithmetic(_) => {}
        }
    }

    fn push_pipeline(&mut self, commands: Vec<SimpleCommand>) {
        if let Some(range) = commands.iter().map(|c| c.range).reduce(TextRange::cover) {
            self.out.push(Pipeline {
                commands,
                range,
                negated: false,
            });
        }
    }

    fn simple(&mut self, simple: &ast::SimpleCommand) -> Option<SimpleCommand> {
        let mut assignments = Vec::new();
        let mut args = Vec::new();
        let mut arg_starts = Vec::new();
        let mut redirects = Vec::new();
        let mut end = 0;
        for item in simple.prefix.iter().flat_map(|p| &p.0) {
            match item {
                ast::CommandPrefixOrSuffixItem::AssignmentWord(a, w) => {
                    let a = self.assignment(a, w);
                    end = a.range.end;
                    assignments.push(a);
                }
                ast::CommandPrefixOrSuffixItem::Word(w) => {
                    let (w, start) = self.located_word(w);
                    end = w.range.end;
                    args.push(w);
                    arg_starts.push(start);
                }
                other => self.item(other, end, &mut redirects),
            }
        }
        let name = simple.word_or_name.as_ref().map(|w| self.word(w));
        if let Some(n) = &name {
            end = n.range.end;
        }
        for item in simple.suffix.iter().flat_map(|s| &s.0) {
            match item {
                // `curl=7.*` after the name is an argument (notes/crates.md §3.3, gotcha 1).
                ast::CommandPrefixOrSuffixItem::Word(w)
                | ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => {
                    let (w, start) = self.located_word(w);
                    end = w.range.end;
                    args.push(w);
                    arg_starts.push(start);
                }
                other => self.item(other, end, &mut redirects),
            }
        }
        let name = name?;
        let range = assignments
            .iter()
            .map(|a| a.range)
            .chain([name.range])
            .chain(args.iter().map(|w| w.range))
            .chain(redirects.iter().map(|(_, w): &(String, Word)| w.range))
            .reduce(TextRange::cover)
            .unwrap_or(name.range);
        let command = SimpleCommand {
            name,
            args,
            assignments,
            range,
            redirects,
            via_shell_c: self.via,
        };
        if let Some(i) = command.shell_c_script()
            && let Some(start) = arg_starts[i]
        {
            self.shell_c(&command.args[i], start, command.range);
        }
        Some(command)
    }

    /// Redirections and process substitutions of a prefix or suffix.
    fn item(
        &mut self,
        item: &ast::CommandPrefixOrSuffixItem,
        anchor: u32,
        redirects: &mut Vec<(String, Word)>,
    ) {
        match item {
            ast::CommandPrefixOrSuffixItem::IoRedirect(r) => {
                if let Some(r) = self.redirect(r, anchor) {
                    redirects.push(r);
                }
            }
            ast::CommandPrefixOrSuffixItem::ProcessSubstitution(_, sub) => self.list(&sub.list),
            ast::CommandPrefixOrSuffixItem::Word(_)
            | ast::CommandPrefixOrSuffixItem::AssignmentWord(..) => {}
        }
    }

    fn redirect(&mut self, redirect: &ast::IoRedirect, anchor: u32) -> Option<(String, Word)> {
        let fd = |fd: &Option<i32>| fd.map(|n| n.to_string()).unwrap_or_default();
        match redirect {
            ast::IoRedirect::File(n, kind, target) => {
                let op = format!("{}{kind}", fd(n));
                let word = match target {
                    ast::IoFileRedirectTarget::Filename(w)
                    | ast::IoFileRedirectTarget::Duplicate(w) => self.word(w),
                    ast::IoFileRedirectTarget::Fd(target) => Word {
                        value: target.to_string(),
                        raw: target.to_string(),
                        range: TextRange::empty(anchor),
                        literal: true,
                    },
                    ast::IoFileRedirectTarget::ProcessSubstitution(_, sub) => {
                        self.list(&sub.list);
                        return None;
                    }
                };
                Some((op, word))
            }
            ast::IoRedirect::HereDocument(n, doc) => {
                let op = if doc.remove_tabs { "<<-" } else { "<<" };
                Some((format!("{}{op}", fd(n)), self.word(&doc.here_end)))
            }
            ast::IoRedirect::HereString(n, w) => Some((format!("{}<<<", fd(n)), self.word(w))),
            ast::IoRedirect::OutputAndError(w, append) => {
                let op = if *append { "&>>" } else { "&>" };
                Some((op.to_string(), self.word(w)))
            }
        }
    }

    /// The byte range in the source text of a brush word, and its raw text.
    fn span(&self, w: &ast::Word) -> Option<(usize, usize)> {
        let loc = w.loc.as_ref()?;
        let start = self.src.byte_of_char(loc.start.index);
        let end = self.src.byte_of_char(loc.end.index).max(start);
        Some((start, end))
    }

    fn word(&mut self, w: &ast::Word) -> Word {
        self.located_word(w).0
    }

    /// The word, and where its raw text starts in the source text (when brush's text is found
    /// there, which it always should be).
    fn located_word(&mut self, w: &ast::Word) -> (Word, Option<usize>) {
        let (start, end) = self.span(w).unwrap_or_default();
        let (raw, located) = match self.src.text.get(start..end) {
            Some(raw) if raw == w.value => (raw, Some(start)),
            _ => (w.value.as_str(), None),
        };
        let u = unquote(raw, false);
        let word = Word {
            value: if u.literal { u.value } else { raw.to_string() },
            raw: raw.to_string(),
            range: self.src.file_range(start, end),
            literal: u.literal,
        };
        if located.is_some() && (raw.contains("$(") || raw.contains('`')) {
            self.substitutions(&word.raw, start);
        }
        (word, located)
    }

    fn assignment(&mut self, a: &ast::Assignment, w: &ast::Word) -> Assignment {
        let whole = self.word(w);
        let name = match &a.name {
            ast::AssignmentName::VariableName(n) => n.clone(),
            ast::AssignmentName::ArrayElementName(n, i) => format!("{n}[{i}]"),
        };
        let (start, end) = self.span(w).unwrap_or_default();
        let value = match whole.raw.find('=') {
            Some(eq) if start + eq < end => {
                let raw = &whole.raw[eq + 1..];
                let u = unquote(raw, false);
                Word {
                    value: if u.literal { u.value } else { raw.to_string() },
                    raw: raw.to_string(),
                    range: self.src.file_range(start + eq + 1, end),
                    literal: u.literal,
                }
            }
            _ => whole.clone(),
        };
        Assignment {
            name,
            value,
            range: whole.range,
        }
    }

    /// `$(...)` and backticks inside a word at byte `base` of the source: parsed as scripts.
    fn substitutions(&mut self, raw: &str, base: usize) {
        for (s, e) in find_substitutions(raw) {
            let text = &raw[s..e];
            let offsets = self.src.offsets_of(base + s, base + e);
            let script = parse_nested(text, &offsets, self.depth + 1, self.via);
            self.out.extend(script.pipelines);
        }
    }

    /// `sh -c '...'`, `bash -euxc "..."`: the string (at byte `start` of the source) is a script of
    /// its own, run by the command at `outer`.
    fn shell_c(&mut self, script: &Word, start: usize, outer: TextRange) {
        let u = unquote(&script.raw, true);
        let offsets: Vec<u32> = u
            .map
            .iter()
            .map(|&i| self.src.offset(start + i as usize))
            .collect();
        let script = parse_nested(&u.value, &offsets, self.depth + 1, Some(outer));
        self.out.extend(script.pipelines);
    }
}

/// Byte ranges of the insides of `$(...)` (not `$((...))`) and `` `...` `` in a raw word, outermost
/// only, outside single quotes.
fn find_substitutions(raw: &str) -> Vec<(usize, usize)> {
    let bytes = raw.as_bytes();
    let mut found = Vec::new();
    let mut single = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if !single => i += 1,
            b'\'' => single = !single,
            b'$' if !single
                && bytes.get(i + 1) == Some(&b'(')
                && bytes.get(i + 2) != Some(&b'(') =>
            {
                let start = i + 2;
                if let Some(end) = matching_paren(bytes, start) {
                    found.push((start, end));
                    i = end;
                }
            }
            b'`' if !single => {
                let start = i + 1;
                if let Some(len) = bytes[start..].iter().position(|&b| b == b'`') {
                    found.push((start, start + len));
                    i = start + len;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The index of the `)` closing the `(` just before `start`, skipping quotes.
fn matching_paren(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 1usize;
    let (mut single, mut double) = (false, false);
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if !single => i += 1,
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'(' if !single && !double => depth += 1,
            b')' if !single && !double => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}
