use cw_diagnostics::{Spanned, TextRange};

/// A parsed Dockerfile. Parsing never fails: what cannot be understood is recorded in `errors`.
#[derive(Clone, Debug, Default)]
pub struct DockerfileAst {
    /// Parser directives at the top of the file (`# syntax=`, `# escape=`, `# check=`), in order.
    pub directives: Vec<Directive>,
    /// The escape character in force: `\` unless `# escape=` says otherwise.
    pub escape: char,
    pub instructions: Vec<Instruction>,
    /// Every comment line (including those inside continuations), `#` included, in order.
    pub comments: Vec<Spanned<String>>,
    /// Syntax errors (reported as CW001), in order.
    pub errors: Vec<SyntaxError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// `# name=value` at the top of the file. `name` is lowercased.
#[derive(Clone, Debug)]
pub struct Directive {
    pub name: Spanned<String>,
    pub value: Spanned<String>,
    pub range: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// An instruction Docker does not know; recorded with an error.
    Unknown,
}

impl Keyword {
    /// Case-insensitive lookup of an instruction keyword.
    pub fn parse(word: &str) -> Keyword {
        match word.to_ascii_uppercase().as_str() {
            "ADD" => Keyword::Add,
            "ARG" => Keyword::Arg,
            "CMD" => Keyword::Cmd,
            "COPY" => Keyword::Copy,
            "ENTRYPOINT" => Keyword::Entrypoint,
            "ENV" => Keyword::Env,
            "EXPOSE" => Keyword::Expose,
            "FROM" => Keyword::From,
            "HEALTHCHECK" => Keyword::Healthcheck,
            "LABEL" => Keyword::Label,
            "MAINTAINER" => Keyword::Maintainer,
            "ONBUILD" => Keyword::Onbuild,
            "RUN" => Keyword::Run,
            "SHELL" => Keyword::Shell,
            "STOPSIGNAL" => Keyword::Stopsignal,
            "USER" => Keyword::User,
            "VOLUME" => Keyword::Volume,
            "WORKDIR" => Keyword::Workdir,
            _ => Keyword::Unknown,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }
}

/// One instruction, from its keyword to the end of its last continuation line or heredoc.
#[derive(Clone, Debug)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword as written (`run`, `RUN`).
    pub keyword_range: TextRange,
    /// The whole instruction: keyword, flags, arguments, continuation lines and heredoc bodies.
    pub range: TextRange,
    /// `--name[=value]` flags before the arguments, in order (`--from=build`, `--mount=type=cache,...`).
    pub flags: Vec<Flag>,
    pub args: Arguments,
    /// Heredocs opened on the instruction line (`<<EOF`, `<<-EOF`, `<<"EOF"`), in order.
    pub heredocs: Vec<Heredoc>,
    /// For `ONBUILD <instruction>`: the triggered instruction.
    pub onbuild: Option<Box<Instruction>>,
}

impl Instruction {
    /// The value of the first flag named `name` (without `--`).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name.value == name)
    }

    /// True when the arguments are a JSON array (`CMD ["a", "b"]`).
    pub fn is_exec_form(&self) -> bool {
        matches!(self.args, Arguments::Exec(_))
    }
}

/// `--name` or `--name=value`.
#[derive(Clone, Debug)]
pub struct Flag {
    /// Without the leading `--`.
    pub name: Spanned<String>,
    pub value: Option<Spanned<String>>,
    pub range: TextRange,
}

#[derive(Clone, Debug)]
pub enum Arguments {
    /// JSON array form: each element unescaped, with the range of its string literal (quotes included).
    Exec(ExecArgs),
    /// Anything else: the logical line after the flags.
    Shell(ShellText),
}

#[derive(Clone, Debug)]
pub struct ExecArgs {
    pub items: Vec<Spanned<String>>,
    /// From `[` to `]`.
    pub range: TextRange,
}

/// The arguments of an instruction as one logical line: continuations joined (escape + newline removed),
/// comment lines inside continuations dropped, as BuildKit does.
#[derive(Clone, Debug, Default)]
pub struct ShellText {
    pub text: String,
    /// `offsets[i]` is the file byte offset of `text` byte `i`; one extra entry maps `text.len()` to the
    /// end of the arguments in the file. Use [`ShellText::range_of`] to turn text ranges into file ranges.
    pub offsets: Vec<u32>,
    /// From the first to the last byte of the arguments in the file (excluding heredoc bodies).
    pub range: TextRange,
}

impl ShellText {
    /// File range of the byte range `start..end` of `self.text`.
    pub fn range_of(&self, start: usize, end: usize) -> TextRange {
        let s = self.offsets.get(start).copied().unwrap_or(self.range.end);
        let e = if end > start {
            self.offsets.get(end - 1).map_or(self.range.end, |o| o + 1)
        } else {
            s
        };
        TextRange::new(s, e.max(s))
    }
}

#[derive(Clone, Debug)]
pub struct Heredoc {
    /// `EOF` for `<<EOF`, `<<-EOF` or `<<"EOF"`.
    pub delimiter: String,
    /// The delimiter was quoted: no variable expansion in the body.
    pub quoted: bool,
    /// `<<-`: leading tabs are stripped from the body lines.
    pub strip_tabs: bool,
    /// The `<<EOF` marker on the instruction line.
    pub marker_range: TextRange,
    /// The body, exactly as in the file (tabs not yet stripped), without the closing delimiter line.
    pub body: String,
    pub body_range: TextRange,
}
