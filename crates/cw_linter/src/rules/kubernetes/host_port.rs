use super::helpers::{Setting, container_label, read_flag, read_int};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags container ports with a `hostPort` (other than 0, which means none). Pods with
    /// `hostNetwork: true` are K8S008's business: their ports are the node's anyway.
    ///
    /// ## Why is this bad?
    /// A `hostPort` binds the port on the node's addresses, outside of Services and of most
    /// NetworkPolicy implementations, exposing the container to whatever can reach the node. Only
    /// one pod per node can use a given host port, so replicas cannot share a node and rollouts
    /// stall when no node has the port free.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    ///   - containerPort: 8080
    ///     hostPort: 80
    /// ```
    ///
    /// Use instead: a Service (`ClusterIP`, or `LoadBalancer`/`NodePort`, or an Ingress) in front
    /// of the pod.
    /// ```yaml
    /// ports:
    ///   - containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Configuration best practices, Services](https://kubernetes.io/docs/concepts/configuration/overview/#services)
    /// - [Kubernetes: Pod Security Standards, Host Ports](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    pub struct HostPort {
        code: "K8S045",
        name: "host-port",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [
            Checkov("CKV_K8S_26"),
            Trivy("KSV024"),
            Polaris("hostPortSet"),
        ],
    }
}

impl Rule for HostPort {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        if matches!(read_flag(pod.get("hostNetwork")), Setting::Known(b) if b.value) {
            return;
        }
        for container in pod.all_containers() {
            for port in container.ports() {
                let Setting::Known(host_port) = read_int(port.get("hostPort")) else {
                    continue;
                };
                if host_port.value == 0 {
                    continue;
                }
                ctx.report(
                    host_port.range,
                    format!(
                        "{} binds port {} of the node (`hostPort`)",
                        container_label(&container),
                        host_port.value
                    ),
                )
                .help("remove `hostPort` and expose the container through a Service")
                .resource(container.display())
                .key(host_port.value.to_string());
            }
        }
    }
}
