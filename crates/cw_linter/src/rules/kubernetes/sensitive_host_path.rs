use super::helpers::{host_path, report_host_volume};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `hostPath` volumes that expose a sensitive part of the node:
    /// - the root file system `/`, and the system directories `/etc`, `/dev`, `/sys`, `/usr`,
    ///   `/lib`, `/lib64`, `/bin`, `/sbin`, `/var`, `/var/lib` and `/home` themselves;
    /// - `/proc`, `/boot` and `/root`, and anything below them;
    /// - the kubelet's and the runtimes' state, which holds every pod's secrets and tokens:
    ///   `/var/lib/kubelet`, `/var/lib/docker`, `/var/lib/containerd`, `/var/lib/etcd`,
    ///   `/var/lib/rancher`, and anything below them;
    /// - below `/etc`, the node's credentials and system configuration (`/etc/shadow`,
    ///   `/etc/ssh`, `/etc/kubernetes`, `/etc/sudoers`, private keys under `/etc/ssl` and
    ///   `/etc/pki`...), and credential directories in home directories (`~/.ssh`, `~/.kube`...).
    ///
    /// Narrower mounts that node agents commonly need are not reported: a device (`/dev/fuse`),
    /// `/sys/fs/cgroup`, `/lib/modules`, `/etc/localtime`, CA bundles (`/etc/ssl/certs`), and the
    /// log directories that log shippers read (`/var/log`, `/var/lib/docker/containers`). Runtime
    /// sockets are K8S011's business.
    ///
    /// ## Why is this bad?
    /// These paths hold the node's configuration, kernel interfaces, credentials and the secrets of
    /// every pod on the node. A container that can read them leaks them; one that can write them
    /// (`hostPath` volumes are writable unless the mount says `readOnly: true`) can take over the
    /// node.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: host-etc
    ///     hostPath:
    ///       path: /etc
    /// ```
    ///
    /// Use instead: a ConfigMap or Secret with the files the container needs, or mount only the one
    /// file it needs, read-only.
    /// ```yaml
    /// volumes:
    ///   - name: config
    ///     configMap:
    ///       name: app-config
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: hostPath volumes](https://kubernetes.io/docs/concepts/storage/volumes/#hostpath)
    /// - [Kubernetes: Pod Security Standards, HostPath Volumes](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    pub struct SensitiveHostPath {
        code: "K8S012",
        name: "sensitive-host-path",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            KubeLinter("sensitive-host-mounts"),
            Trivy("KSV023"),
            Polaris("hostPathSet"),
        ],
    }
}

/// Directories that are sensitive as a whole (mounting something below them is not reported).
const EXACT: [&str; 11] = [
    "/etc", "/dev", "/sys", "/usr", "/lib", "/lib64", "/bin", "/sbin", "/var", "/var/lib", "/home",
];

/// Directories that are sensitive with everything below them.
const TREES: [&str; 8] = [
    "/proc",
    "/boot",
    "/root",
    "/var/lib/kubelet",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/lib/etcd",
    "/var/lib/rancher",
];

/// Entries of `/etc` that hold the node's credentials or system configuration.
const ETC: [&str; 14] = [
    "passwd",
    "shadow",
    "group",
    "gshadow",
    "sudoers",
    "sudoers.d",
    "ssh",
    "kubernetes",
    "docker",
    "containerd",
    "systemd",
    "cron.d",
    "crontab",
    "security",
];

/// Credential directories in a home directory.
const HOME_SECRETS: [&str; 5] = [".ssh", ".aws", ".kube", ".docker", ".gnupg"];

/// Below sensitive trees, what log shippers read.
const LOGS: [&str; 1] = ["/var/lib/docker/containers"];

fn under(path: &str, dir: &str) -> bool {
    path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// What a normalized `hostPath` exposes, if it is sensitive.
fn sensitive(path: &str) -> Option<&'static str> {
    if path == "/" {
        return Some("the node's root file system");
    }
    if LOGS.iter().any(|d| under(path, d)) {
        return None;
    }
    if EXACT.contains(&path) || TREES.iter().any(|d| under(path, d)) {
        return Some("a sensitive node directory");
    }
    if let Some(rest) = path.strip_prefix("/etc/") {
        let first = rest.split('/').next().unwrap_or("");
        if ETC.contains(&first) {
            return Some("the node's credentials or system configuration");
        }
        // Private keys: `/etc/ssl`, `/etc/pki`, `/etc/pki/tls` as a whole, or a `private` directory.
        if matches!(first, "ssl" | "pki")
            && (matches!(rest, "ssl" | "pki" | "pki/tls")
                || rest.split('/').any(|p| p == "private"))
        {
            return Some("the node's private keys");
        }
        return None;
    }
    if let Some(rest) = path.strip_prefix("/home/") {
        let mut parts = rest.split('/');
        let _user = parts.next();
        if parts.next().is_some_and(|d| HOME_SECRETS.contains(&d)) {
            return Some("a credentials directory");
        }
    }
    None
}

impl Rule for SensitiveHostPath {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        for volume in pod.volumes() {
            let Some((path, range)) = host_path(volume) else {
                continue;
            };
            let Some(what) = sensitive(&path) else {
                continue;
            };
            let name = volume.name().unwrap_or("");
            let message = format!(
                "{} mounts {what}, `{path}` (volume `{name}`)",
                object.display()
            );
            report_host_volume(
                ctx,
                &pod,
                volume,
                range,
                message,
                "use a ConfigMap or Secret, or mount only the file the container needs, read-only",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sensitive;

    #[test]
    fn paths() {
        for p in [
            "/",
            "/etc",
            "/etc/kubernetes/pki",
            "/etc/shadow",
            "/etc/ssl",
            "/etc/ssl/private",
            "/proc",
            "/proc/1/ns",
            "/root/.ssh",
            "/var/lib/kubelet",
            "/var/lib/kubelet/pods",
            "/var/lib/docker",
            "/home/ubuntu/.kube",
            "/sys",
            "/dev",
            "/usr",
        ] {
            assert!(sensitive(p).is_some(), "{p}");
        }
        for p in [
            "/etc/localtime",
            "/etc/ssl/certs",
            "/etc/pki/ca-trust",
            "/etc/machine-id",
            "/dev/fuse",
            "/sys/fs/cgroup",
            "/lib/modules",
            "/var/log",
            "/var/lib/docker/containers",
            "/var/lib/kubelet-plugins",
            "/data",
            "/mnt/disks/ssd0",
            "/home/ubuntu/app",
            "/var/run/docker.sock",
        ] {
            assert!(sensitive(p).is_none(), "{p}");
        }
    }
}
