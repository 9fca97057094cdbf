//! Command lines inside RUN: which tool a command runs (seeing through `sudo`, `env`, `python -m pip`,
//! `uv pip`), its subcommand, its options (combined short flags, options that take a value) and its
//! operands (package words), each with the exact range of the word it came from.

use cw_model::dockerfile::Run;
use cw_syntax::shell::{Script, SimpleCommand, Word};

/// A command-line tool the package rules know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tool {
    AptGet,
    Apt,
    Apk,
    /// `pip`, `pip3`, `python -m pip`.
    Pip,
    /// `uv pip ...`: the subcommand is the word after `pip`.
    UvPip,
    Yum,
    Dnf,
    Microdnf,
    Zypper,
    Npm,
    Yarn,
    Pnpm,
    Gem,
    Go,
    Cargo,
    Useradd,
}

impl Tool {
    /// apt-get and apt.
    pub(crate) const fn is_apt(self) -> bool {
        matches!(self, Tool::AptGet | Tool::Apt)
    }

    /// yum, dnf and microdnf (not zypper).
    pub(crate) const fn is_yum_like(self) -> bool {
        matches!(self, Tool::Yum | Tool::Dnf | Tool::Microdnf)
    }

    /// Whether the first operand is a subcommand (`install`).
    const fn has_subcommand(self) -> bool {
        !matches!(self, Tool::Useradd)
    }

    fn spec(self) -> &'static CliSpec {
        match self {
            Tool::AptGet | Tool::Apt => &APT,
            Tool::Apk => &APK,
            Tool::Pip | Tool::UvPip => &PIP,
            Tool::Yum | Tool::Dnf | Tool::Microdnf => &YUM,
            Tool::Zypper => &ZYPPER,
            Tool::Npm | Tool::Yarn | Tool::Pnpm => &NODE,
            Tool::Gem => &GEM,
            Tool::Go => &GO,
            Tool::Cargo => &CARGO,
            Tool::Useradd => &USERADD,
        }
    }
}

/// How a CLI reads its options.
struct CliSpec {
    /// Short options that take a value (`-o X`, `-oX`).
    short_values: &'static [u8],
    /// Long options (without dashes) that take the next word as value when written without `=`.
    long_values: &'static [&'static str],
    /// Options are long names behind a single dash (`go install -ldflags ...`).
    single_dash_long: bool,
}

const APT: CliSpec = CliSpec {
    short_values: b"octaP",
    long_values: &[
        "option",
        "config-file",
        "target-release",
        "default-release",
        "host-architecture",
        "build-profiles",
    ],
    single_dash_long: false,
};

const APK: CliSpec = CliSpec {
    short_values: b"Xtp",
    long_values: &[
        "repository",
        "virtual",
        "root",
        "arch",
        "keys-dir",
        "repositories-file",
        "cache-dir",
        "cache-max-age",
        "progress-fd",
        "wait",
        "timeout",
    ],
    single_dash_long: false,
};

const PIP: CliSpec = CliSpec {
    short_values: b"rceiftbCpP",
    long_values: &[
        "requirement",
        "constraint",
        "editable",
        "index-url",
        "extra-index-url",
        "index",
        "default-index",
        "find-links",
        "target",
        "prefix",
        "root",
        "src",
        "platform",
        "python-version",
        "python-platform",
        "implementation",
        "abi",
        "no-binary",
        "only-binary",
        "progress-bar",
        "proxy",
        "python",
        "retries",
        "timeout",
        "exists-action",
        "trusted-host",
        "cert",
        "client-cert",
        "cache-dir",
        "log",
        "upgrade-strategy",
        "root-user-action",
        "config-settings",
        "global-option",
        "install-option",
        "report",
        "keyring-provider",
        "use-feature",
        "use-deprecated",
        "build-constraint",
        "override",
        "index-strategy",
        "resolution",
        "prerelease",
        "link-mode",
        "exclude-newer",
        "uploaded-prior-to",
        "refresh-package",
        "reinstall-package",
        "upgrade-package",
        "extra",
        "group",
        "color",
        "directory",
        "project",
        "config-file",
        "torch-backend",
    ],
    single_dash_long: false,
};

