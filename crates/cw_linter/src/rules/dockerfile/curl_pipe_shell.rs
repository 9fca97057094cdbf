use cw_syntax::shell::{SimpleCommand, Word, is_posix_shell};

use super::helpers::cli::{basename, unwrapped};
use super::helpers::layers::run_resource;
use super::helpers::net::download;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P1): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// `curl … | sh` runs whatever the server returns at build time.
    ///
    /// ## Example
    /// ```dockerfile
    /// FIXME
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FIXME
    /// ```
    ///
    /// ## References
    /// - FIXME
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
                let nested = args.iter().find_map(|arg| {
                    let raw = arg.raw.trim_start_matches(['"', '\'']);
                    if !(raw.starts_with("$(") || raw.starts_with("<(") || raw.starts_with('`')) {
                        return None;
                    }
                    run.script
                        .commands()
                        .filter(|c| arg.range.contains_range(c.range))
                        .find_map(|c| download(c).filter(|d| d.to_stdout()).map(|d| d.word))
                });
                if let Some(fetch) = nested {
                    report(ctx, name, fetch, "fetched by");
                }
            }
        }
    }
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
    matches!(name, "perl" | "ruby" | "node" | "php")
        || name
            .strip_prefix("python")
            .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}
