use super::helpers::{container_label, containers_missing_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers and init containers of a workload that set no memory limit
    /// (`resources.limits.memory`), unless the pod sets one at pod level (pod-level `resources`,
    /// Kubernetes 1.34+). Ephemeral containers cannot have resources and are skipped; templated
    /// `resources` are taken as set.
    ///
    /// ## Why is this bad?
    /// Without a limit a leaking or overloaded container grows until the node runs out of memory.
    /// The kernel's OOM killer then picks a victim, often a neighbour's pod, and the kubelet evicts
    /// pods to recover. With a limit, only the offending container is killed and restarted.
    ///
    /// A `LimitRange` with `default` limits in the namespace fills them in at admission; this rule
    /// looks at each manifest alone and cannot see it. If your namespaces rely on one, disable the
    /// rule or suppress it per workload.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.4.2
    ///     resources:
    ///       requests:
    ///         memory: 256Mi
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
    ///       limits:
    ///         memory: 512Mi
    /// ```
    ///
    /// ## References
    /// - [Resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
    /// - [Assign memory resources to containers and pods](https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/)
    /// - [Limit ranges](https://kubernetes.io/docs/concepts/policy/limit-range/)
    pub struct MemoryLimitMissing {
        code: "K8S015",
        name: "memory-limit-missing",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_K8S_13"), Trivy("KSV018"), Polaris("memoryLimitsMissing"), KubeScore("container-resources"), Kics("Memory limits not defined")],
    }
}

impl Rule for MemoryLimitMissing {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let Some(pod) = input.object().pod_spec() else {
            return;
        };
        for container in containers_missing_resource(&pod, "limits", "memory") {
            ctx.report(
                container.site(),
                format!("{} has no memory limit", container_label(&container)),
            )
            .help("set `resources.limits.memory` (for example `512Mi`) so a leak kills this container, not its neighbours")
            .resource(container.display());
        }
    }
}