const YUM: CliSpec = CliSpec {
    short_values: b"cdexR",
    long_values: &[
        "config",
        "installroot",
        "releasever",
        "enablerepo",
        "disablerepo",
        "repo",
        "repoid",
        "exclude",
        "excludepkgs",
        "setopt",
        "disableexcludes",
        "color",
        "destdir",
        "downloaddir",
        "forcearch",
        "repofrompath",
        "comment",
        "advisory",
        "advisories",
        "bz",
        "cve",
        "sec-severity",
        "secseverity",
        "debuglevel",
        "errorlevel",
        "rpmverbosity",
    ],
    single_dash_long: false,
};

const ZYPPER: CliSpec = CliSpec {
    short_values: b"rDCctx",
    long_values: &[
        "repo",
        "root",
        "reposd-dir",
        "cache-dir",
        "raw-cache-dir",
        "solv-cache-dir",
        "pkg-cache-dir",
        "config",
        "type",
        "from",
        "userdata",
        "installroot",
    ],
    single_dash_long: false,
};

const NODE: CliSpec = CliSpec {
    short_values: b"wFC",
    long_values: &[
        "prefix",
        "registry",
        "cache",
        "tag",
        "omit",
        "include",
        "workspace",
        "loglevel",
        "userconfig",
        "globalconfig",
        "install-strategy",
        "before",
        "cwd",
        "modules-folder",
        "network-timeout",
        "mutex",
        "cache-folder",
        "filter",
        "dir",
        "store-dir",
        "reporter",
    ],
    single_dash_long: false,
};

const GEM: CliSpec = CliSpec {
    short_values: b"vinsPg",
    long_values: &[
        "version",
        "install-dir",
        "bindir",
        "source",
        "trust-policy",
        "platform",
        "file",
        "build-root",
    ],
    single_dash_long: false,
};

const GO: CliSpec = CliSpec {
    short_values: b"",
    long_values: &[
        "ldflags",
        "gcflags",
        "asmflags",
        "gccgoflags",
        "tags",
        "o",
        "mod",
        "modfile",
        "p",
        "pkgdir",
        "toolexec",
        "overlay",
        "C",
        "buildmode",
        "compiler",
        "installsuffix",
        "pgo",
        "coverpkg",
        "covermode",
        "exec",
    ],
    single_dash_long: true,
};

const CARGO: CliSpec = CliSpec {
    short_values: b"jFZ",
    long_values: &[
        "version",
        "vers",
        "git",
        "branch",
        "tag",
        "rev",
        "path",
        "root",
        "index",
        "registry",
        "bin",
        "example",
        "features",
        "target",
        "target-dir",
        "profile",
        "jobs",
        "config",
        "color",
    ],
    single_dash_long: false,
};

const USERADD: CliSpec = CliSpec {
    short_values: b"bcdefgGKkpsuZR",
    long_values: &[
        "base-dir",
        "comment",
        "home-dir",
        "expiredate",
        "inactive",
        "gid",
        "groups",
        "skel",
        "key",
        "password",
        "shell",
        "uid",
        "root",
        "prefix",
        "selinux-user",
        "selinux-range",
    ],
    single_dash_long: false,
};

/// One option as the tool reads it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Opt<'a> {
    /// The word it was written in (`-yq` holds two options).
    pub(crate) word: &'a Word,
    /// Without dashes: `y` for `-y` and for each letter of `-yq`; `yes` for `--yes`.
    pub(crate) name: &'a str,
    /// Written with two dashes (or, for single-dash CLIs such as `go`, a long name).
    pub(crate) long: bool,
    /// `-o X`, `-oX`, `--opt=X`, `--opt X`.
    pub(crate) value: Option<&'a str>,
    /// The word holding the value: the next word for `-o X`, else the option's own word.
    pub(crate) value_word: Option<&'a Word>,
}

