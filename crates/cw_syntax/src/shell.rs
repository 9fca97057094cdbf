//! Shell (bash) inside `RUN`: every simple command with its words and their exact file positions,
//! across `&&`, `||`, `;`, pipes, subshells, compound commands and `sh -c '...'`.

use cw_diagnostics::TextRange;

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
}
