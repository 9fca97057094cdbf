use cw_model::dockerfile::BaseKind;

use super::helpers::stages::{image_display, root_stage, stage_resource};
use super::helpers::user::runs_as_non_root;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a final stage that never sets `USER`, neither itself nor in a stage it is built `FROM`,
    /// so the container runs as the base image's default user. The final stage is judged when its
    /// `FROM` chain starts at a registry image or at `scratch` (which runs as UID 0); it is not judged
    /// when the base reference uses a variable without a known value, nor when the base image is known
    /// to default to a non-root user (distroless `:nonroot` tags, `*-unprivileged` images). A
    /// `USER root` is DKR004's business, not this rule's.
    ///
    /// ## Why is this bad?
    /// Most images (`debian`, `ubuntu`, `alpine`, `python`, `node`, `scratch`) default to root, so an
    /// image that never says otherwise runs its process as root: it can rewrite its own code and every
    /// mounted volume, and is one kernel or runtime bug away from root on the host. Platforms that
    /// enforce non-root (Kubernetes `runAsNonRoot`, OpenShift's restricted profile) refuse to start
    /// it. Declaring the user in the Dockerfile also documents it for whoever runs the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// COPY --chown=node:node . /app
    /// CMD ["node", "/app/server.js"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// COPY --chown=node:node . /app
    /// USER 1000:1000
    /// CMD ["node", "/app/server.js"]
    /// ```
    ///
    /// With `FROM scratch` there is no `/etc/passwd`: use a numeric UID such as `USER 65532:65532`.
    ///
    /// ## References
    /// - [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
    /// - [Docker build best practices: USER](https://docs.docker.com/build/building/best-practices/#user)
    /// - [Checkov CKV_DOCKER_3](https://www.checkov.io/5.Policy%20Index/dockerfile.html)
    /// - [Trivy DS002](https://avd.aquasec.com/misconfig/ds002)
    pub struct MissingUser {
        code: "DKR005",
        name: "missing-user",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [
            Checkov("CKV_DOCKER_3"),
            Trivy("DS002"),
            Kics("Missing User Instruction")
        ],
    }
}

impl Rule for MissingUser {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        let Some(stage) = df.final_stage() else {
            return;
        };
        if stage.user.is_some() {
            return;
        }
        let root = root_stage(df, stage);
        let (message, help) = match &root.base.kind {
            BaseKind::Image(image) if runs_as_non_root(image) => return,
            BaseKind::Image(image) => (
                format!(
                    "the final stage never sets `USER`, so it runs as the default user of `{}`, root unless that image says otherwise",
                    image_display(image)
                ),
                "add `USER <uid>:<gid>` with a non-root numeric UID after the steps that need root",
            ),
            BaseKind::Scratch => (
                "the final stage never sets `USER`, so it runs as UID 0 (root)".to_string(),
                "add `USER 65532:65532` (scratch has no /etc/passwd, so use a numeric UID)",
            ),
            BaseKind::Stage(_) | BaseKind::Unknown => return,
        };
        let finding = ctx
            .report(stage.base.raw.range, message)
            .help(help)
            .resource(stage_resource(stage));
        if root.index != stage.index {
            finding.label(
                root.base.raw.range,
                "the final stage is built on this image",
            );
        }
    }
}
