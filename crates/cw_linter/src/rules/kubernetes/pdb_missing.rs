use cw_model::kubernetes::{ObjectFacts, WorkloadKind};

use super::helpers::{api_group, scalers_of, selectors_maybe_selecting, selects};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Deployments and StatefulSets that run more than one replica when no
    /// PodDisruptionBudget of their namespace selects their pods.
    ///
    /// The replica count is `spec.replicas`, or the `minReplicas` of a HorizontalPodAutoscaler (or
    /// `minReplicaCount` of a KEDA ScaledObject) that targets the workload when that is higher. A
    /// workload whose replica count, pod labels or candidate budgets' selectors cannot be read
    /// (templated values) is not reported. A PodDisruptionBudget without a namespace counts for
    /// every namespace: its namespace is chosen at deploy time.
    ///
    /// ## Why is this bad?
    /// Voluntary disruptions (node drains during cluster upgrades, autoscaler scale-downs, spot
    /// node reclamation) evict pods without regard for the application: without a budget, a drain
    /// may evict every replica at once and the service goes down although it runs several.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   maxUnavailable: 1
    ///   selector:
    ///     matchLabels: {app: web}
    /// ```
    ///
    /// ## References
    /// - [Specifying a Disruption Budget for your Application](https://kubernetes.io/docs/tasks/run-application/configure-pdb/)
    /// - [Disruptions](https://kubernetes.io/docs/concepts/workloads/pods/disruptions/)
    pub struct PdbMissing {
        code: "K8S024",
        name: "pdb-missing",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [
            KubeScore("deployment-has-poddisruptionbudget"),
            KubeScore("statefulset-has-poddisruptionbudget"),
            Polaris("missingPodDisruptionBudget"),
        ],
    }
}

/// Whether the PodDisruptionBudget `pdb` selects pods labelled `labels` (`None`: unknown).
pub(crate) fn pdb_selects(pdb: &ObjectFacts, labels: &[(String, String)]) -> Option<bool> {
    let facts = pdb.pdb.as_ref()?;
    if api_group(&pdb.api_version) != "policy" {
        return Some(false);
    }
    // A missing selector selects no pods; an empty one all pods of the namespace in `policy/v1`,
    // none in `policy/v1beta1`.
    let Some(selector) = &facts.selector else {
        return Some(false);
    };
    if selector.is_empty() && pdb.api_version != "policy/v1" {
        return Some(false);
    }
    selects(selector, labels)
}

impl Rule for PdbMissing {
    type Input = ClusterInput;
    type Options = NoOptions;

    fn check(&self, input: &ClusterInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = &object.pod else {
            return;
        };
        if !matches!(
            pod.workload,
            WorkloadKind::Deployment | WorkloadKind::StatefulSet
        ) {
            return;
        }
        let Some(written) = pod.effective_replicas else {
            return;
        };
        // An autoscaler's minimum counts when it is above the written count.
        let floor = scalers_of(input)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|s| {
                let min = s.scaler.as_ref()?.min_replicas.as_ref()?;
                (min.value > written).then_some((s, min))
            })
            .max_by_key(|(_, min)| min.value);
        let replicas = floor.map_or(written, |(_, min)| min.value);
        if replicas < 2 {
            return;
        }
        for other in selectors_maybe_selecting(input, &["PodDisruptionBudget"], &pod.labels)
            .into_iter()
            .filter(|o| o.pdb.is_some())
        {
            if pdb_selects(other, &pod.labels) != Some(false) {
                return;
            }
        }
        let finding = ctx
            .report(
                object.site,
                format!(
                    "{} runs {}{replicas} replicas and no PodDisruptionBudget selects its pods",
                    object.display(),
                    if floor.is_some() { "at least " } else { "" }
                ),
            )
            .help("add a PodDisruptionBudget (e.g. `maxUnavailable: 1`) whose selector matches the pod template labels")
            .resource(object.display());
        if let Some((scaler, min)) = floor {
            finding.label(min.range, format!("the minimum of {}", scaler.display()));
        } else if let Some(written) = &pod.replicas {
            finding.label(written.range, "replicas set here");
        }
    }
}
