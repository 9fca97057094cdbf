use super::helpers::cli::basename;
use super::helpers::layers::run_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `sudo` used as a command in a RUN instruction, including inside `sh -c '...'`. Installing the
    /// `sudo` package or writing a sudoers file is not reported.
    ///
    /// ## Why is this bad?
    /// RUN steps already execute as the stage's USER, which is root unless a USER instruction changed it,
    /// so `sudo` is useless there. When USER is a non-root account, `sudo` only works if that account was
    /// given passwordless sudo, which then remains in the image as a ready-made privilege escalation for
    /// anyone who gets a shell in the container. Switch users explicitly instead: `USER root` for the
    /// privileged steps, then back to the unprivileged user.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// USER app
    /// RUN sudo apt-get update && sudo apt-get install -y curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y curl
    /// USER app
    /// ```
    ///
    /// ## References
    /// - [Docker: Building best practices, USER](https://docs.docker.com/build/building/best-practices/#user)
    /// - [hadolint DL3004](https://github.com/hadolint/hadolint/wiki/DL3004)
    /// - [Trivy DS010](https://avd.aquasec.com/misconfig/ds010)
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
