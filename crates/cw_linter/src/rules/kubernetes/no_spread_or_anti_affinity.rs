use cw_model::kubernetes::WorkloadKind;

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Deployments and StatefulSets with `replicas` of 2 or more whose pod template has
    /// neither `topologySpreadConstraints` nor a `podAntiAffinity`.
    ///
    /// Workloads without `replicas` (autoscaled) and templated `affinity` are not reported.
    ///
    /// ## Why is this bad?
    /// Replicas exist to survive the loss of a node or a zone, but nothing makes the scheduler put
    /// them apart. Its built-in spreading is a soft preference among other scores: under pressure,
    /// after a node drain, or on a freshly scaled cluster, all replicas can land on one node or in
    /// one zone, and one failure takes them all down.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   replicas: 3
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers: [...]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// spec:
    ///   replicas: 3
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       topologySpreadConstraints:
    ///         - maxSkew: 1
    ///           topologyKey: topology.kubernetes.io/zone
    ///           whenUnsatisfiable: ScheduleAnyway
    ///           labelSelector: {matchLabels: {app: web}}
    ///         - maxSkew: 1
    ///           topologyKey: kubernetes.io/hostname
    ///           whenUnsatisfiable: ScheduleAnyway
    ///           labelSelector: {matchLabels: {app: web}}
    ///       containers: [...]
    /// ```
    ///
    /// ## References
    /// - [Pod topology spread constraints](https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/)
    /// - [Inter-pod affinity and anti-affinity](https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity)
    pub struct NoSpreadOrAntiAffinity {
        code: "K8S039",
        name: "no-spread-or-anti-affinity",
        category: Reliability,
        severity: Info,
        fix: None,
        peers: [
            KubeLinter("no-anti-affinity"),
            KubeScore("deployment-has-host-podantiaffinity"),
            KubeScore("pod-topology-spread-constraints"),
            Polaris("topologySpreadConstraint"),
        ],
    }
}

impl Rule for NoSpreadOrAntiAffinity {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        if !matches!(
            object.workload_kind(),
            Some(WorkloadKind::Deployment | WorkloadKind::StatefulSet)
        ) {
            return;
        }
        let Some(replicas) = object.replicas().filter(|r| r.value >= 2) else {
            return;
        };
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let set = |n: Option<&cw_syntax::yaml::Node>| n.is_some_and(|n| !n.is_null());
        let affinity = pod.get("affinity");
        // A templated `affinity` is unknown.
        if affinity.is_some_and(|a| !a.is_map() && !a.is_null())
            || set(pod.get("topologySpreadConstraints"))
            || set(affinity.and_then(|a| a.get("podAntiAffinity")))
        {
            return;
        }
        ctx.report(
            replicas.range,
            format!(
                "{} runs {} replicas with no topology spread constraints or pod anti-affinity",
                object.display(),
                replicas.value
            ),
        )
        .help("add `topologySpreadConstraints` over `kubernetes.io/hostname` and `topology.kubernetes.io/zone` so that one failure takes down only some replicas")
        .resource(object.display());
    }
}
