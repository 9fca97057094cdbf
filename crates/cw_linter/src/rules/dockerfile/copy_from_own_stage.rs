use cw_syntax::dockerfile::Keyword;

use super::helpers::stages::{FromSource, from_refs, from_source};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY --from` (or `RUN --mount=...,from=`) that names the stage it is in, by name
    /// (without regard to case) or by index, once variables with known values are expanded.
    ///
    /// ## Why is this bad?
    /// A stage cannot read from itself while it is being built: BuildKit fails with `circular
    /// dependency detected on stage`. The intent is usually a file from an earlier stage, or from the
    /// build context (a `COPY` without `--from`).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22 AS build
    /// COPY --from=build /app/package.json /tmp/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22 AS build
    /// COPY package.json /tmp/
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: COPY --from](https://docs.docker.com/reference/dockerfile/#copy---from)
    /// - [hadolint DL3023](https://github.com/hadolint/hadolint/wiki/DL3023)
    /// - [Trivy DS006](https://avd.aquasec.com/misconfig/ds006)
    pub struct CopyFromOwnStage {
        code: "DKR045",
        name: "copy-from-own-stage",
        category: Reliability,
        severity: Error,
        fix: None,
        peers: [
            Hadolint("DL3023"),
            Trivy("DS006")
        ],
    }
}

impl Rule for CopyFromOwnStage {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for stage in &df.stages {
            for r in from_refs(df, stage, ctx.source()) {
                let FromSource::Stage(source) = from_source(df, &r) else {
                    continue;
                };
                if source.index != stage.index {
                    continue;
                }
                let what = if r.keyword == Keyword::Run {
                    "`--mount` `from=`"
                } else {
                    "`COPY --from`"
                };
                let finding = ctx
                    .report(
                        r.range,
                        format!(
                            "{what} names stage `{}`, the stage it is in",
                            stage.display_name()
                        ),
                    )
                    .help("copy from an earlier stage, or from the build context without `--from`")
                    .resource(format!("stage {}", stage.display_name()));
                if let Some(name) = &stage.name {
                    finding.label(name.range, "the stage is declared here");
                }
            }
        }
    }
}
