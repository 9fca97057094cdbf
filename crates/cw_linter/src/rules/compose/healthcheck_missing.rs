use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags services that run an `image:` without a `healthcheck:`, and services whose healthcheck
    /// is disabled (`disable: true`, `test: ["NONE"]`). Services with `build:` are not reported when
    /// they have no `healthcheck:`, because their Dockerfile may declare a `HEALTHCHECK` (DKR036
    /// checks that).
    ///
    /// ## Why is this bad?
    /// Without a healthcheck Docker only knows whether the process runs, not whether it answers: a
    /// hung service stays "up", `depends_on: condition: service_healthy` cannot wait for it, and
    /// orchestrators cannot replace it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: redis:7.2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: redis:7.2
    ///     healthcheck:
    ///       test: ["CMD", "redis-cli", "ping"]
    ///       interval: 10s
    ///       timeout: 3s
    ///       retries: 3
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: healthcheck](https://docs.docker.com/reference/compose-file/services/#healthcheck)
    /// - [Dockerfile reference: HEALTHCHECK](https://docs.docker.com/reference/dockerfile/#healthcheck)
    pub struct HealthcheckMissing {
        code: "CMP015",
        name: "healthcheck-missing",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [Kics("Healthcheck Not Set")],
    }
}

impl Rule for HealthcheckMissing {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            match service.healthcheck() {
                Some(check) if check.is_disabled() => {
                    let at = service
                        .node
                        .key_range("healthcheck")
                        .unwrap_or_else(|| check.node.site_range());
                    ctx.report(
                        at,
                        format!("service `{}` disables its healthcheck", service.name_str()),
                    )
                    .help("define a `test:` that checks the service answers")
                    .resource(resource(&service));
                }
                Some(_) => {}
                None => {
                    if service.build().is_some() || service.image().is_none() {
                        continue;
                    }
                    ctx.report(
                        service.name_range(),
                        format!("service `{}` has no healthcheck", service.name_str()),
                    )
                    .help("add a `healthcheck:` with a `test:` that checks the service answers")
                    .resource(resource(&service));
                }
            }
        }
    }
}
