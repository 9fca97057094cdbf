use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags services with `network_mode: host`.
    ///
    /// ## Why is this bad?
    /// The service shares the host's network stack: every port it opens listens on every host
    /// interface, `ports:` mappings are ignored, it can reach services bound to the host's
    /// `localhost`, and Compose networks no longer isolate it from anything.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.0
    ///     network_mode: host
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.0
    ///     ports:
    ///       - "127.0.0.1:8080:8080"
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: network_mode](https://docs.docker.com/reference/compose-file/services/#network_mode)
    /// - [Host network driver](https://docs.docker.com/engine/network/drivers/host/)
    pub struct HostNetwork {
        code: "CMP007",
        name: "host-network",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Kics("Shared Host Network Namespace")],
    }
}

impl Rule for HostNetwork {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            let Some(mode) = service.network_mode() else {
                continue;
            };
            if mode.value != "host" {
                continue;
            }
            ctx.report(
                mode.range,
                format!("service `{}` uses the host's network stack", service.name_str()),
            )
            .help("use a Compose network and publish only the ports needed, bound to `127.0.0.1` where possible")
            .resource(resource(&service));
        }
    }
}
