use super::helpers::layers::{run_instruction, run_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P2): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// `RUN cd x && …` is harder to read than WORKDIR.
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
            ctx.report(
                cd.range,
                format!("`cd {}` at the start of a RUN: use `WORKDIR {}` instead", target.value, target.value),
            )
            .help("set the directory with a WORKDIR instruction before the RUN; it also applies to the following instructions")
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
