use cw_syntax::dockerfile::Keyword;

use super::helpers::stages::last_in_chain;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P0): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// Docker/Compose cannot distinguish hung from healthy without HEALTHCHECK; downgraded to info because Kubernetes ignores it and uses probes.
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
        .resource(format!("stage {}", last.display_name()));
    }
}
