use super::helpers::stages::{
    image_display, label_arg_defaults, literal_tag_range, registry_images, stage_resource,
};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` whose registry image resolves to the `latest` tag without a digest, in any
    /// stage: `FROM node:latest`, or `FROM node:${TAG}` where `ARG TAG=latest`. The tag is judged
    /// after `ARG` defaults are substituted; a tag that comes from an `ARG` without a default, `FROM
    /// scratch` and `FROM <earlier stage>` are not reported, and neither is `latest` together with an
    /// `@sha256:` digest (the digest decides what is pulled).
    ///
    /// ## Why is this bad?
    /// `latest` is a moving pointer: it follows whatever the publisher pushed last, so two builds of
    /// the same commit can get different operating systems, runtimes and libraries. Builds stop being
    /// reproducible, a new major version can break the build or the application without any change on
    /// your side, and rolling back to an older commit does not roll back the base image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:latest
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: FROM](https://docs.docker.com/reference/dockerfile/#from)
    /// - [Docker build best practices: pin base image versions](https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
    /// - [hadolint DL3007](https://github.com/hadolint/hadolint/wiki/DL3007)
    /// - [Trivy DS001](https://avd.aquasec.com/misconfig/ds001)
    pub struct BaseImageLatestTag {
        code: "DKR001",
        name: "base-image-latest-tag",
        category: Reproducibility,
        severity: Warning,
        fix: None,
        peers: [
            Hadolint("DL3007"),
            Checkov("CKV_DOCKER_7"),
            Trivy("DS001"),
            Kics("Image Version Using 'latest'")
        ],
    }
}

impl Rule for BaseImageLatestTag {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (stage, image) in registry_images(df) {
            if image.tag.as_deref() != Some("latest") || image.digest.is_some() {
                continue;
            }
            let raw = &stage.base.raw;
            let range = literal_tag_range(raw, image, ctx.source()).unwrap_or(raw.range);
            let shown = image_display(image);
            let finding = ctx
                .report(range, format!("base image `{shown}` uses the `latest` tag"))
                .help(format!(
                    "pin a version tag of `{}` (for example the one `latest` points to today), and ideally its digest",
                    image.repository
                ))
                .resource(stage_resource(stage));
            label_arg_defaults(finding, df, raw);
        }
    }
}
