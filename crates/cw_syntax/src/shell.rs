//! Shell (bash) inside `RUN`: every simple command with its words and their exact file positions,
//! across `&&`, `||`, `;`, pipes, subshells, compound commands and `sh -c '...'`.

mod guard;
mod quote;
mod source;
#[cfg(test)]
mod tests;
mod walk;

use cw_diagnostics::TextRange;

pub use self::source::SYNTHETIC;
use self::source::Source;
use self::walk::Walker;

/// A word as the shell would see it after quote removal, when it is fully literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The word after quote removal. For a non-literal word (`$X`, `$(cmd)`), the raw text.
    pub value: String,
    /// The word as written.
    pub raw: String,
    pub range: TextRange,
    /// No expansions (`$VAR`, `$(..)`, backticks, globs are fine): `value` is exactly what the command gets.
    pub literal: bool,
}

/// `NAME=value` before a command (`DEBIAN_FRONTEND=noninteractive apt-get ...`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub value: Word,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleCommand {
    /// The command name (`apt-get`). Commands that are only assignments are not listed.
    pub name: Word,
    pub args: Vec<Word>,
    pub assignments: Vec<Assignment>,
    /// From the first assignment or the name to the last argument or redirection.
    pub range: TextRange,
    /// Redirection targets (`> /var/log/app.log`): operator and target word.
    pub redirects: Vec<(String, Word)>,
    /// Set when this command was found inside `sh -c '...'` / `bash -c "..."`: the range of that outer command.
    pub via_shell_c: Option<TextRange>,
}

/// Commands joined by `|`. A lone command is a pipeline of one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    pub commands: Vec<SimpleCommand>,
    pub range: TextRange,
    /// `! cmd`
    pub negated: bool,
}

/// A shell script: its pipelines in source order (including those nested inside `if`, `for`, `while`,
/// `case`, `{ }`, `( )`, functions, `$(...)` and `sh -c`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    pub pipelines: Vec<Pipeline>,
    /// Set when the shell parser rejected the script: the script is then not analysed (never a CW001:
    /// Docker itself does not parse RUN bodies).
    pub error: Option<String>,
}

impl Script {
    /// Every simple command, in source order.
    pub fn commands(&self) -> impl Iterator<Item = &SimpleCommand> {
        self.pipelines.iter().flat_map(|p| p.commands.iter())
    }

    /// A script that was not analysed, with the reason.
    pub fn failed(reason: impl Into<String>) -> Script {
        Script {
            pipelines: Vec::new(),
            error: Some(reason.into()),
        }
    }
}

impl SimpleCommand {
    /// The command name without its directory: `apt-get` for `/usr/bin/apt-get`.
    pub fn program(&self) -> &str {
        self.name
            .value
            .rsplit('/')
            .next()
            .unwrap_or(&self.name.value)
    }

    /// The argument values, in order.
    pub fn arg_values(&self) -> impl Iterator<Item = &str> {
        self.args.iter().map(|w| w.value.as_str())
    }

    /// Whether an argument is exactly `arg`.
    pub fn has_arg(&self, arg: &str) -> bool {
        self.args.iter().any(|w| w.value == arg)
    }

    /// For a POSIX shell called with `-c` (`sh -c '...'`, `bash -euxo pipefail -c "..."`), the index
    /// in `args` of the script argument.
    pub fn shell_c_script(&self) -> Option<usize> {
        if !is_posix_shell(self.program()) {
            return None;
        }
        let mut has_c = false;
        let mut args = self.args.iter().enumerate();
        while let Some((i, arg)) = args.next() {
            let v = arg.value.as_str();
            if v == "--" || v == "-" {
                return args.next().filter(|_| has_c).map(|(i, _)| i);
            }
            if v.starts_with("--") {
                continue;
            }
            if v.len() > 1 && (v.starts_with('-') || v.starts_with('+')) {
                has_c |= v.starts_with('-') && v.contains('c');
                if v.contains(['o', 'O']) {
                    args.next();
                }
                continue;
            }
            return has_c.then_some(i);
        }
        None
    }

    /// A POSIX shell that reads its script from standard input (`bash`, `sh -eux`, `bash -s -- a`),
    /// not from `-c` or a script file.
    pub fn is_shell_reading_stdin(&self) -> bool {
        if !is_posix_shell(self.program()) {
            return false;
        }
        let mut args = self.arg_values();
        while let Some(v) = args.next() {
            if v == "--" || v == "-" {
                return true;
            }
            if v.starts_with("--") {
                continue;
            }
            if v.len() > 1 && (v.starts_with('-') || v.starts_with('+')) {
                if v.starts_with('-') && v.contains('c') {
                    return false;
                }
                if v.starts_with('-') && v.contains('s') {
                    return true;
                }
                if v.contains(['o', 'O']) {
                    args.next();
                }
                continue;
            }
            return false;
        }
        true
    }
}

/// Whether `program` (a command name without directory) is a POSIX-style shell that takes `-c`.
pub fn is_posix_shell(program: &str) -> bool {
    matches!(
        program,
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh"
    )
}

/// How deep `sh -c`, `$(...)` and backticks are followed inside one script.
const MAX_DEPTH: usize = 6;

/// Nesting (of parentheses, braces, `if`, `do`, `case`) above which brush-parser is not called: its
/// recursive descent overflows a 2 MiB stack somewhere past 100 levels.
const MAX_NESTING: usize = 48;

/// Parses a shell script given as one logical line or several lines. `offsets[i]` is the file offset
/// of `text` byte `i` (as [`ShellText::offsets`](crate::dockerfile::ShellText)), so that every range
/// in the result is a file range; [`SYNTHETIC`] marks a byte that is not in the file. Never panics; a
/// script the parser rejects gives `error`.
pub fn parse(text: &str, offsets: &[u32]) -> Script {
    parse_nested(text, offsets, 0, None)
}

/// [`parse`] for a script that sits unchanged in the file at byte `base` (a heredoc body).
pub fn parse_at(text: &str, base: u32) -> Script {
    let offsets: Vec<u32> = (0..=text.len() as u32).map(|i| base + i).collect();
    parse(text, &offsets)
}

fn parse_nested(text: &str, offsets: &[u32], depth: usize, via: Option<TextRange>) -> Script {
    if depth > MAX_DEPTH {
        return Script::failed("nested too deeply to analyse");
    }
    let src = Source::new(text, offsets);
    if nesting(&src.text) > MAX_NESTING {
        return Script::failed("nested too deeply to analyse");
    }
    if let Some(reason) = guard::rejected(&src.text) {
        return Script::failed(reason);
    }
    let options = brush_parser::ParserOptions::default();
    let program = match brush_parser::Parser::new(src.text.as_bytes(), &options).parse_program() {
        Ok(program) => program,
        Err(e) => return Script::failed(e.to_string()),
    };
    let mut walker = Walker {
        src: &src,
        depth,
        via,
        out: Vec::new(),
    };
    walker.program(&program);
    Script {
        pipelines: walker.out,
        error: None,
    }
}

/// An upper bound of the syntactic nesting of `text`: brackets, and `if`/`do`/`case` keywords, quotes
/// ignored.
fn nesting(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphabetic() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            match &bytes[start..i] {
                b"if" | b"do" | b"case" => depth += 1,
                b"fi" | b"done" | b"esac" => depth = depth.saturating_sub(1),
                _ => {}
            }
        } else {
            match b {
                b'(' | b'{' | b'[' => depth += 1,
                b')' | b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
            i += 1;
        }
        max = max.max(depth);
    }
    max
}
