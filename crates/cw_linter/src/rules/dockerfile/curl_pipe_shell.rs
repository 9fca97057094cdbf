use cw_syntax::shell::{SimpleCommand, Word, is_posix_shell};

use super::helpers::cli::{basename, is_python, unwrapped};
use super::helpers::layers::run_resource;
use super::helpers::net::{Download, download};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags RUN commands that execute a downloaded script without looking at it: `curl` (writing to
    /// standard output) or `wget -O -` piped into a shell (`sh`, `bash`, also through `sudo`) or into an
    /// interpreter reading standard input (`python3 -`, `perl`, `ruby`, `node`), and shells running a
    /// download directly (`sh -c "$(curl ...)"`, `bash <(curl ...)`). The finding points at the
    /// interpreter, with the download labelled.
    ///
    /// ## Why is this bad?
    /// The build runs whatever the server returns at that moment: a compromised or hijacked host, or a
    /// changed installer, executes arbitrary code as root inside the build, and the result is baked into
    /// the image. A truncated download can also run half a script. Downloading to a file and checking its
    /// checksum before running it makes the build reproducible and tamper-evident.
    ///
    /// Downloads written to a file (`curl -o`, plain `wget`), pipes into non-interpreters (`| tar -xz`,
    /// `| gpg --dearmor`) and shells given their own command (`| sh -c '...'`) are not reported.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSL https://get.example.com/install.sh | sh
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN curl -fsSLo /tmp/install.sh https://get.example.com/install.sh \
    ///  && echo "<sha256>  /tmp/install.sh" | sha256sum -c - \
    ///  && sh /tmp/install.sh && rm /tmp/install.sh
    /// ```
    ///
    /// ## References
    /// - [Docker: Building best practices, RUN](https://docs.docker.com/build/building/best-practices/#run)
    /// - [Dockerfile reference: ADD --checksum](https://docs.docker.com/reference/dockerfile/#add---checksum)
    pub struct CurlPipeShell {
        code: "DKR029",
        name: "curl-pipe-shell",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [

        ],
    }
}

impl Rule for CurlPipeShell {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for run in &df.runs {
            let report = |ctx: &mut RuleCtx, interpreter: &Word, fetch: &Word, how: &str| {
                ctx.report(
                    interpreter.range,
                    format!(
                        "`{}` runs a script {how} `{}`: the build executes whatever the server returns",
                        interpreter.value, fetch.value
                    ),
                )
                .label(fetch.range, "downloaded here")
                .help("download to a file, verify its checksum (`sha256sum -c`), then run it")
                .resource(run_resource(df, run));
            };
            for pipeline in &run.script.pipelines {
                let Some(pos) = pipeline
                    .commands
                    .iter()
                    .position(|c| download(c).is_some_and(|d| d.to_stdout()))
                else {
                    continue;
                };
                let Some(fetch) = download(&pipeline.commands[pos]) else {
                    continue;
                };
                if let Some(interpreter) = pipeline.commands[pos + 1..].iter().find_map(reads_stdin)
                {
                    report(ctx, interpreter, fetch.word, "piped from");
                }
            }
            // `sh -c "$(curl ...)"` and `bash <(curl ...)`: the download nested in an argument.
            for cmd in run.script.commands() {
                let Some((name, args)) = unwrapped(cmd) else {
                    continue;
                };
                if !name.literal || !is_posix_shell(basename(name)) {
                    continue;
                }
                let substituted = process_substitution(ctx.source(), cmd).and_then(|at| {
                    run.script
                        .commands()
                        .find(|c| c.range.start == at)
                        .and_then(|c| download(c).filter(Download::to_stdout).map(|d| d.word))
                });
                let nested = substituted.or_else(|| {
                    args.iter().find_map(|arg| {
                        let raw = arg.raw.trim_start_matches(['"', '\'']);
                        if !(raw.starts_with("$(") || raw.starts_with("<(") || raw.starts_with('`'))
                        {
                            return None;
                        }
                        run.script
                            .commands()
                            .filter(|c| arg.range.contains_range(c.range))
                            .find_map(|c| download(c).filter(Download::to_stdout).map(|d| d.word))
                    })
                });
                if let Some(fetch) = nested {
                    report(ctx, name, fetch, "fetched by");
                }
            }
        }
    }
}

/// For `bash <(cmd ...)`: the file offset where `cmd` starts (the parser leaves process substitutions
/// out of the argument list).
fn process_substitution(source: &str, cmd: &SimpleCommand) -> Option<u32> {
    let end = cmd.range.end as usize;
    let rest = source.get(end..)?;
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let inner = trimmed.strip_prefix("<(")?;
    let skipped = rest.len() - inner.len() + (inner.len() - inner.trim_start().len());
    u32::try_from(end + skipped).ok()
}

/// The interpreter word when `cmd` runs a script read from standard input: a shell without `-c` nor
/// script operand (or with `-s`), or `python`/`perl`/`ruby`/`node`/`php` reading `-` or nothing.
fn reads_stdin(cmd: &SimpleCommand) -> Option<&Word> {
    let (name, args) = unwrapped(cmd)?;
    if !name.literal {
        return None;
    }
    let base = basename(name);
    let shell = is_posix_shell(base) || base == "fish";
    let script = shell || is_interpreter(base);
    if !script {
        return None;
    }
    let mut operands = args
        .iter()
        .filter(|a| a.value == "-" || !a.value.starts_with('-'));
    let option = |letter: char| {
        args.iter().take_while(|a| a.value != "--").any(|a| {
            a.value.starts_with('-') && !a.value.starts_with("--") && a.value[1..].contains(letter)
        })
    };
    if shell {
        if option('c') {
            return None;
        }
        if option('s') {
            return Some(name);
        }
    } else if option('c') || option('m') || option('e') {
        return None;
    }
    match operands.next() {
        None => Some(name),
        Some(first) if first.value == "-" => Some(name),
        Some(_) => None,
    }
}

/// `python`, `python3`, `python3.12`, `perl`, `ruby`, `node`, `php`.
fn is_interpreter(name: &str) -> bool {
    matches!(name, "perl" | "ruby" | "node" | "php") || is_python(name)
}
