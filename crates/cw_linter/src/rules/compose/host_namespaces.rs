use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags services that share a host namespace: `pid: host`, `ipc: host` or `userns_mode: host`.
    ///
    /// ## Why is this bad?
    /// - `pid: host` shows the container every host process; with enough privileges it can signal
    ///   or trace them and read their environment.
    /// - `ipc: host` shares the host's shared memory and semaphores with the container.
    /// - `userns_mode: host` turns off user-namespace remapping for the service, so root in the
    ///   container is root on the host.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   monitor:
    ///     image: example/monitor:1
    ///     pid: host
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   monitor:
    ///     image: example/monitor:1
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: pid](https://docs.docker.com/reference/compose-file/services/#pid)
    /// - [Compose file reference: ipc](https://docs.docker.com/reference/compose-file/services/#ipc)
    /// - [Compose file reference: userns_mode](https://docs.docker.com/reference/compose-file/services/#userns_mode)
    pub struct HostPidIpcUserns {
        code: "CMP008",
        name: "host-pid-ipc-userns",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Kics("Host Namespace is Shared"),
            Kics("Shared Host IPC Namespace"),
            Kics("Shared Host User Namespace"),
        ],
    }
}

impl Rule for HostPidIpcUserns {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            let modes = [
                ("pid", service.pid(), "process"),
                ("ipc", service.ipc(), "IPC"),
                ("userns_mode", service.userns_mode(), "user"),
            ];
            for (key, value, what) in modes {
                let Some(value) = value else {
                    continue;
                };
                if value.value != "host" {
                    continue;
                }
                ctx.report(
                    value.range,
                    format!(
                        "service `{}` shares the host's {what} namespace (`{key}: host`)",
                        service.name_str()
                    ),
                )
                .help(format!("remove `{key}: host`"))
                .resource(resource(&service));
            }
        }
    }
}
