use super::helpers::copy::{normalize, workdir_before};
use super::helpers::layers::{run_instruction, run_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a RUN whose first command (after any `set` options) is `cd` to an absolute directory,
    /// followed by more commands: `RUN cd /app && npm ci`. The finding points at the `cd` command; a
    /// `cd` into the directory WORKDIR already set is reported as redundant.
    ///
    /// ## Why is this bad?
    /// `WORKDIR` states the directory once, is visible in the image configuration, applies to the
    /// following RUN, COPY, CMD and ENTRYPOINT instructions, and creates the directory if needed. A leading
    /// `cd` has to be repeated in every RUN and is easy to miss when reading the file.
    ///
    /// Changing directory for a one-off job is fine and not reported: `cd` in a subshell `(cd x && make)`,
    /// in the middle of a script (after cloning or unpacking), into scratch directories under `/tmp`, to a
    /// variable we cannot resolve, in heredoc scripts, and a lone `cd` that does nothing.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN cd /app && npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// WORKDIR /app
    /// RUN npm ci
    /// ```
    ///
    /// ## References
    /// - [Docker: Building best practices, WORKDIR](https://docs.docker.com/build/building/best-practices/#workdir)
    /// - [hadolint DL3003](https://github.com/hadolint/hadolint/wiki/DL3003)
    /// - [Trivy DS013](https://avd.aquasec.com/misconfig/ds013)
    pub struct CdInsteadOfWorkdir {
        code: "DKR041",
        name: "cd-instead-of-workdir",
        category: Maintainability,
        severity: Info,
        fix: None,
        peers: [
            Hadolint("DL3003"),
            Trivy("DS013"),
            Kics("RUN Instruction Using 'cd' Instead of WORKDIR")
        ],
    }
}

impl Rule for CdInsteadOfWorkdir {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for run in &df.runs {
            let ins = run_instruction(df, run);
            if !ins.heredocs.is_empty() || run.script.error.is_some() {
                continue;
            }
            let Some(text) = ins.shell_text() else {
                continue;
            };
            // Leading `set -eux` commands do not count; the first real command must be the `cd`.
            let mut commands = run
                .script
                .pipelines
                .iter()
                .skip_while(|p| p.commands.len() == 1 && p.commands[0].name.value == "set");
            let Some(first) = commands.next() else {
                continue;
            };
            if commands.next().is_none() || first.commands.len() != 1 {
                continue;
            }
            let cd = &first.commands[0];
            if cd.name.value != "cd" || cd.via_shell_c.is_some() || cd.args.len() != 1 {
                continue;
            }
            let target = &cd.args[0];
            if !target.literal || !target.value.starts_with('/') || is_scratch(&target.value) {
                continue;
            }
            // Only a `cd` at the top level of the script (not in `( ... )` or `{ ...; }`).
            let before = TextRange::new(text.range.start, first.range.start.max(text.range.start));
            if ctx.text(before).contains(['(', '{']) {
                continue;
            }
            let current = run
                .stage
                .and_then(|s| df.stages.get(s))
                .and_then(|stage| workdir_before(df, stage, run.instruction));
            let (message, help) = if current.as_deref() == Some(normalize(&target.value).as_str()) {
                (
                    format!(
                        "`cd {}` is redundant: the working directory is already `{}`",
                        target.value, target.value
                    ),
                    "drop the `cd`",
                )
            } else {
                (
                    format!(
                        "`cd {}` at the start of a RUN: use `WORKDIR {}` instead",
                        target.value, target.value
                    ),
                    "set the directory with a WORKDIR instruction before the RUN; it also applies to the following instructions",
                )
            };
            ctx.report(cd.range, message)
                .help(help)
                .resource(run_resource(df, run));
        }
    }
}

/// Scratch directories a RUN works in temporarily, where WORKDIR would be the wrong tool.
fn is_scratch(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    path == "/tmp"
        || path == "/var/tmp"
        || path.starts_with("/tmp/")
        || path.starts_with("/var/tmp/")
}
