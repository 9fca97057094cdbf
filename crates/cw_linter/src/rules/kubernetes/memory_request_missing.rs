use super::helpers::{container_label, containers_missing_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers and init containers of a workload that set no memory request
    /// (`resources.requests.memory`). A memory limit counts, since Kubernetes copies a limit into an unset
    /// request, and so do pod-level `resources` (Kubernetes 1.34+). Ephemeral containers cannot have
    /// resources and are skipped; templated `resources` are taken as set.
    ///
    /// ## Why is this bad?
    /// The scheduler places pods by their requests. A container without a memory request counts as
    /// needing nothing, so nodes get overcommitted; when memory runs short, the kubelet evicts the
    /// pods that use the most beyond their requests first, and a pod whose containers request nothing
    /// at all gets the `BestEffort` QoS class, the first to go.
    ///
    /// A `LimitRange` with `defaultRequest` in the namespace fills in requests at admission; this rule
    /// looks at each manifest alone and cannot see it. If your namespaces rely on one, disable the
    /// rule or suppress it per workload.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.4.2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.4.2
    ///     resources:
    ///       requests:
    ///         memory: 256Mi
    /// ```
    ///
    /// ## References
    /// - [Resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
    /// - [Pod quality of service classes](https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/)
    /// - [Limit ranges](https://kubernetes.io/docs/concepts/policy/limit-range/)
    pub struct MemoryRequestMissing {
        code: "K8S014",
        name: "memory-request-missing",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [KubeLinter("unset-memory-requirements"), Checkov("CKV_K8S_12"), Trivy("KSV016"), Polaris("memoryRequestsMissing"), Kics("Memory requests not defined")],
    }
}

impl Rule for MemoryRequestMissing {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let Some(pod) = input.object().pod_spec() else {
            return;
        };
        for container in containers_missing_resource(&pod, "requests", "memory") {
            ctx.report(
                container.site(),
                format!("{} has no memory request", container_label(&container)),
            )
            .help("set `resources.requests.memory` to what the container needs under normal load (for example `256Mi`)")
            .resource(container.display());
        }
    }
}
