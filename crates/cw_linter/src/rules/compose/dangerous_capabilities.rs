use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags services that add dangerous Linux capabilities (`ALL`, `SYS_ADMIN`, `NET_ADMIN`,
    /// `SYS_PTRACE`, `SYS_MODULE`, `DAC_READ_SEARCH`, `SYS_RAWIO`, `BPF`), and services that do not
    /// drop all capabilities with `cap_drop: [ALL]`. Privileged services are CMP002's business and
    /// are not reported here.
    ///
    /// ## Why is this bad?
    /// `SYS_ADMIN` alone is nearly root on the host (mounts, namespaces, BPF); `SYS_PTRACE` lets the
    /// container inspect other processes; `NET_ADMIN` reconfigures networking. Even Docker's default
    /// set includes capabilities most services never use (`NET_RAW` enables ARP and DNS spoofing,
    /// `CHOWN`, `SETUID`): dropping `ALL` and adding back only what is needed limits what an
    /// attacker inside the container can do.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   vpn:
    ///     image: example/vpn:1
    ///     cap_add: [SYS_ADMIN]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   vpn:
    ///     image: example/vpn:1
    ///     cap_drop: [ALL]
    ///     cap_add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: cap_add](https://docs.docker.com/reference/compose-file/services/#cap_add)
    /// - [Runtime privilege and Linux capabilities](https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities)
    /// - [capabilities(7)](https://man7.org/linux/man-pages/man7/capabilities.7.html)
    pub struct DangerousCapabilities {
        code: "CMP009",
        name: "dangerous-capabilities",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Kics("Container Capabilities Unrestricted")],
    }
}

/// Capabilities that (nearly) give away the host.
const DANGEROUS: [&str; 8] = [
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "SYS_PTRACE",
    "SYS_MODULE",
    "DAC_READ_SEARCH",
    "SYS_RAWIO",
    "BPF",
];

fn normalize(cap: &str) -> String {
    let upper = cap.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map_or(upper.clone(), str::to_string)
}

impl Rule for DangerousCapabilities {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            if service.privileged().is_some_and(|p| p.value) {
                continue;
            }
            for cap in service.cap_add() {
                let name = normalize(cap.value);
                if !DANGEROUS.contains(&name.as_str()) {
                    continue;
                }
                ctx.report(
                    cap.range,
                    format!("service `{}` adds the capability `{name}`", service.name_str()),
                )
                .help("add only narrow capabilities the service needs (for example `NET_BIND_SERVICE`)")
                .resource(resource(&service));
            }
            let drops_all = service
                .cap_drop()
                .iter()
                .any(|c| normalize(c.value) == "ALL");
            if !drops_all {
                ctx.report(
                    service.name_range(),
                    format!(
                        "service `{}` keeps Docker's default capabilities (no `cap_drop: [ALL]`)",
                        service.name_str()
                    ),
                )
                .help("add `cap_drop: [ALL]` and `cap_add` only what the service needs")
                .resource(resource(&service));
            }
        }
    }
}
