use super::helpers::expose::{PortSpec, exposed_words};
use super::helpers::stages::stage_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `EXPOSE` of TCP port 22, the SSH port, in any stage: `EXPOSE 22`, `EXPOSE 22/tcp`, a
    /// range that includes 22 (`EXPOSE 20-25`), or a variable whose known value is one of those. UDP and
    /// SCTP ports are not reported, and neither are variables without a known value.
    ///
    /// ## Why is this bad?
    /// Exposing port 22 means the image runs an SSH daemon: one more long-lived, network-facing
    /// service with credentials or keys baked into the image, to patch and to guard against brute
    /// force. Containers do not need it: `docker exec` and `kubectl exec` (or `kubectl debug`) give a
    /// shell through the runtime's authenticated API.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends openssh-server
    /// EXPOSE 22 8080
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 8080
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: EXPOSE](https://docs.docker.com/reference/dockerfile/#expose)
    /// - [docker container exec](https://docs.docker.com/reference/cli/docker/container/exec/)
    /// - [Checkov CKV_DOCKER_1](https://www.checkov.io/5.Policy%20Index/dockerfile.html)
    /// - [Trivy DS004](https://avd.aquasec.com/misconfig/ds004)
    pub struct ExposeSsh {
        code: "DKR042",
        name: "expose-ssh",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [
            Checkov("CKV_DOCKER_1"),
            Trivy("DS004")
        ],
    }
}

impl Rule for ExposeSsh {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (stage, word) in exposed_words(df, ctx.source()) {
            let PortSpec::Ports { start, end, proto } = &word.spec else {
                continue;
            };
            if proto != "tcp" || !(*start..=*end).contains(&22) {
                continue;
            }
            let what = if start == end {
                "the SSH port 22".to_string()
            } else {
                format!("the range `{}`, which includes the SSH port 22", word.value)
            };
            ctx.report(word.range, format!("`EXPOSE` publishes {what}"))
                .help("drop the SSH daemon and port 22: use `docker exec` or `kubectl exec` to get a shell")
                .resource(stage_resource(stage));
        }
    }
}
