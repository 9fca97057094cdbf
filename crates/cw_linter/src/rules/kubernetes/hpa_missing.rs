use cw_model::kubernetes::WorkloadKind;

use super::helpers::scalers_of;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags stateless Deployments that run a fixed number of replicas above one while no
    /// HorizontalPodAutoscaler or KEDA ScaledObject targets them (by `scaleTargetRef` kind and
    /// name).
    ///
    /// Deployments that mount a PersistentVolumeClaim are not reported: they keep state, and most
    /// volumes cannot be shared by more replicas. An autoscaler without a namespace counts for every
    /// namespace, and one whose target is templated keeps the rule quiet.
    ///
    /// ## Why is this bad?
    /// A fixed replica count is sized for one load: too small at the peak, wasted the rest of the
    /// time. An autoscaler follows the load between a floor and a ceiling, which keeps capacity and
    /// cost in line with demand.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 3
    ///   maxReplicas: 10
    ///   metrics:
    ///     - type: Resource
    ///       resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    /// ```
    ///
    /// ## References
    /// - [Horizontal Pod Autoscaling](https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/)
    /// - [KEDA ScaledObject specification](https://keda.sh/docs/latest/reference/scaledobject-spec/)
    pub struct HpaMissing {
        code: "K8S040",
        name: "hpa-missing",
        category: Efficiency,
        severity: Info,
        fix: None,
        peers: [],
    }
}

impl Rule for HpaMissing {
    type Input = ClusterInput;
    type Options = NoOptions;

    fn check(&self, input: &ClusterInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = &object.pod else {
            return;
        };
        if pod.workload != WorkloadKind::Deployment || pod.persistent_volume {
            return;
        }
        let Some(replicas) = &pod.replicas else {
            return;
        };
        if replicas.value < 2 || !scalers_of(input).is_some_and(|s| s.is_empty()) {
            return;
        }
        ctx.report(
            replicas.range,
            format!(
                "{} runs a fixed count of {} replicas and no HorizontalPodAutoscaler scales it",
                object.display(),
                replicas.value
            ),
        )
        .help("add a HorizontalPodAutoscaler (or KEDA ScaledObject) that targets it, and drop the fixed `replicas`")
        .resource(object.display());
    }
}
