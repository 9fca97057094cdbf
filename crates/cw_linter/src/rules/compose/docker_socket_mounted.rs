use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags volumes that mount the Docker (or containerd, Podman) socket into a service:
    /// `/var/run/docker.sock`, `/run/docker.sock`, `/run/containerd/containerd.sock`,
    /// `/run/podman/podman.sock`, short or long syntax, read-only or not.
    ///
    /// ## Why is this bad?
    /// Whoever can talk to the Docker API can start a privileged container that mounts the host's
    /// root file system: the socket is root on the host. Mounting it read-only does not help, since
    /// the API is reached through the socket, not by writing to the file.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   ui:
    ///     image: example/dashboard:2.1
    ///     volumes:
    ///       - /var/run/docker.sock:/var/run/docker.sock:ro
    /// ```
    ///
    /// Use instead: a socket proxy that allows only the API calls the service needs.
    /// ```yaml
    /// services:
    ///   ui:
    ///     image: example/dashboard:2.1
    ///     environment:
    ///       DOCKER_HOST: tcp://docker-proxy:2375
    /// ```
    ///
    /// ## References
    /// - [Docker security: the Docker daemon attack surface](https://docs.docker.com/engine/security/#docker-daemon-attack-surface)
    /// - [OWASP Docker Security Cheat Sheet, rule #1](https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html)
    pub struct DockerSocketMounted {
        code: "CMP003",
        name: "docker-socket-mounted",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Kics("Docker Socket Mounted In Container")],
    }
}

/// Container runtime sockets.
const SOCKETS: [&str; 5] = [
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/run/containerd/containerd.sock",
    "/var/run/containerd/containerd.sock",
    "/run/podman/podman.sock",
];

impl Rule for DockerSocketMounted {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            for volume in service.volumes() {
                let Some(source) = volume.host_path() else {
                    continue;
                };
                let path = source.value.trim_end_matches('/');
                if !SOCKETS.contains(&path) {
                    continue;
                }
                ctx.report(
                    source.range,
                    format!(
                        "service `{}` mounts the container runtime socket `{path}`",
                        service.name_str()
                    ),
                )
                .help("use a socket proxy that allows only the API calls the service needs")
                .resource(resource(&service));
            }
        }
    }
}
