use cw_model::dockerfile::BaseKind;
use cw_syntax::dockerfile::Keyword;

use super::helpers::copy::copy_args;
use super::helpers::stages::{
    FromSource, image_display, resolved_from_refs, root_stage, stage_resource,
};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY --from=<stage or image>` whose source is the root directory (`/`, `/.`, `/*`):
    /// the whole filesystem of a build stage or of an image is copied into this one. A stage whose
    /// `FROM` chain starts at `scratch` is not reported: it holds only what was put there on purpose
    /// (the artifact-stage pattern). Sources named by a variable without a known value are not judged.
    ///
    /// ## Why is this bad?
    /// A build stage's root holds its whole operating system, compilers, package caches and source
    /// code: copying it drags all of that into the image, which grows by hundreds of megabytes, ships
    /// tools an attacker can use and files (credentials, `.git`) that were only meant for the build.
    /// Copy the paths the image needs, or collect them in a `FROM scratch` stage first.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=build / /
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=build /out/app /app
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: COPY --from](https://docs.docker.com/reference/dockerfile/#copy---from)
    /// - [Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
    /// - [hadolint DL3067](https://github.com/hadolint/hadolint/wiki/DL3067)
    pub struct CopyEntireStageRoot {
        code: "DKR055",
        name: "copy-entire-stage-root",
        category: Efficiency,
        severity: Warning,
        fix: None,
        peers: [
            Hadolint("DL3067")
        ],
    }
}

impl Rule for CopyEntireStageRoot {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (stage, r, resolved) in resolved_from_refs(df, ctx.source()) {
            if r.keyword != Keyword::Copy {
                continue;
            }
            let what = match resolved {
                FromSource::Stage(source) => {
                    if matches!(root_stage(df, source).base.kind, BaseKind::Scratch) {
                        continue;
                    }
                    format!("stage `{}`", source.display_name())
                }
                FromSource::Image(image) => format!("image `{}`", image_display(&image)),
                FromSource::MissingIndex(_) | FromSource::Unknown => continue,
            };
            let ins = df.instruction(r.instruction);
            let Some(args) = copy_args(ins) else { continue };
            for src in args
                .sources
                .iter()
                .filter(|s| matches!(s.value.as_str(), "/" | "/." | "/*"))
            {
                let message = format!("`COPY --from` copies the whole filesystem of {what}");
                let help = format!(
                    "copy only the paths the image needs: `COPY --from={} /path/it/needs /dest/`",
                    r.value
                );
                ctx.report(src.range, message)
                    .label(r.range, "copied from here")
                    .help(help)
                    .resource(stage_resource(stage));
            }
        }
    }
}
