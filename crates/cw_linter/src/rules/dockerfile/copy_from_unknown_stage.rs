use cw_model::dockerfile::Dockerfile;

use super::helpers::stages::{FromSource, resolved_from_refs, stage_resource};
use crate::prelude::*;
use crate::text::edit_distance;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY --from=<name>` (or `RUN --mount=...,from=<name>`) whose value is neither a stage of
    /// this Dockerfile nor an explicit image reference: a bare name such as `--from=biuld` that BuildKit
    /// then pulls as the image `docker.io/library/biuld:latest`, and a stage index beyond the last stage
    /// (`--from=3` with three stages), which fails the build. Stage names are matched without regard to
    /// case, as Docker does, and wherever the stage is declared (BuildKit accepts a later stage). Image
    /// references with a registry, a path, a tag or a digest (`--from=nginx:1.27`,
    /// `--from=ghcr.io/org/tool`) are deliberate and not reported; values that use a variable without a
    /// known value are not judged.
    ///
    /// ## Why is this bad?
    /// A typo in a stage name does not fail the build: Docker looks the name up as an image on Docker
    /// Hub and copies from whatever it finds there, or fails later with a confusing pull error. At best
    /// the build breaks far from the cause; at worst it copies files from a stranger's image into
    /// yours. An image used on purpose should say so with a tag.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app ./cmd/app
    ///
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=biuld /out/app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app ./cmd/app
    ///
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=build /out/app /app
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: COPY --from](https://docs.docker.com/reference/dockerfile/#copy---from)
    /// - [Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
    /// - [hadolint DL3022](https://github.com/hadolint/hadolint/wiki/DL3022)
    pub struct CopyFromUnknownStage {
        code: "DKR044",
        name: "copy-from-unknown-stage",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [
            Hadolint("DL3022")
        ],
    }
}

impl Rule for CopyFromUnknownStage {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (stage, r, resolved) in resolved_from_refs(df, ctx.source()) {
            let what = r.flag();
            let (message, help) = match resolved {
                FromSource::MissingIndex(i) => (
                    format!(
                        "{what} names stage {i}, but the stages of this Dockerfile are numbered 0 to {}",
                        df.stages.len().saturating_sub(1)
                    ),
                    "name the stage (`FROM ... AS build`, then `--from=build`) instead of counting"
                        .to_string(),
                ),
                FromSource::Image(image)
                    if image.registry.is_none()
                        && image.tag.is_none()
                        && image.digest.is_none()
                        && !image.repository.contains('/') =>
                {
                    let name = image.repository;
                    let help = match closest_stage(df, &name) {
                        Some(s) => format!(
                            "did you mean the stage `{s}`? For an image, write it with a tag (`{name}:<version>`)"
                        ),
                        None => format!(
                            "name a stage of this Dockerfile, or write the image with a tag (`{name}:<version>`)"
                        ),
                    };
                    (
                        format!(
                            "{what} names `{name}`, which is no stage of this Dockerfile: Docker pulls the image `{name}:latest` instead"
                        ),
                        help,
                    )
                }
                FromSource::Stage(_) | FromSource::Image(_) | FromSource::Unknown => continue,
            };
            ctx.report(r.range, message)
                .help(help)
                .resource(stage_resource(stage));
        }
    }
}

/// The stage name closest to `name` (at most two edits away), for a "did you mean".
fn closest_stage<'a>(df: &'a Dockerfile, name: &str) -> Option<&'a str> {
    let name = name.to_ascii_lowercase();
    df.stages
        .iter()
        .filter_map(|s| s.name.as_ref().map(|n| n.value.as_str()))
        .map(|n| (edit_distance(&name, n), n))
        .filter(|(d, n)| *d <= 2 && *d < n.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}
