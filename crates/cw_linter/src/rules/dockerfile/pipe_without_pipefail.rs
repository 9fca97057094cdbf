use cw_syntax::shell::{Pipeline, Script, SimpleCommand, is_posix_shell};

use super::helpers::cli::basename;
use super::helpers::layers::{run_instruction, run_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags pipes (`a | b`) in shell-form RUN instructions whose shell does not run with `pipefail`: the
    /// `SHELL` in force (inherited from parent stages, `/bin/sh -c` by default) lacks `-o pipefail`, and no
    /// `set -o pipefail` (or `set -euo pipefail`, ...) comes earlier in the same script. The finding points
    /// at the `|`.
    ///
    /// ## Why is this bad?
    /// A pipeline's exit status is the status of its last command. In
    /// `curl -fsSL $URL | jq -r .tag_name > /version` a failed download still lets the RUN succeed,
    /// because `jq` exits 0 on empty input, and the image is built with an empty version file. With
    /// `pipefail`, any failing command fails the step.
    ///
    /// Pipes that cannot hide a failure are not reported: exec-form RUN (no shell), pipes inside
    /// `sh -c '...'` (their own shell) or inside a command substitution used as an argument
    /// (`echo "$(a | b)"`, where `pipefail` changes nothing), pipes fed only by `echo`, `printf` or
    /// `yes`, pipes into a command that fails on empty or truncated input anyway (`sha256sum -c`,
    /// `gunzip`, `tar -xz`, `grep`), pipes whose status is thrown away (`a | b || true`), and `||`.
    /// Shells that are not POSIX shells (`SHELL ["powershell", ...]`) are skipped, and so are heredoc
    /// scripts with a non-shell shebang. Unlike hadolint, a `set -o pipefail` earlier in the same RUN is
    /// understood, and a SHELL inherited from a parent stage counts.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN curl -fsSL https://api.example.com/releases/latest | jq -r .tag_name > /version
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12-slim
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// RUN curl -fsSL https://api.example.com/releases/latest | jq -r .tag_name > /version
    /// ```
    /// On Alpine, whose `/bin/sh` is BusyBox ash, use `SHELL ["/bin/ash", "-eo", "pipefail", "-c"]`.
    ///
    /// ## References
    /// - [Docker: Building best practices, using pipes](https://docs.docker.com/build/building/best-practices/#using-pipes)
    /// - [Dockerfile reference: SHELL](https://docs.docker.com/reference/dockerfile/#shell)
    /// - [hadolint DL4006](https://github.com/hadolint/hadolint/wiki/DL4006)
    pub struct PipeWithoutPipefail {
        code: "DKR039",
        name: "pipe-without-pipefail",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [
            Hadolint("DL4006"),
            Kics("Shell Running A Pipe Without Pipefail Flag")
        ],
    }
}

impl Rule for PipeWithoutPipefail {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        let source = ctx.source();
        for run in &df.runs {
            let ins = run_instruction(df, run);
            if ins.is_exec_form() {
                continue;
            }
            let shebang = ins.heredocs.iter().find_map(|h| {
                h.body
                    .strip_prefix("#!")
                    .map(|l| l.lines().next().unwrap_or("").to_string())
            });
            // A heredoc that names its own interpreter does not run under SHELL.
            let shell_ok = if let Some(line) = &shebang {
                shebang_is_shell(line)
            } else {
                let program = run.shell.first().map_or("", String::as_str);
                let program = program.rsplit(['/', '\\']).next().unwrap_or(program);
                is_posix_shell(program) && !shell_sets_pipefail(&run.shell)
            };
            if !shell_ok {
                continue;
            }
            for pipeline in unguarded_pipelines(&run.script).filter(|p| !status_ignored(source, p))
            {
                let (Some(first), Some(last)) =
                    (pipeline.commands.first(), pipeline.commands.last())
                else {
                    continue;
                };
                let Some(bar) = pipe_operator(ctx.source(), first.range.end, pipeline) else {
                    continue;
                };
                ctx.report(
                    bar,
                    format!(
                        "pipe without `pipefail`: if `{}` fails, the RUN still succeeds when `{}` does",
                        basename(&first.name),
                        basename(&last.name)
                    ),
                )
                .help(
                    "set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` (`/bin/ash -eo pipefail` on Alpine) before this RUN, or start it with `set -o pipefail &&` when its shell supports that",
                )
                .resource(run_resource(df, run));
            }
        }
    }
}

/// `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`, `["/bin/ash", "-eo", "pipefail", "-c"]`.
fn shell_sets_pipefail(shell: &[String]) -> bool {
    shell
        .windows(2)
        .any(|w| is_o_option(&w[0]) && w[1] == "pipefail")
}

/// `-o`, `-eo`, `-euxo`: a cluster of short options ending in `o`.
fn is_o_option(word: &str) -> bool {
    word.len() > 1 && word.starts_with('-') && !word.starts_with("--") && word.ends_with('o')
}

/// `#!/bin/bash`, `#!/usr/bin/env sh`.
fn shebang_is_shell(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let mut program = first.rsplit('/').next().unwrap_or(first);
    if program == "env" {
        program = words.find(|w| !w.starts_with('-')).unwrap_or("");
    }
    is_posix_shell(program)
}

