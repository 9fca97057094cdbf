use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags services with `privileged: true`.
    ///
    /// ## Why is this bad?
    /// A privileged container gets every capability and every host device, and AppArmor, SELinux
    /// and seccomp confinement are lifted. Escaping it to root on the host is trivial (mount the host
    /// disk, load a kernel module).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: example/agent:1.4
    ///     privileged: true
    /// ```
    ///
    /// Use instead: grant only what the service needs.
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: example/agent:1.4
    ///     cap_add: [NET_ADMIN]
    ///     devices: ["/dev/net/tun"]
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: privileged](https://docs.docker.com/reference/compose-file/services/#privileged)
    /// - [Runtime privilege and Linux capabilities](https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities)
    pub struct PrivilegedService {
        code: "CMP002",
        name: "privileged-service",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Kics("Privileged Containers Enabled")],
    }
}

impl Rule for PrivilegedService {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            let Some(privileged) = service.privileged() else {
                continue;
            };
            if !privileged.value {
                continue;
            }
            ctx.report(
                privileged.range,
                format!("service `{}` runs privileged", service.name_str()),
            )
            .help("remove `privileged: true`; add only the capabilities (`cap_add`) and `devices` it needs")
            .resource(resource(&service));
        }
    }
}