/// A tool's arguments split into options and operands.
#[derive(Debug, Default)]
pub(crate) struct CmdLine<'a> {
    pub(crate) opts: Vec<Opt<'a>>,
    /// Arguments that are not options nor option values, in order (the subcommand included).
    pub(crate) operands: Vec<&'a Word>,
    /// An argument is an expansion (`$APT_OPTS`) that may stand for options: the options in force
    /// are not fully known.
    pub(crate) dynamic: bool,
}

impl<'a> CmdLine<'a> {
    fn parse(args: &'a [Word], spec: &CliSpec) -> CmdLine<'a> {
        let mut line = CmdLine::default();
        let mut i = 0;
        let mut only_operands = false;
        while i < args.len() {
            let word = &args[i];
            i += 1;
            let v = word.value.as_str();
            if only_operands || !word.literal || v.len() < 2 || !v.starts_with('-') {
                if !word.literal && starts_with_expansion(&word.raw) {
                    line.dynamic = true;
                }
                line.operands.push(word);
                continue;
            }
            if v == "--" {
                only_operands = true;
                continue;
            }
            let long_body = v
                .strip_prefix("--")
                .or_else(|| v.strip_prefix('-').filter(|_| spec.single_dash_long));
            if let Some(body) = long_body {
                let (name, inline) = match body.split_once('=') {
                    Some((n, val)) => (n, Some(val)),
                    None => (body, None),
                };
                let (value, value_word) = match inline {
                    Some(val) => (Some(val), Some(word)),
                    None if spec.long_values.contains(&name) => {
                        let next = args.get(i);
                        i += usize::from(next.is_some());
                        (next.map(|w| w.value.as_str()), next)
                    }
                    None => (None, None),
                };
                line.opts.push(Opt {
                    word,
                    name,
                    long: true,
                    value,
                    value_word,
                });
                continue;
            }
            // A cluster of short options: `-yq`, `-oDpkg::Options=x`, `-q=2`.
            let bytes = v.as_bytes();
            let mut j = 1;
            while j < bytes.len() {
                let c = bytes[j];
                if !c.is_ascii() {
                    break;
                }
                if c == b'=' {
                    // `-q=2`: the rest is the value of the option before.
                    if let Some(last) = line.opts.last_mut() {
                        last.value = Some(&v[j + 1..]);
                        last.value_word = Some(word);
                    }
                    break;
                }
                let name = &v[j..=j];
                if spec.short_values.contains(&c) {
                    let (value, value_word) = if j + 1 < bytes.len() {
                        (Some(&v[j + 1..]), Some(word))
                    } else {
                        let next = args.get(i);
                        i += usize::from(next.is_some());
                        (next.map(|w| w.value.as_str()), next)
                    };
                    line.opts.push(Opt {
                        word,
                        name,
                        long: false,
                        value,
                        value_word,
                    });
                    break;
                }
                line.opts.push(Opt {
                    word,
                    name,
                    long: false,
                    value: None,
                    value_word: None,
                });
                j += 1;
            }
        }
        line
    }

    /// Whether an option is given: `short` as a letter (alone or in a cluster), or one of `longs`.
    pub(crate) fn has(&self, short: Option<char>, longs: &[&str]) -> bool {
        self.find(short, longs).is_some()
    }

    /// The first option matching `short` or one of `longs`.
    pub(crate) fn find(&self, short: Option<char>, longs: &[&str]) -> Option<&Opt<'a>> {
        self.opts.iter().find(|o| opt_matches(o, short, longs))
    }