/// The pipelines of `script` that can hide a failure: more than one command, not inside `sh -c` nor
/// in a command substitution used as an argument (where `pipefail` would not help), not after a
/// `set -o pipefail`, not fed only by commands that cannot fail (`echo`, `printf`, `yes`), and not
/// ending in a command that fails on empty or truncated input (`sha256sum -c`, `gunzip`, `tar -xz`).
fn unguarded_pipelines(script: &Script) -> impl Iterator<Item = &Pipeline> {
    let pipefail_at = script
        .commands()
        .filter(|c| c.name.value == "set" && c.via_shell_c.is_none())
        .filter(|c| {
            c.args
                .windows(2)
                .any(|w| is_o_option(&w[0].value) && w[1].value == "pipefail")
        })
        .map(|c| c.range.start)
        .min();
    script.pipelines.iter().filter(move |p| {
        let Some((last, feeders)) = p.commands.split_last() else {
            return false;
        };
        !feeders.is_empty()
            && p.commands.iter().all(|c| c.via_shell_c.is_none())
            && pipefail_at.is_none_or(|at| at > p.range.start)
            && !feeders
                .iter()
                .all(|c| matches!(basename(&c.name), "echo" | "printf" | "yes" | "true"))
            && !fails_on_bad_input(last)
            && !in_argument(script, p)
    })
}

/// Whether `cmd` fails when its input is empty or cut short: checksum checks (`sha256sum -c`),
/// decompression (`gunzip`, `xz -d`, `tar -xz`) and `grep` (no line selected).
fn fails_on_bad_input(cmd: &SimpleCommand) -> bool {
    let name = basename(&cmd.name);
    let has = |short: u8, long: &[&str]| {
        cmd.args.iter().any(|a| {
            let v = a.value.as_str();
            long.contains(&v)
                || (v.starts_with('-')
                    && !v.starts_with("--")
                    && v.as_bytes()[1..].contains(&short))
        })
    };
    match name {
        "sha1sum" | "sha224sum" | "sha256sum" | "sha384sum" | "sha512sum" | "md5sum" | "b2sum"
        | "shasum" | "cksum" => has(b'c', &["--check"]),
        // No input, no selected line: grep exits 1.
        "gunzip" | "zcat" | "unxz" | "xzcat" | "bunzip2" | "bzcat" | "unzstd" | "zstdcat"
        | "grep" | "egrep" | "fgrep" => true,
        "gzip" | "xz" | "bzip2" | "zstd" => has(b'd', &["--decompress"]),
        "tar" => {
            // `tar -xzf -`, `tar xz` (old style), `tar --gzip -x`: decompression named explicitly.
            let old_style = cmd.args.first().is_some_and(|a| {
                !a.value.starts_with('-')
                    && a.value.contains('x')
                    && a.value.contains(['z', 'J', 'j'])
            });
            old_style
                || has(b'z', &["--gzip", "--gunzip", "--zstd", "--lzma", "--lzip"])
                || has(b'J', &["--xz"])
                || has(b'j', &["--bzip2"])
        }
        _ => false,
    }
}

/// Whether `pipeline` sits in a command substitution inside another command's argument or
/// redirection (`echo "$(a | b)"`), where its status never reaches the RUN.
fn in_argument(script: &Script, pipeline: &Pipeline) -> bool {
    script.commands().any(|c| {
        c.args
            .iter()
            .chain(c.redirects.iter().map(|(_, w)| w))
            .chain(std::iter::once(&c.name))
            .any(|w| w.range.contains_range(pipeline.range) && w.range != pipeline.range)
    })
}

/// `a | b || true`: the pipeline's status is thrown away, with or without `pipefail`.
fn status_ignored(source: &str, pipeline: &Pipeline) -> bool {
    let rest = source.get(pipeline.range.end as usize..).unwrap_or("");
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("||").is_some_and(|alt| {
        let alt = alt.trim_start();
        let word = alt
            .split(|c: char| c.is_whitespace() || c == ';')
            .next()
            .unwrap_or("");
        matches!(word, "true" | ":")
    })
}

/// The `|` after the first command of `pipeline`, in the file.
fn pipe_operator(source: &str, from: u32, pipeline: &Pipeline) -> Option<TextRange> {
    let second = pipeline.commands.get(1)?;
    let gap = TextRange::new(from, second.range.start.max(from)).slice(source);
    let at = gap.find('|')?;
    let start = from + u32::try_from(at).ok()?;
    Some(TextRange::new(start, start + 1))
}

#[cfg(test)]
mod tests {
    use super::{shebang_is_shell, shell_sets_pipefail};

    #[test]
    fn shells() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_string()).collect::<Vec<_>>();
        assert!(shell_sets_pipefail(&s(&[
            "/bin/bash",
            "-o",
            "pipefail",
            "-c"
        ])));
        assert!(shell_sets_pipefail(&s(&[
            "/bin/ash", "-eo", "pipefail", "-c"
        ])));
        assert!(!shell_sets_pipefail(&s(&["/bin/bash", "-c"])));
        assert!(!shell_sets_pipefail(&s(&["/bin/sh", "-c"])));
        assert!(shebang_is_shell("/bin/bash"));
        assert!(shebang_is_shell("/usr/bin/env -S bash -e"));
        assert!(!shebang_is_shell("/usr/bin/env python3"));
    }
}
