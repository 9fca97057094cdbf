use super::helpers::{Setting, is_templated, read_flag};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags sysctls in the pod's `securityContext.sysctls` that are not in Kubernetes' safe set,
    /// and safe ones that would apply to the node because the pod shares the node's namespace.
    ///
    /// Kubernetes sorts sysctls three ways:
    /// - **safe** (allowed on every node): `kernel.shm_rmid_forced`,
    ///   `net.ipv4.ip_local_port_range`, `net.ipv4.ip_local_reserved_ports`,
    ///   `net.ipv4.ip_unprivileged_port_start`, `net.ipv4.ping_group_range`,
    ///   `net.ipv4.tcp_syncookies`, `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_keepalive_intvl`,
    ///   `net.ipv4.tcp_keepalive_probes`, `net.ipv4.tcp_fin_timeout`, `net.ipv4.tcp_rmem` and
    ///   `net.ipv4.tcp_wmem` (the kubelet's list as of Kubernetes 1.32; a few need a recent kernel);
    /// - **unsafe but namespaced** (`kernel.shm*`, `kernel.msg*`, `kernel.sem`, `fs.mqueue.*`,
    ///   `net.*`): they apply to the pod only, but are not isolated well enough between pods; the
    ///   kubelet rejects them unless the node allows them with `--allowed-unsafe-sysctls`;
    /// - **not namespaced** (everything else: `vm.*`, `kernel.pid_max`, `fs.file-max`...): they
    ///   would change the whole node, so the kubelet never accepts them in a pod.
    ///
    /// The first group is fine, except that `net.*` sysctls would apply to the node's network
    /// namespace in a pod with `hostNetwork: true`, and the IPC ones to the node's with
    /// `hostIPC: true` (the kubelet rejects both). Names may use `/` as separator
    /// (`net/ipv4/tcp_syncookies`). Templated names are not reported; Windows pods are not checked.
    ///
    /// ## Why is this bad?
    /// An unsafe sysctl can starve or destabilize the other pods of the node, or the node itself
    /// (huge IPC limits, network stack buffers and routing). Where the node does not allow it, the
    /// pod is scheduled but never starts (`SysctlForbidden`). The Pod Security Standards' baseline
    /// profile allows only the safe set.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///       - name: vm.max_map_count
    ///         value: "262144"
    /// ```
    ///
    /// Use instead: set node-level sysctls on the nodes (node configuration, a tuning operator, or a
    /// privileged DaemonSet owned by the platform team), and keep only safe sysctls in pods.
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///       - name: net.ipv4.ip_local_port_range
    ///         value: "1024 65535"
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Using sysctls in a Kubernetes Cluster](https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/)
    /// - [Kubernetes: Pod Security Standards, Sysctls](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    pub struct UnsafeSysctl {
        code: "K8S046",
        name: "unsafe-sysctl",
        category: Security,
        severity: Error,
        fix: None,
        peers: [KubeLinter("unsafe-sysctls"), Trivy("KSV026")],
    }
}

/// The kubelet's safe sysctls.
const SAFE: [&str; 12] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

/// The namespace a sysctl belongs to, if it is namespaced.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Namespace {
    Ipc,
    Net,
}

fn namespace(name: &str) -> Option<Namespace> {
    if name.starts_with("net.") {
        Some(Namespace::Net)
    } else if name.starts_with("kernel.shm")
        || name.starts_with("kernel.msg")
        || name == "kernel.sem"
        || name.starts_with("fs.mqueue.")
    {
        Some(Namespace::Ipc)
    } else {
        None
    }
}

/// `net/ipv4/conf/eth0.100/rp_filter` as `net.ipv4.conf.eth0/100.rp_filter`: with `/` as the
/// separator, dots are part of a name.
fn normalize(name: &str) -> String {
    if !name.contains('/') {
        return name.to_string();
    }
    name.chars()
        .map(|c| match c {
            '/' => '.',
            '.' => '/',
            c => c,
        })
        .collect()
}

impl Rule for UnsafeSysctl {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        if pod.is_windows() {
            return;
        }
        let Some(sysctls) = pod.security_context().and_then(|s| s.get("sysctls")) else {
            return;
        };
        let shares = |key: &str| matches!(read_flag(pod.get(key)), Setting::Known(b) if b.value);
        let display = object.display();
        for item in sysctls.items() {
            let Some(name_node) = item.get("name") else {
                continue;
            };
            let Some(raw) = name_node.as_str().map(str::trim) else {
                continue;
            };
            if raw.is_empty() || is_templated(raw) {
                continue;
            }
            let name = normalize(raw);
            let node_help = "set node-wide sysctls on the nodes, not in pods; keep only Kubernetes' safe sysctls here";
            let (message, help) = match (SAFE.contains(&name.as_str()), namespace(&name)) {
                (true, Some(Namespace::Net)) if shares("hostNetwork") => (
                    format!(
                        "{display} sets the sysctl `{raw}` with `hostNetwork: true`: it would change the node's network stack"
                    ),
                    "remove the sysctl, or `hostNetwork: true`",
                ),
                (true, Some(Namespace::Ipc)) if shares("hostIPC") => (
                    format!(
                        "{display} sets the sysctl `{raw}` with `hostIPC: true`: it would change the node's IPC limits"
                    ),
                    "remove the sysctl, or `hostIPC: true`",
                ),
                (true, _) => continue,
                (false, Some(_)) => (
                    format!(
                        "{display} sets the unsafe sysctl `{raw}`: it is not isolated between the node's pods, and the kubelet rejects it unless the node allows it"
                    ),
                    node_help,
                ),
                (false, None) => (
                    format!(
                        "{display} sets the sysctl `{raw}`, which is not namespaced and would change the whole node"
                    ),
                    node_help,
                ),
            };
            ctx.report(name_node.site_range(), message)
                .help(help)
                .resource(display.clone())
                .key(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Namespace, namespace, normalize};

    #[test]
    fn names() {
        assert_eq!(
            normalize("net/ipv4/tcp_syncookies"),
            "net.ipv4.tcp_syncookies"
        );
        assert_eq!(
            normalize("net/ipv4/conf/eth0.100/rp_filter"),
            "net.ipv4.conf.eth0/100.rp_filter"
        );
        assert!(namespace("kernel.shmmax") == Some(Namespace::Ipc));
        assert!(namespace("net.core.somaxconn") == Some(Namespace::Net));
        assert!(namespace("vm.max_map_count").is_none());
        assert!(namespace("kernel.semaphores").is_none());
    }
}
