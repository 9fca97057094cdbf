use super::helpers::cli::basename;
use super::helpers::layers::run_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P1): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// sudo is pointless in a build (already root) and unpredictable at runtime; switch USER.
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
    pub struct SudoInRun {
        code: "DKR032",
        name: "sudo-in-run",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [
            Hadolint("DL3004"),
            Checkov("CKV2_DOCKER_1"),
            Trivy("DS010"),
            Kics("Run Using Sudo")
        ],
    }
}

impl Rule for SudoInRun {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for run in &df.runs {
            for cmd in run.script.commands() {
                if !cmd.name.literal || basename(&cmd.name) != "sudo" {
                    continue;
                }
                ctx.report(
                    cmd.name.range,
                    "`sudo` in RUN: build steps already run as the stage's USER, root unless changed",
                )
                    .help("RUN already runs as root unless a USER says otherwise: drop `sudo`, or switch with `USER root` and back")
                    .resource(run_resource(df, run));
            }
        }
    }
}
