use super::helpers::{Setting, read_flag};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags pods that set `hostIPC: true`.
    ///
    /// ## Why is this bad?
    /// The pod shares the node's IPC namespace: its containers can read and write the shared memory
    /// segments, semaphores and message queues of every process on the node that uses System V or
    /// POSIX IPC, including other pods' that share the host's IPC namespace.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostIPC: true
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.0
    /// ```
    ///
    /// Use instead: keep the pod in its own IPC namespace (the pod's containers share it).
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.0
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Pod Security Standards, Host Namespaces](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    pub struct HostIpc {
        code: "K8S010",
        name: "host-ipc",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            KubeLinter("host-ipc"),
            Checkov("CKV_K8S_18"),
            Trivy("KSV008"),
            Polaris("hostIPCSet"),
        ],
    }
}

impl Rule for HostIpc {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        if let Setting::Known(on) = read_flag(pod.get("hostIPC"))
            && on.value
        {
            ctx.report(
                on.range,
                format!(
                    "{} shares the node's IPC namespace (`hostIPC: true`)",
                    object.display()
                ),
            )
            .help("remove `hostIPC: true`; containers of one pod share IPC without it")
            .resource(object.display());
        }
    }
}