    /// How often the short option `c` is given (`-qq` counts two).
    pub(crate) fn count_short(&self, c: char) -> usize {
        self.opts
            .iter()
            .filter(|o| !o.long && o.name.len() == 1 && o.name.starts_with(c))
            .count()
    }

    /// The values of every option matching `short` or one of `longs`.
    pub(crate) fn values(&self, short: Option<char>, longs: &[&str]) -> Vec<&'a str> {
        self.opts
            .iter()
            .filter(|o| opt_matches(o, short, longs))
            .filter_map(|o| o.value)
            .collect()
    }
}

/// Whether `o` is the short option `short` or one of the long options `longs`.
fn opt_matches(o: &Opt<'_>, short: Option<char>, longs: &[&str]) -> bool {
    if o.long {
        longs.contains(&o.name)
    } else {
        short.is_some_and(|c| o.name.len() == 1 && o.name.starts_with(c))
    }
}

/// The range from the tool word to the subcommand (`apt-get update`, `pip install`).
pub(crate) fn call_range(call: &Call<'_>) -> cw_diagnostics::TextRange {
    match call.sub {
        Some(sub) => call.tool_word.range.cover(sub.range),
        None => call.tool_word.range,
    }
}

/// `$X`, `"$X"`, `` `cmd` ``, `$(cmd)`: a word whose expansion may produce options or several words.
fn starts_with_expansion(raw: &str) -> bool {
    let raw = raw.trim_start_matches(['"', '\'']);
    raw.starts_with('$') || raw.starts_with('`')
}

/// A call of a known tool.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub(crate) cmd: &'a SimpleCommand,
    pub(crate) tool: Tool,
    /// The word naming the tool (`/usr/bin/apt-get`; `pip` in `python -m pip`; `uv` in `uv pip`).
    pub(crate) tool_word: &'a Word,
    /// The subcommand (`install`), for tools that have one and when it is a literal word.
    pub(crate) sub: Option<&'a Word>,
    /// Options anywhere on the line, and the operands after the subcommand (package words).
    pub(crate) line: CmdLine<'a>,
    /// `NAME=value` given to the tool: before the command, or through `env`.
    pub(crate) env: Vec<(&'a str, &'a str)>,
}

impl<'a> Call<'a> {
    /// The subcommand as written, or `""`.
    pub(crate) fn sub_name(&self) -> &'a str {
        self.sub.map_or("", |w| w.value.as_str())
    }

    /// Whether the subcommand is one of `names`.
    pub(crate) fn sub_is(&self, names: &[&str]) -> bool {
        self.sub.is_some_and(|w| names.contains(&w.value.as_str()))
    }

    /// The operands after the subcommand.
    pub(crate) fn operands(&self) -> &[&'a Word] {
        &self.line.operands
    }

    /// Whether `NAME` is set for this call (`NAME=1 pip ...`, `env NAME=1 pip ...`).
    pub(crate) fn env_set(&self, name: &str) -> bool {
        self.env.iter().any(|(n, _)| *n == name)
    }

    /// The tool as the user would name it in a message: `apt-get install`, `pip install`.
    pub(crate) fn display(&self) -> String {
        let tool = match self.tool {
            Tool::AptGet => "apt-get",
            Tool::Apt => "apt",
            Tool::Apk => "apk",
            Tool::Pip => "pip",
            Tool::UvPip => "uv pip",
            Tool::Yum => "yum",
            Tool::Dnf => "dnf",
            Tool::Microdnf => "microdnf",
            Tool::Zypper => "zypper",
            Tool::Npm => "npm",
            Tool::Yarn => "yarn",
            Tool::Pnpm => "pnpm",
            Tool::Gem => "gem",
            Tool::Go => "go",
            Tool::Cargo => "cargo",
            Tool::Useradd => "useradd",
        };
        match self.sub {
            Some(sub) => format!("{tool} {}", sub.value),
            None => tool.to_string(),
        }
    }
}

