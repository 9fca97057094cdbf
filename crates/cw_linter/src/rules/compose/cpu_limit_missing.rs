use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags services without a CPU limit: neither `deploy.resources.limits.cpus` nor `cpus`.
    ///
    /// ## Why is this bad?
    /// A service in a busy loop, or under load, takes every core of the host and starves the
    /// services next to it (including the database they all depend on).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:2.3
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:2.3
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           cpus: "1.5"
    /// ```
    ///
    /// ## References
    /// - [Compose Deploy Specification: resources](https://docs.docker.com/reference/compose-file/deploy/#resources)
    /// - [Resource constraints: CPU](https://docs.docker.com/engine/containers/resource_constraints/#cpu)
    pub struct CpuLimitMissing {
        code: "CMP013",
        name: "cpu-limit-missing",
        category: Reliability,
        severity: Info,
        fix: None,
        peers: [Kics("Cpus Not Limited")],
    }
}

impl Rule for CpuLimitMissing {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            if service.cpu_limit().is_some() {
                continue;
            }
            ctx.report(
                service.name_range(),
                format!("service `{}` has no CPU limit", service.name_str()),
            )
            .help("set `deploy.resources.limits.cpus` (for example `\"1.0\"`)")
            .resource(resource(&service));
        }
    }
}
