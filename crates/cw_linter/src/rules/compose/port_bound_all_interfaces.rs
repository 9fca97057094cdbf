use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags published ports without a host address (`"5432:5432"`, `published: 8080`) or bound to
    /// `0.0.0.0` / `::`. Ports without a published side (`"80"`, `expose:`) are not reported.
    ///
    /// ## Why is this bad?
    /// Docker then listens on every interface of the host, public ones included, and its iptables
    /// rules are evaluated before the host firewall: `ufw deny 5432` does not close the port. Services
    /// meant for local use, or only for a reverse proxy on the same host, should bind `127.0.0.1`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.0
    ///     ports:
    ///       - "8080:8080"
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
    /// - [Compose file reference: ports](https://docs.docker.com/reference/compose-file/services/#ports)
    /// - [Docker and ufw / iptables](https://docs.docker.com/engine/network/packet-filtering-firewalls/)
    pub struct PortBoundAllInterfaces {
        code: "CMP018",
        name: "port-bound-all-interfaces",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Kics("Container Traffic Not Bound To Host Interface")],
    }
}

impl Rule for PortBoundAllInterfaces {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            for port in service.ports() {
                if !port.binds_all_interfaces() {
                    continue;
                }
                let published = port.published.as_deref().unwrap_or("");
                ctx.report(
                    port.published_range(),
                    format!(
                        "service `{}` publishes port {published} on every host interface",
                        service.name_str()
                    ),
                )
                .help("bind a host address: `127.0.0.1:<port>:<port>` for local-only access")
                .resource(resource(&service));
            }
        }
    }
}
