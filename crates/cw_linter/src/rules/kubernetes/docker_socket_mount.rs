use super::helpers::{host_path, report_host_volume};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `hostPath` volumes that expose a container runtime's API socket: `docker.sock`,
    /// `containerd.sock`, `crio.sock`, `cri-dockerd.sock`, `dockershim.sock` or `podman.sock`
    /// (wherever they are), or a directory that holds them (`/var/run`, `/run`,
    /// `/run/containerd`, `/var/run/crio`...), and on Windows nodes the runtimes' named pipes
    /// (`\\.\pipe\docker_engine`, `\\.\pipe\containerd-containerd`). The finding points at
    /// the path and labels the containers that mount the volume. Mounting `/` is K8S012's
    /// business.
    ///
    /// ## Why is this bad?
    /// Whoever can talk to the runtime socket can start a privileged container with the node's root
    /// file system mounted, read every other container's environment and files, and stop or
    /// replace them: it is root on the node, and through the kubelet's credentials often more.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: docker
    ///     hostPath:
    ///       path: /var/run/docker.sock
    /// ```
    ///
    /// Use instead: build images with a daemonless builder (BuildKit rootless, Kaniko) or read
    /// container metadata from the Kubernetes API; if a node agent really needs the socket, run it
    /// in a namespace of its own and suppress the finding there.
    ///
    /// ## References
    /// - [Kubernetes: hostPath volumes](https://kubernetes.io/docs/concepts/storage/volumes/#hostpath)
    /// - [OWASP Docker Security Cheat Sheet, rule 1](https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html)
    pub struct DockerSocketMount {
        code: "K8S011",
        name: "docker-socket-mount",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            KubeLinter("docker-sock"),
            Checkov("CKV_K8S_27"),
            Trivy("KSV006"),
        ],
    }
}

/// File names of container runtime API sockets.
const SOCKETS: [&str; 6] = [
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "cri-dockerd.sock",
    "dockershim.sock",
    "podman.sock",
];

/// Directories that hold runtime sockets.
const SOCKET_DIRS: [&str; 11] = [
    "/run",
    "/var/run",
    "/run/containerd",
    "/var/run/containerd",
    "/run/crio",
    "/var/run/crio",
    "/run/podman",
    "/var/run/podman",
    "/run/k3s/containerd",
    "/run/docker",
    "/var/run/docker",
];

/// What a `hostPath` exposes, if it is a runtime socket or a directory holding one.
fn runtime_socket(path: &str) -> Option<&'static str> {
    let file = path.rsplit('/').next().unwrap_or(path);
    if SOCKETS.contains(&file) {
        return Some("the container runtime socket");
    }
    SOCKET_DIRS
        .contains(&path)
        .then_some("the directory of the container runtime socket")
}

/// Windows named pipes of container runtimes (`\\.\pipe\docker_engine`).
fn windows_pipe(path: &str) -> bool {
    let lower = path.to_ascii_lowercase().replace('/', "\\");
    lower
        .strip_prefix("\\\\.\\pipe\\")
        .is_some_and(|pipe| matches!(pipe, "docker_engine" | "containerd-containerd"))
}

impl Rule for DockerSocketMount {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        for volume in pod.volumes() {
            let Some((path, range, what)) = host_path(volume)
                .and_then(|(path, range)| Some((path.clone(), range, runtime_socket(&path)?)))
                .or_else(|| {
                    let raw = volume.host_path()?;
                    windows_pipe(raw.value).then(|| {
                        (
                            raw.value.to_string(),
                            raw.range,
                            "the container runtime's named pipe",
                        )
                    })
                })
            else {
                continue;
            };
            let name = volume.name().unwrap_or("");
            let message = format!(
                "{} mounts {what} `{path}` (volume `{name}`)",
                object.display()
            );
            report_host_volume(
                ctx,
                &pod,
                volume,
                range,
                message,
                "do not give workloads the runtime socket; use a daemonless builder or the Kubernetes API",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{runtime_socket, windows_pipe};

    #[test]
    fn sockets() {
        for p in [
            "/var/run/docker.sock",
            "/run/containerd/containerd.sock",
            "/var/snap/microk8s/common/run/containerd.sock",
            "/var/run",
            "/run/containerd",
        ] {
            assert!(runtime_socket(p).is_some(), "{p}");
        }
        for p in [
            "/var/run/secrets",
            "/run/xtables.lock",
            "/var/lib/docker",
            "/",
        ] {
            assert!(runtime_socket(p).is_none(), "{p}");
        }
        assert!(windows_pipe(r"\\.\pipe\docker_engine"));
        assert!(windows_pipe("//./pipe/containerd-containerd"));
        assert!(!windows_pipe(r"\\.\pipe\other"));
    }
}
