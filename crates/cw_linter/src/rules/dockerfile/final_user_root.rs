use super::helpers::stages::stage_resource;
use super::helpers::user::{drops_privileges, is_root};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a final stage whose last `USER` is root: `root`, UID `0` (`USER 0`, `USER 0:0`,
    /// `USER root:root`), including a `USER root` inherited from a stage the final stage is built
    /// `FROM`. Only the final stage counts: switching to root in a build stage, or temporarily in the
    /// final stage before switching back, is fine. A `USER` whose value comes from a variable without
    /// a known value is not judged, and neither is an image whose `ENTRYPOINT` (or `CMD`) visibly drops
    /// privileges itself (`gosu`, `su-exec`, `setpriv`, `runuser`, `s6-setuidgid`, `chpst`).
    ///
    /// ## Why is this bad?
    /// A process running as root inside the container is root on every file, volume and secret
    /// mounted into it, can install packages or tools an attacker needs, and is one kernel or runtime
    /// bug away from root on the host. Platforms that enforce non-root (Kubernetes `runAsNonRoot`,
    /// OpenShift's restricted profile) refuse to start the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// USER root
    /// RUN pip install --no-cache-dir app
    /// CMD ["app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir app && useradd --uid 10001 --no-create-home app
    /// USER 10001:10001
    /// CMD ["app"]
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
    /// - [Docker build best practices: USER](https://docs.docker.com/build/building/best-practices/#user)
    /// - [hadolint DL3002](https://github.com/hadolint/hadolint/wiki/DL3002)
    /// - [Trivy DS002](https://avd.aquasec.com/misconfig/ds002)
    pub struct FinalUserRoot {
        code: "DKR004",
        name: "final-user-root",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Hadolint("DL3002"),
            Checkov("CKV_DOCKER_8"),
            Trivy("DS002")
        ],
    }
}

impl Rule for FinalUserRoot {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        let Some(stage) = df.final_stage() else {
            return;
        };
        let Some(user) = &stage.user else { return };
        if !is_root(user) || drops_privileges(df, stage) {
            return;
        }
        let who = if user.user.value == "root" {
            "`root`".to_string()
        } else {
            format!("UID `{}`, which is root", user.user.value)
        };
        let finding = ctx
            .report(user.user.range, format!("the final stage runs as {who}"))
            .help(
                "switch to an unprivileged user after the steps that need root: `USER 10001:10001` \
                 (create it with `useradd --uid 10001`)",
            )
            .resource(stage_resource(stage));
        if !stage.body.contains(&user.instruction) {
            let from = df.instruction(stage.from);
            finding.label(
                from.range,
                "the final stage inherits this USER from the stage it is built FROM",
            );
        }
    }
}
