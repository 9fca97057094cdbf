use cw_model::kubernetes::WorkloadKind;

use super::helpers::is_singleton_pod;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Deployments, StatefulSets, ReplicaSets and ReplicationControllers that set
    /// `replicas: 1`.
    ///
    /// Not reported: workloads without `replicas` (an autoscaler may manage them; K8S041 covers a
    /// fixed count beside an autoscaler), `replicas: 0` (scaled down on purpose), and Deployments
    /// whose pods mount a PersistentVolumeClaim or bind a `hostPort`, which cannot run two copies
    /// side by side.
    ///
    /// ## Why is this bad?
    /// A single pod is a single point of failure: a node failure, a node drain for an upgrade, an
    /// eviction or a crash loop takes the service down until a new pod is scheduled and ready,
    /// which can take minutes. A PodDisruptionBudget cannot protect one replica without blocking
    /// node drains altogether.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// spec:
    ///   replicas: 1
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Deployment
    /// spec:
    ///   replicas: 3
    /// ```
    ///
    /// ## References
    /// - [Deployments](https://kubernetes.io/docs/concepts/workloads/controllers/deployment/)
    /// - [Disruptions](https://kubernetes.io/docs/concepts/workloads/pods/disruptions/)
    pub struct SingleReplica {
        code: "K8S038",
        name: "single-replica",
        category: Reliability,
        severity: Info,
        fix: None,
        peers: [
            KubeLinter("minimum-three-replicas"),
            KubeScore("deployment-replicas"),
            Polaris("deploymentMissingReplicas"),
        ],
    }
}

impl Rule for SingleReplica {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(replicas) = object.replicas() else {
            return;
        };
        if replicas.value != 1 {
            return;
        }
        if object.workload_kind() == Some(WorkloadKind::Deployment)
            && object.pod_spec().is_some_and(|p| is_singleton_pod(&p))
        {
            return;
        }
        ctx.report(
            replicas.range,
            format!("{} runs a single replica", object.display()),
        )
        .help("run at least 2 replicas so that one node failure or drain does not take it down")
        .resource(object.display());
    }
}
