use super::helpers::stages::{image_display, label_arg_defaults, registry_images, stage_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` whose registry image has neither a tag nor a digest once `ARG` defaults are
    /// substituted, in any stage: `FROM ubuntu`, or `FROM ${BASE}` where `ARG BASE=ubuntu`. `FROM
    /// scratch`, `FROM <earlier stage>` and references that use an `ARG` without a default are not
    /// reported: `ARG BASE=python:3.12` then `FROM $BASE` is tagged, which is the classic false
    /// positive of tools that do not resolve `ARG`s.
    ///
    /// ## Why is this bad?
    /// An image without a tag means `:latest`, which silently moves to whatever the publisher pushed
    /// last. Builds of the same commit stop being reproducible, a new major version can break the
    /// build without any change on your side, and nothing in the Dockerfile tells a reader which
    /// version the image was written for.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: FROM](https://docs.docker.com/reference/dockerfile/#from)
    /// - [Docker build best practices: pin base image versions](https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
    /// - [hadolint DL3006](https://github.com/hadolint/hadolint/wiki/DL3006)
    pub struct BaseImageUntagged {
        code: "DKR002",
        name: "base-image-untagged",
        category: Reproducibility,
        severity: Warning,
        fix: None,
        peers: [
            Hadolint("DL3006"),
            Kics("Image Version Not Explicit")
        ],
    }
}

impl Rule for BaseImageUntagged {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (stage, image) in registry_images(df) {
            if image.tag.is_some() || image.digest.is_some() {
                continue;
            }
            let shown = image_display(image);
            let finding = ctx
                .report(
                    stage.base.raw.range,
                    format!("base image `{shown}` has no tag, so it means `{shown}:latest`"),
                )
                .help(format!(
                    "pin a version tag: `{shown}:<version>`, and ideally its digest"
                ))
                .resource(stage_resource(stage));
            label_arg_defaults(finding, df, &stage.base.raw);
        }
    }
}
