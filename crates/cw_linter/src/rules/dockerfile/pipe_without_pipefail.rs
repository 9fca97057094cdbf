use cw_syntax::shell::{Pipeline, Script, is_posix_shell};

use super::helpers::cli::basename;
use super::helpers::layers::{run_instruction, run_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P1): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// In `a | b` a failing `a` is ignored unless `SHELL` sets `-o pipefail`.
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
            match &shebang {
                // The heredoc names its own interpreter: SHELL does not apply.
                Some(line) => {
                    if !shebang_is_shell(line) {
                        continue;
                    }
                }
                None => {
                    let Some(program) = run.shell.first() else {
                        continue;
                    };
                    let program = program.rsplit(['/', '\\']).next().unwrap_or(program);
                    if !is_posix_shell(program) || shell_sets_pipefail(&run.shell) {
                        continue;
                    }
                }
            }
            for pipeline in unguarded_pipelines(&run.script) {
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

/// The pipelines of `script` that can hide a failure: more than one command, not inside `sh -c`, not
/// after a `set -o pipefail`, and not fed by a command that cannot fail (`echo`, `printf`, `yes`).
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
        p.commands.len() > 1
            && p.commands.iter().all(|c| c.via_shell_c.is_none())
            && pipefail_at.is_none_or(|at| at > p.range.start)
            && !p.commands[..p.commands.len() - 1]
                .iter()
                .all(|c| matches!(basename(&c.name), "echo" | "printf" | "yes" | "true"))
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
