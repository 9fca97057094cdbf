use cw_syntax::dockerfile::Keyword;

use super::helpers::stages::{overridden, stage_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags every `ENTRYPOINT` that a later `ENTRYPOINT` of the same stage overrides. Each stage is
    /// judged on its own: one `ENTRYPOINT` per stage in a multi-stage build, or a child stage replacing
    /// its parent's, is normal. `ONBUILD ENTRYPOINT` is not counted.
    ///
    /// ## Why is this bad?
    /// Only the last `ENTRYPOINT` of a stage ends up in the image. An earlier one is dead code: readers
    /// believe the container starts through it (an init such as `tini`, a wrapper script that loads
    /// secrets), and it silently does not.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENTRYPOINT ["/usr/bin/tini", "--"]
    /// ENTRYPOINT ["/docker-entrypoint.sh"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ENTRYPOINT ["/usr/bin/tini", "--", "/docker-entrypoint.sh"]
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: ENTRYPOINT](https://docs.docker.com/reference/dockerfile/#entrypoint)
    /// - [hadolint DL4004](https://github.com/hadolint/hadolint/wiki/DL4004)
    /// - [Trivy DS007](https://avd.aquasec.com/misconfig/ds007)
    pub struct MultipleEntrypoint {
        code: "DKR037",
        name: "multiple-entrypoint",
        category: Maintainability,
        severity: Error,
        fix: None,
        peers: [
            Hadolint("DL4004"),
            Trivy("DS007")
        ],
    }
}

impl Rule for MultipleEntrypoint {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for stage in &df.stages {
            for (dead, last) in overridden(df, stage, Keyword::Entrypoint) {
                ctx.report(
                    dead.keyword_range,
                    "this `ENTRYPOINT` is overridden by a later one in the same stage",
                )
                .label(last.keyword_range, "only this `ENTRYPOINT` applies")
                .help("delete the overridden `ENTRYPOINT`, or chain both programs in the last one")
                .resource(stage_resource(stage));
            }
        }
    }
}
