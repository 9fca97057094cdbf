use cw_model::gitlab_ci::{ImageRef, Job, Service, Variable};

use super::helpers::{Seen, jobs_in_order};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags jobs that run a Docker-in-Docker service (`docker:dind`, `docker:27-dind`,
    /// `docker:dind-rootless`, from any registry) with `DOCKER_TLS_CERTDIR` set to an empty
    /// string, in the service's own `variables:`, the job's, a template's or the global ones. The
    /// finding points at the empty value.
    ///
    /// ## Why is this bad?
    /// With `DOCKER_TLS_CERTDIR: ""` the daemon listens on `tcp://0.0.0.0:2375` without TLS and
    /// without authentication. Anything that can reach the service container on the runner's
    /// network (other jobs' containers on a shared Docker or Kubernetes runner, a compromised
    /// dependency of another project) can drive the daemon: read the images being built and the
    /// secrets passed to the build, or start privileged containers.
    ///
    /// ## Example
    /// ```yaml
    /// build:
    ///   image: docker:27
    ///   services: [docker:27-dind]
    ///   variables:
    ///     DOCKER_HOST: tcp://docker:2375
    ///     DOCKER_TLS_CERTDIR: ""
    ///   script: [docker build -t app .]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// build:
    ///   image: docker:27
    ///   services: [docker:27-dind]
    ///   variables:
    ///     DOCKER_TLS_CERTDIR: "/certs"
    ///   script: [docker build -t app .]
    /// ```
    ///
    /// ## Fix safety
    /// The fix sets `DOCKER_TLS_CERTDIR` to `"/certs"`, and is offered only when the job does not
    /// set `DOCKER_HOST` (the client image then finds the certificates and connects to port
    /// 2376 with TLS). It is unsafe: the client reads the certificates from `/certs/client`, a
    /// volume the runner must share with the service (`volumes = ["/certs/client"]` in the
    /// runner's configuration, as on GitLab.com's runners); on a runner without it the job can no
    /// longer reach the daemon.
    ///
    /// ## References
    /// - [Use Docker-in-Docker with TLS enabled](https://docs.gitlab.com/ci/docker/using_docker_build/#docker-in-docker-with-tls-enabled-in-the-docker-executor)
    /// - [Docker official image: TLS](https://hub.docker.com/_/docker#tls)
    pub struct DindTlsDisabled {
        code: "GLC005",
        name: "dind-tls-disabled",
        category: Security,
        severity: Warning,
        fix: Sometimes,
        peers: [],
    }
}

impl Rule for DindTlsDisabled {
    type Input = GitlabCiInput;
    type Options = NoOptions;

    fn check(&self, input: &GitlabCiInput, ctx: &mut RuleCtx) {
        let mut seen = Seen::default();
        for job in jobs_in_order(&input.pipeline) {
            for service in job.services() {
                if !is_dind(&service) {
                    continue;
                }
                let Some(var) = tls_certdir(&job, &service) else {
                    continue;
                };
                let Some(value) = &var.value else { continue };
                if !value.value.is_empty() || !seen.first(value.range) {
                    continue;
                }
                let fix = fix(&job, &var, ctx);
                let finding = ctx
                    .report(
                        value.range,
                        format!(
                            "`DOCKER_TLS_CERTDIR` is empty for the `{}` service of {} `{}`: the Docker daemon listens without TLS or authentication",
                            service.name.value,
                            if job.is_hidden() { "template" } else { "job" },
                            job.name.value
                        ),
                    )
                    .label(service.name.range, "Docker-in-Docker service")
                    .help("set `DOCKER_TLS_CERTDIR: \"/certs\"` and let the client connect with TLS on port 2376")
                    .resource(job.display());
                if let Some(fix) = fix {
                    finding.fix(fix);
                }
            }
        }
    }
}

/// `docker:dind`, `docker:27.3-dind-rootless`, `registry.example.com/mirror/docker:dind`.
fn is_dind(service: &Service<'_>) -> bool {
    let image = ImageRef::parse(service.name.value);
    image.short_name == "docker" && image.tag.is_some_and(|t| t.contains("dind"))
}

/// `DOCKER_TLS_CERTDIR` as the service sees it: its own variables win over the job's.
fn tls_certdir<'a>(job: &Job<'a>, service: &Service<'a>) -> Option<Variable<'a>> {
    service
        .variables()
        .into_iter()
        .find(|v| v.name.value == "DOCKER_TLS_CERTDIR")
        .or_else(|| job.variable("DOCKER_TLS_CERTDIR"))
}

/// `"/certs"` in place of the empty string, when the value is written as `""` or `''` in this
/// file (not through an alias) and the job leaves `DOCKER_HOST` to the client image.
fn fix(job: &Job<'_>, var: &Variable<'_>, ctx: &RuleCtx) -> Option<Fix> {
    let value = var.value.as_ref()?;
    let node = var.node.get("value").unwrap_or(var.node);
    if node.alias.is_some() || job.variable("DOCKER_HOST").is_some() {
        return None;
    }
    if !matches!(ctx.text(value.range), "\"\"" | "''") {
        return None;
    }
    Some(Fix::unsafe_edit(
        "Set `DOCKER_TLS_CERTDIR` to \"/certs\"",
        vec![Edit::replace(value.range, "\"/certs\"")],
    ))
}
