use super::helpers::{Setting, read_flag};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags pods that set `hostNetwork: true`.
    ///
    /// ## Why is this bad?
    /// The pod shares the node's network namespace: it can bind any port of the node, reach
    /// services listening on the node's loopback (the kubelet's read-only port, local databases,
    /// cloud metadata proxies), sniff the node's traffic with `NET_RAW`, and bypasses every
    /// NetworkPolicy. It also ties the pod to ports that other pods on the node cannot use.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostNetwork: true
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.0
    /// ```
    ///
    /// Use instead: expose the pod through a Service (or a `hostPort` only where unavoidable).
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.0
    ///       ports: [{containerPort: 8080}]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Pod Security Standards, Host Namespaces](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    pub struct HostNetwork {
        code: "K8S008",
        name: "host-network",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            KubeLinter("host-network"),
            Checkov("CKV_K8S_19"),
            Trivy("KSV009"),
            Polaris("hostNetworkSet"),
        ],
    }
}

impl Rule for HostNetwork {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        if let Setting::Known(on) = read_flag(pod.get("hostNetwork"))
            && on.value
        {
            ctx.report(
                on.range,
                format!(
                    "{} uses the node's network namespace (`hostNetwork: true`)",
                    object.display()
                ),
            )
            .help("remove `hostNetwork: true` and expose the pod through a Service")
            .resource(object.display());
        }
    }
}