/// Whether `name` ends with `.ext` (`ext` without the dot), ignoring ASCII case.
pub(crate) fn has_extension(name: &str, ext: &str) -> bool {
    name.len() > ext.len()
        && name.as_bytes()[name.len() - ext.len() - 1] == b'.'
        && name[name.len() - ext.len()..].eq_ignore_ascii_case(ext)
}

/// The last path component of a command word: `apt-get` for `/usr/bin/apt-get`.
pub(crate) fn basename(word: &Word) -> &str {
    let v = word.value.as_str();
    v.rsplit('/').next().unwrap_or(v)
}

/// Commands that run the command after their own options: `sudo apt-get ...`, `env X=1 pip ...`.
const WRAPPERS: &[&str] = &[
    "sudo",
    "env",
    "eatmydata",
    "nice",
    "nohup",
    "time",
    "command",
    "exec",
    "doas",
];

/// A command seen through its wrappers: name word, arguments, `NAME=value` pairs.
type Unwrapped<'a> = (&'a Word, &'a [Word], Vec<(&'a str, &'a str)>);

/// The command a simple command really runs, seeing through [`WRAPPERS`]: its name word, its
/// arguments, and the `NAME=value` words `env` passed.
fn unwrap(cmd: &SimpleCommand) -> Option<Unwrapped<'_>> {
    let mut name = &cmd.name;
    let mut args: &[Word] = &cmd.args;
    let mut env: Vec<(&str, &str)> = cmd
        .assignments
        .iter()
        .map(|a| (a.name.as_str(), a.value.value.as_str()))
        .collect();
    for _ in 0..4 {
        if !name.literal || !WRAPPERS.contains(&basename(name)) {
            return Some((name, args, env));
        }
        let wrapper = basename(name);
        let mut i = 0;
        while let Some(w) = args.get(i) {
            let v = w.value.as_str();
            if !w.literal {
                return None;
            }
            if v.starts_with('-') {
                // Options of sudo/nice/env that take a value as the next word.
                let takes = matches!(
                    (wrapper, v),
                    (
                        "sudo" | "doas",
                        "-u" | "-g" | "-h" | "-p" | "-C" | "-D" | "-r" | "-t" | "-U" | "-T"
                    ) | ("nice", "-n")
                        | ("env", "-u" | "-C" | "-S")
                );
                i += if takes { 2 } else { 1 };
                continue;
            }
            if wrapper == "env"
                && let Some((n, val)) = v.split_once('=')
            {
                env.push((n, val));
                i += 1;
                continue;
            }
            break;
        }
        let (first, rest) = args.get(i..)?.split_first()?;
        name = first;
        args = rest;
    }
    None
}

/// Recognizes a call of a known tool: the tool, its subcommand, its options and operands.
pub(crate) fn call(cmd: &SimpleCommand) -> Option<Call<'_>> {
    let (name, args, env) = unwrap(cmd)?;
    if !name.literal {
        return None;
    }
    let base = basename(name);
    let (tool, tool_word, args): (Tool, &Word, &[Word]) = match base {
        "apt-get" => (Tool::AptGet, name, args),
        "apt" => (Tool::Apt, name, args),
        "apk" => (Tool::Apk, name, args),
        "yum" => (Tool::Yum, name, args),
        "dnf" | "dnf5" | "dnf-3" => (Tool::Dnf, name, args),
        "microdnf" => (Tool::Microdnf, name, args),
        "zypper" => (Tool::Zypper, name, args),
        "npm" => (Tool::Npm, name, args),
        "yarn" | "yarnpkg" => (Tool::Yarn, name, args),
        "pnpm" => (Tool::Pnpm, name, args),
        "gem" => (Tool::Gem, name, args),
        "go" => (Tool::Go, name, args),
        "cargo" => {
            // `cargo +nightly install ...`
            let skip = usize::from(args.first().is_some_and(|w| w.value.starts_with('+')));
            (Tool::Cargo, name, &args[skip..])
        }
        "useradd" => (Tool::Useradd, name, args),
        "uv" => {
            let first = args.first()?;
            if first.value != "pip" {
                return None;
            }
            (Tool::UvPip, name, &args[1..])
        }
        _ if is_pip(base) => (Tool::Pip, name, args),
        _ if is_python(base) => {
            let (pip_word, rest) = python_module_args(args, "pip")?;
            (Tool::Pip, pip_word, rest)
        }
        _ => return None,
    };
    let mut line = CmdLine::parse(args, tool.spec());
    let sub = if tool.has_subcommand() && !line.operands.is_empty() {
        let first = line.operands.remove(0);
        first.literal.then_some(first)
    } else {
        None
    };
    if tool.has_subcommand() && sub.is_none() && !line.operands.is_empty() {
        // `apt-get $CMD ...`: the subcommand is unknown.
        line.dynamic = true;
    }
    Some(Call {
        cmd,
        tool,
        tool_word,
        sub,
        line,
        env,
    })
}

