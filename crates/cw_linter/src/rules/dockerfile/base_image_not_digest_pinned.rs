use super::helpers::stages::{image_display, label_arg_defaults, registry_images, stage_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` whose registry image, once `ARG` defaults are substituted, is not pinned to a
    /// digest (`@sha256:...`), in any stage. `FROM scratch`, `FROM <earlier stage>` and references that
    /// use an `ARG` without a default are not reported, nor are untagged and `latest` images: DKR002 and
    /// DKR001 report those, and pinning them fixes this too.
    ///
    /// ## Why is this bad?
    /// A tag is a mutable pointer: publishers re-push `3.12-slim` for every patch release, and a
    /// compromised registry account can re-push it with anything. Only a digest names exactly one
    /// image, so only a digest makes a build reproducible and immune to a re-pushed tag. Keep the tag
    /// next to the digest for readers, and let a bot (Renovate, Dependabot) bump both so that security
    /// updates still arrive.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim@sha256:2e3c3f4ba8e8d5e8f2e6b0f7b1a8f21f4a9b1f38a4f6a3ff3b4d2f8d0f2b7c6e
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: FROM](https://docs.docker.com/reference/dockerfile/#from)
    /// - [Docker build best practices: pin base image versions](https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
    /// - [Renovate: Docker digest pinning](https://docs.renovatebot.com/docker/#digest-pinning)
    pub struct BaseImageNotDigestPinned {
        code: "DKR003",
        name: "base-image-not-digest-pinned",
        category: Reproducibility,
        severity: Info,
        fix: None,
        peers: [

        ],
    }
}

impl Rule for BaseImageNotDigestPinned {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (stage, image) in registry_images(df) {
            // An untagged or `latest` image is DKR002/DKR001's finding, which already says to pin it.
            if image.digest.is_some() || image.tag.as_deref().is_none_or(|t| t == "latest") {
                continue;
            }
            let shown = image_display(image);
            let finding = ctx
                .report(
                    stage.base.raw.range,
                    format!("base image `{shown}` is not pinned to a digest"),
                )
                .help(format!(
                    "append its digest (`docker buildx imagetools inspect {shown}` shows it): `{shown}@sha256:<digest>`, and let a bot bump it"
                ))
                .resource(stage_resource(stage));
            label_arg_defaults(finding, df, &stage.base.raw);
        }
    }
}
