use cw_diagnostics::{Spanned, TextRange};

/// A parsed Dockerfile. Parsing never fails: what cannot be understood is recorded in `errors`.
#[derive(Clone, Debug, Default)]
pub struct DockerfileAst {
    /// Parser directives at the top of the file (`# syntax=`, `# escape=`, `# check=`), in order.
    pub directives: Vec<Directive>,
    /// The escape character in force: `\` unless `# escape=` says otherwise.
    pub escape: char,
    pub instructions: Vec<Instruction>,
    /// Every comment line (including those inside continuations), `#` included, in order. Parser
    /// directive lines are in `directives`, not here; `#` lines inside heredoc bodies are body text.
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
    /// Every known keyword (not `Unknown`), in alphabetical order.
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// Case-insensitive lookup of an instruction keyword.
    pub fn parse(word: &str) -> Keyword {
        // No allocation: this runs once per instruction on the hot path.
        Keyword::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
            .unwrap_or(Keyword::Unknown)
    }

    /// RUN, COPY and ADD take heredocs (`<<EOF`).
    pub const fn takes_heredocs(self) -> bool {
        matches!(self, Keyword::Run | Keyword::Copy | Keyword::Add)
    }

    /// Keywords whose arguments may be a JSON array (exec form).
    pub const fn takes_exec_form(self) -> bool {
        matches!(
            self,
            Keyword::Run
                | Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Shell
                | Keyword::Add
                | Keyword::Copy
                | Keyword::Volume
        )
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

    /// Every flag named `name` (without `--`), in order (`--mount` can repeat).
    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |f| f.name.value == name)
    }

    /// The shell-form arguments, when the arguments are not a JSON array.
    pub fn shell_text(&self) -> Option<&ShellText> {
        match &self.args {
            Arguments::Shell(text) => Some(text),
            Arguments::Exec(_) => None,
        }
    }

    /// The exec-form arguments, when the arguments are a JSON array.
    pub fn exec_args(&self) -> Option<&ExecArgs> {
        match &self.args {
            Arguments::Exec(exec) => Some(exec),
            Arguments::Shell(_) => None,
        }
    }

    /// The file range of the arguments (after the flags), whichever their form.
    pub fn args_range(&self) -> TextRange {
        match &self.args {
            Arguments::Shell(text) => text.range,
            Arguments::Exec(exec) => exec.range,
        }
    }

    /// `KEY=value` pairs of ENV, LABEL and ARG, as Docker reads them (see [`ShellText::key_values`]);
    /// empty for other instructions. ENV and LABEL also accept the legacy `ENV KEY value with spaces`.
    pub fn key_values(&self) -> Vec<KeyValue> {
        match (&self.args, self.keyword) {
            (Arguments::Shell(text), Keyword::Env | Keyword::Label) => text.key_values(true),
            (Arguments::Shell(text), Keyword::Arg) => text.key_values(false),
            _ => Vec::new(),
        }
    }
}

/// One `KEY=value` (or bare `KEY`) of ENV, LABEL or ARG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    /// The key after quote removal (`LABEL "a b"=c` has key `a b`), with the range of the key as written.
    pub key: Spanned<String>,
    /// The value after quote removal, with the range of the value as written (quotes included); `None`
    /// for `ARG NAME` without a default. An empty value (`ENV A=`) is `Some("")` with an empty range.
    pub value: Option<Spanned<String>>,
    /// The value as written (quotes kept), which Docker expands (`"${A}-x"`).
    pub raw_value: Option<String>,
    /// The whole pair as written.
    pub range: TextRange,
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
    /// The escape character in force (backslash or backtick), for [`ShellText::words`]. Anything other than
    /// a backtick (including the `Default` NUL) means backslash.
    pub escape: char,
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

impl Heredoc {
    /// The body as the build sees it: for `<<-`, leading tabs removed from every line.
    pub fn content(&self) -> std::borrow::Cow<'_, str> {
        if !self.strip_tabs {
            return std::borrow::Cow::Borrowed(&self.body);
        }
        let mut out = String::with_capacity(self.body.len());
        for line in self.body.split_inclusive('\n') {
            out.push_str(line.trim_start_matches('\t'));
        }
        std::borrow::Cow::Owned(out)
    }
}