/// `pip`, `pip3`, `pip3.12`.
fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// `python`, `python3`, `python3.12`.
pub(crate) fn is_python(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// For `python [-u -B ...] -m <module> args`: the module word and its arguments.
fn python_module_args<'a>(args: &'a [Word], module: &str) -> Option<(&'a Word, &'a [Word])> {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        match w.value.as_str() {
            "-m" => {
                let m = args.get(i + 1)?;
                return (m.value == module).then(|| (m, &args[i + 2..]));
            }
            // Interpreter flags without a value.
            v if v.starts_with('-')
                && v.len() > 1
                && !v.starts_with("--")
                && !v.contains(['c', 'W', 'X']) =>
            {
                i += 1;
            }
            _ => return None,
        }
    }
    None
}

/// Every call of a known tool in `commands`.
pub(crate) fn calls<'a>(
    commands: impl Iterator<Item = &'a SimpleCommand>,
) -> impl Iterator<Item = Call<'a>> {
    commands.filter_map(call)
}

/// Every call of a known tool in `script`, in order, each with whether `yes` answers its prompts: a
/// `yes` earlier in the same pipeline (`yes | apt-get install ...`).
pub(crate) fn calls_with_yes(script: &Script) -> impl Iterator<Item = (Call<'_>, bool)> {
    script.pipelines.iter().flat_map(|pipeline| {
        let commands = &pipeline.commands;
        commands.iter().enumerate().filter_map(move |(i, cmd)| {
            let fed_by_yes = commands[..i]
                .iter()
                .any(|c| c.name.literal && basename(&c.name) == "yes");
            call(cmd).map(|call| (call, fed_by_yes))
        })
    })
}

/// Every call of a known tool in the scripts of `runs`, in order, each with the RUN it is in.
pub(crate) fn run_calls<'a>(
    runs: impl IntoIterator<Item = &'a Run>,
) -> impl Iterator<Item = (&'a Run, Call<'a>)> {
    runs.into_iter()
        .flat_map(|run| calls(run.script.commands()).map(move |call| (run, call)))
}

/// The command a simple command really runs, seeing through `sudo`, `env`, `nice`, ...: its name word
/// and its arguments (`None` when a wrapper's arguments are not literal).
pub(crate) fn unwrapped(cmd: &SimpleCommand) -> Option<(&Word, &[Word])> {
    unwrap(cmd).map(|(name, args, _)| (name, args))
}

