use cw_syntax::dockerfile::Keyword;

use super::helpers::stages::{last_in_chain, stage_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a Dockerfile whose final stage has no `HEALTHCHECK` instruction, neither in the stage itself
    /// nor in an earlier stage it is built `FROM`. The finding points at the final stage's `FROM`.
    ///
    /// ## Why is this bad?
    /// Without a health check, Docker and Compose only know whether the main process is running, not
    /// whether it still serves: a deadlocked or hung application stays "up" forever, `depends_on:
    /// condition: service_healthy` cannot wait for it, and Swarm does not replace it. This is advice
    /// (info): Kubernetes ignores `HEALTHCHECK` and uses its own probes.
    ///
    /// `HEALTHCHECK NONE` counts as a decision and silences the rule, for example for images that an
    /// orchestrator probes. An `ONBUILD HEALTHCHECK` applies to child images, not to this one. A health
    /// check defined by the base image itself cannot be seen from the Dockerfile; add `HEALTHCHECK NONE` or a
    /// suppression if the base image provides one.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app.py
    /// CMD ["python", "/app.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app.py
    /// HEALTHCHECK --interval=30s --timeout=3s \
    ///   CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"]
    /// CMD ["python", "/app.py"]
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: HEALTHCHECK](https://docs.docker.com/reference/dockerfile/#healthcheck)
    /// - [hadolint DL3057](https://github.com/hadolint/hadolint/wiki/DL3057)
    /// - [Checkov CKV_DOCKER_2](https://www.checkov.io/5.Policy%20Index/dockerfile.html)
    /// - [Trivy DS026](https://avd.aquasec.com/misconfig/ds026)
    pub struct MissingHealthcheck {
        code: "DKR034",
        name: "missing-healthcheck",
        category: Reliability,
        severity: Info,
        fix: None,
        peers: [
            Hadolint("DL3057"),
            Checkov("CKV_DOCKER_2"),
            Trivy("DS026"),
            Kics("Healthcheck Instruction Missing")
        ],
    }
}

impl Rule for MissingHealthcheck {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        let Some(last) = df.final_stage() else {
            return;
        };
        // A HEALTHCHECK in the final stage or a stage it is built FROM (`HEALTHCHECK NONE` included:
        // it is an explicit choice) settles it.
        if last_in_chain(df, last, Keyword::Healthcheck, None).is_some() {
            return;
        }
        let from = df.instruction(last.from);
        ctx.report(
            from.keyword_range,
            format!("the final stage `{}` defines no HEALTHCHECK", last.display_name()),
        )
        .help("add `HEALTHCHECK CMD <probe>` so Docker and Compose can tell a hung container from a healthy one (or `HEALTHCHECK NONE` when an orchestrator probes it)")
        .resource(stage_resource(last));
    }
}
