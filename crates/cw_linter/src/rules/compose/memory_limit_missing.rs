use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags services without a memory limit: neither `deploy.resources.limits.memory` nor
    /// `mem_limit`.
    ///
    /// ## Why is this bad?
    /// Without a limit a leaking or overloaded service grows until the host runs out of memory, and
    /// the kernel's OOM killer then picks a victim: often another service, or the Docker daemon.
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
    ///           memory: 512M
    /// ```
    ///
    /// ## References
    /// - [Compose Deploy Specification: resources](https://docs.docker.com/reference/compose-file/deploy/#resources)
    /// - [Resource constraints](https://docs.docker.com/engine/containers/resource_constraints/)
    pub struct MemoryLimitMissing {
        code: "CMP012",
        name: "memory-limit-missing",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [Kics("Memory Not Limited")],
    }
}

impl Rule for MemoryLimitMissing {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            if service.memory_limit().is_some() {
                continue;
            }
            ctx.report(
                service.name_range(),
                format!("service `{}` has no memory limit", service.name_str()),
            )
            .help("set `deploy.resources.limits.memory` (for example `512M`)")
            .resource(resource(&service));
        }
    }
}
