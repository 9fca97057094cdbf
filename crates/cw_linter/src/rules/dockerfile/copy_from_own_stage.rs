use super::helpers::stages::{FromSource, resolved_from_refs, stage_resource};
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
        for (stage, r, resolved) in resolved_from_refs(df, ctx.source()) {
            let FromSource::Stage(source) = resolved else {
                continue;
            };
            if source.index != stage.index {
                continue;
            }
            let what = r.flag();
            let finding = ctx
                .report(
                    r.range,
                    format!(
                        "{what} names stage `{}`, the stage it is in",
                        stage.display_name()
                    ),
                )
                .help("copy from an earlier stage, or from the build context without `--from`")
                .resource(stage_resource(stage));
            if let Some(name) = &stage.name {
                finding.label(name.range, "the stage is declared here");
            }
        }
    }
}