/// Splits the arguments of a tool that [`Tool`] does not model (`curl`, `wget`, `chmod`) into options
/// and operands: `short_values` are its short options that take a value, `long_values` its long ones.
pub(crate) fn parse_args<'a>(
    args: &'a [Word],
    short_values: &'static [u8],
    long_values: &'static [&'static str],
) -> CmdLine<'a> {
    CmdLine::parse(
        args,
        &CliSpec {
            short_values,
            long_values,
            single_dash_long: false,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use cw_diagnostics::TextRange;

    fn word(v: &str) -> Word {
        Word {
            value: v.to_string(),
            raw: v.to_string(),
            range: TextRange::empty(0),
            literal: !v.contains('$'),
        }
    }

    fn cmd(line: &str) -> SimpleCommand {
        let mut words = line.split_whitespace().map(word);
        let name = words.next().expect("a name");
        SimpleCommand {
            name,
            args: words.collect(),
            assignments: Vec::new(),
            range: TextRange::empty(0),
            redirects: Vec::new(),
            via_shell_c: None,
        }
    }

    fn operands(c: &Call<'_>) -> Vec<String> {
        c.operands().iter().map(|w| w.value.clone()).collect()
    }

    #[test]
    fn apt_get_options_and_packages() {
        let c = cmd(
            "apt-get -o Dpkg::Options::=--force-confnew install -yq --no-install-recommends -t bookworm curl git=1:2.39",
        );
        let call = call(&c).expect("apt-get");
        assert_eq!(call.tool, Tool::AptGet);
        assert_eq!(call.sub_name(), "install");
        assert_eq!(operands(&call), ["curl", "git=1:2.39"]);
        assert!(call.line.has(Some('y'), &["yes"]));
        assert_eq!(call.line.count_short('q'), 1);
        assert!(call.line.has(None, &["no-install-recommends"]));
        assert_eq!(
            call.line.values(Some('o'), &["option"]),
            ["Dpkg::Options::=--force-confnew"]
        );
    }

    #[test]
    fn short_value_attached_and_equals() {
        let c = cmd("apt-get -q=2 -oAPT::Install-Recommends=0 install x");
        let call = call(&c).expect("apt-get");
        assert_eq!(
            call.line.find(Some('q'), &[]).and_then(|o| o.value),
            Some("2")
        );
        assert_eq!(
            call.line.values(Some('o'), &[]),
            ["APT::Install-Recommends=0"]
        );
    }

    #[test]
    fn wrappers_and_python_m_pip() {
        let c = cmd("sudo -u root env PIP_NO_CACHE_DIR=1 python3 -m pip install -r req.txt flask");
        let call = call(&c).expect("pip");
        assert_eq!(call.tool, Tool::Pip);
        assert_eq!(call.tool_word.value, "pip");
        assert!(call.env_set("PIP_NO_CACHE_DIR"));
        assert_eq!(operands(&call), ["flask"]);
        assert_eq!(call.line.values(Some('r'), &["requirement"]), ["req.txt"]);
    }

    #[test]
    fn uv_pip_and_pip_versions() {
        let call_uv = cmd("uv pip install --system ruff");
        let c = call(&call_uv).expect("uv pip");
        assert_eq!((c.tool, c.sub_name()), (Tool::UvPip, "install"));
        let p = cmd("/opt/venv/bin/pip3.12 install x");
        assert_eq!(call(&p).map(|c| c.tool), Some(Tool::Pip));
        assert!(call(&cmd("pipx install x")).is_none());
        assert!(call(&cmd("python -c print")).is_none());
    }

    #[test]
    fn go_single_dash_long() {
        let c = cmd("go install -ldflags -s golang.org/x/tools/gopls@latest");
        let call = call(&c).expect("go");
        assert_eq!(operands(&call), ["golang.org/x/tools/gopls@latest"]);
    }

    #[test]
    fn dynamic_options() {
        let c = cmd("apt-get install $APT_OPTS curl");
        let call = call(&c).expect("apt-get");
        assert!(call.line.dynamic);
        let c = cmd("apt-get $SUB curl");
        assert!(call_sub_none(&c));
    }

    fn call_sub_none(c: &SimpleCommand) -> bool {
        call(c).is_some_and(|c| c.sub.is_none() && c.line.dynamic)
    }
}
