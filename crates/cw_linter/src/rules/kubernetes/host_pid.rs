use super::helpers::{Setting, read_flag};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags pods that set `hostPID: true`.
    ///
    /// ## Why is this bad?
    /// The pod shares the node's process namespace: its containers see every process of the node
    /// and of the other pods, with their command lines and environment (often holding secrets), can
    /// signal them, and with `SYS_PTRACE` read their memory. It is a common step of container
    /// escapes (`nsenter -t 1`).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostPID: true
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.0
    /// ```
    ///
    /// Use instead: keep the pod in its own process namespace (`shareProcessNamespace: true`
    /// shares it only between the pod's containers).
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.0
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Pod Security Standards, Host Namespaces](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    pub struct HostPid {
        code: "K8S009",
        name: "host-pid",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            KubeLinter("host-pid"),
            Checkov("CKV_K8S_17"),
            Trivy("KSV010"),
            Polaris("hostPIDSet"),
        ],
    }
}

impl Rule for HostPid {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        if let Setting::Known(on) = read_flag(pod.get("hostPID"))
            && on.value
        {
            ctx.report(
                on.range,
                format!(
                    "{} shares the node's process namespace (`hostPID: true`)",
                    object.display()
                ),
            )
            .help("remove `hostPID: true`; use `shareProcessNamespace` to share processes between the pod's own containers")
            .resource(object.display());
        }
    }
}
