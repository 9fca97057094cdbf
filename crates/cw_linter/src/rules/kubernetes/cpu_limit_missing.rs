use super::helpers::{container_label, containers_missing_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers and init containers of a workload that set no CPU limit
    /// (`resources.limits.cpu`), unless the pod sets one at pod level (pod-level `resources`,
    /// Kubernetes 1.34+). Ephemeral containers cannot have resources and are skipped; templated
    /// `resources` are taken as set.
    ///
    /// ## Why is this bad?
    /// Without a limit a busy container can use every idle CPU cycle of the node, which makes its
    /// performance depend on its neighbours and hides how much it really needs. Some platforms
    /// require limits (and the `Guaranteed` QoS class needs them).
    ///
    /// This is advice, `info` by default: a CPU limit throttles the container even when the node has
    /// idle CPU, which hurts latency, and many teams deliberately set requests only. Keep the rule
    /// off if that is your policy.
    ///
    /// A `LimitRange` with `default` limits in the namespace fills them in at admission; this rule
    /// looks at each manifest alone and cannot see it.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.4.2
    ///     resources:
    ///       requests:
    ///         cpu: 250m
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.4.2
    ///     resources:
    ///       requests:
    ///         cpu: 250m
    ///       limits:
    ///         cpu: "1"
    /// ```
    ///
    /// ## References
    /// - [Resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
    /// - [Assign CPU resources to containers and pods](https://kubernetes.io/docs/tasks/configure-pod-container/assign-cpu-resource/)
    /// - [Limit ranges](https://kubernetes.io/docs/concepts/policy/limit-range/)
    pub struct CpuLimitMissing {
        code: "K8S016",
        name: "cpu-limit-missing",
        category: Efficiency,
        severity: Info,
        fix: None,
        peers: [Checkov("CKV_K8S_11"), Trivy("KSV011"), Polaris("cpuLimitsMissing"), Kics("CPU limits not set")],
    }
}

impl Rule for CpuLimitMissing {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let Some(pod) = input.object().pod_spec() else {
            return;
        };
        for container in containers_missing_resource(&pod, "limits", "cpu") {
            ctx.report(
                container.site(),
                format!("{} has no CPU limit", container_label(&container)),
            )
            .help("set `resources.limits.cpu` if the container must not use more than its share")
            .resource(container.display());
        }
    }
}
