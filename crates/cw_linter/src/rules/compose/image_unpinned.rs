use super::helpers::{image_tag, is_interpolated, resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a service `image:` without a tag (`image: redis`) or with the `latest` tag, unless it is
    /// pinned by digest (`@sha256:...`). Images built from an interpolated value (`${TAG}`) are not
    /// reported.
    ///
    /// ## Why is this bad?
    /// `latest` (or no tag, which means `latest`) moves with every upstream release: `docker compose
    /// pull` on two machines, or on the same machine a week apart, runs different software, and a
    /// rollback does not roll anything back.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: redis
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: redis:7.2-alpine
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: image](https://docs.docker.com/reference/compose-file/services/#image)
    /// - [docker image tag](https://docs.docker.com/reference/cli/docker/image/tag/)
    pub struct ImageUnpinned {
        code: "CMP001",
        name: "image-unpinned",
        category: Reproducibility,
        severity: Warning,
        fix: None,
        peers: [],
    }
}

impl Rule for ImageUnpinned {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            let Some(image) = service.image() else {
                continue;
            };
            if is_interpolated(image.value) {
                continue;
            }
            let message = match image_tag(image.value) {
                (None, false) => format!("image `{}` has no tag (it means `latest`)", image.value),
                (Some("latest"), false) => format!("image `{}` uses the `latest` tag", image.value),
                _ => continue,
            };
            ctx.report(image.range, message)
                .help("pin a version tag (`name:1.2.3`) or a digest (`name@sha256:...`)")
                .resource(resource(&service));
        }
    }
}
