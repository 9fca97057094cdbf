use cw_model::kubernetes::ObjectFacts;

use super::helpers::{is_templated, join_and, scalers_targeting, workloads_maybe_selected};
use super::pdb_missing::pdb_selects;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags PodDisruptionBudgets that allow no eviction at all: `maxUnavailable: 0` (or `0%`),
    /// `minAvailable: 100%`, or a `minAvailable` that is at least the number of pods of the
    /// workloads it selects (a percentage is rounded up, as Kubernetes does: `50%` of one pod is one
    /// pod).
    ///
    /// The replica count is compared only when every workload the budget selects is in the scan
    /// with a known, fixed replica count: a selected DaemonSet or Job, a workload that a
    /// HorizontalPodAutoscaler or ScaledObject scales, or a templated value keeps the rule quiet.
    ///
    /// ## Why is this bad?
    /// Evictions that would break the budget are refused, and a budget that can never be met refuses
    /// them all: `kubectl drain`, cluster upgrades and the cluster autoscaler wait on it forever, and
    /// managed node upgrades stall or end up forcing the pods off anyway.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   maxUnavailable: 0
    ///   selector:
    ///     matchLabels: {app: web}
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
    /// - [Safely Drain a Node](https://kubernetes.io/docs/tasks/administer-cluster/safely-drain-node/)
    pub struct PdbBlocksAllEvictions {
        code: "K8S025",
        name: "pdb-blocks-all-evictions",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [
            KubeLinter("pdb-max-unavailable"),
            KubeLinter("pdb-min-available"),
            Polaris("pdbDisruptionsIsZero"),
        ],
    }
}

/// An `intOrString` budget value: a count, or a percentage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Amount {
    Count(i64),
    Percent(i64),
}

fn amount(text: &str) -> Option<Amount> {
    let text = text.trim();
    match text.strip_suffix('%') {
        Some(p) => p.trim().parse().ok().map(Amount::Percent),
        None => text.parse().ok().map(Amount::Count),
    }
}

/// The pods the budget selects and the workloads that run them, when all of them are known:
/// `None` when a selected workload's replica count is unknown or variable.
fn selected_pods(input: &ClusterInput) -> Option<(i64, Vec<&ObjectFacts>)> {
    let pdb = input.object();
    let mut total = 0;
    let mut workloads = Vec::new();
    let candidates = match pdb.pdb.as_ref().and_then(|f| f.selector.as_ref()) {
        Some(selector) => workloads_maybe_selected(input, selector),
        None => return Some((0, Vec::new())),
    };
    for other in candidates {
        let Some(pod) = &other.pod else {
            continue;
        };
        if !pdb_selects(pdb, &pod.labels)? {
            continue;
        }
        if !pod.workload.has_replicas() {
            return None;
        }
        let scaled = scalers_targeting(input, other).is_none_or(|s| !s.is_empty());
        if scaled {
            return None;
        }
        total += pod.effective_replicas?;
        workloads.push(other);
    }
    Some((total, workloads))
}

impl Rule for PdbBlocksAllEvictions {
    type Input = ClusterInput;
    type Options = NoOptions;

    fn check(&self, input: &ClusterInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pdb) = &object.pdb else {
            return;
        };
        if !object.api_version.starts_with("policy/") {
            return;
        }
        let help = "allow at least one disruption, e.g. `maxUnavailable: 1`";
        if let Some(max) = &pdb.max_unavailable {
            if !is_templated(&max.value)
                && matches!(
                    amount(&max.value),
                    Some(Amount::Count(0) | Amount::Percent(0))
                )
            {
                ctx.report(
                    max.range,
                    format!(
                        "{} sets `maxUnavailable: {}`, so no pod can ever be evicted",
                        object.display(),
                        max.value.trim()
                    ),
                )
                .help(help)
                .resource(object.display());
            }
            return;
        }
        let Some(min) = &pdb.min_available else {
            return;
        };
        if is_templated(&min.value) {
            return;
        }
        let Some(wanted) = amount(&min.value) else {
            return;
        };
        if matches!(wanted, Amount::Percent(p) if p >= 100) {
            ctx.report(
                min.range,
                format!(
                    "{} sets `minAvailable: {}`, so no pod can ever be evicted",
                    object.display(),
                    min.value.trim()
                ),
            )
            .help(help)
            .resource(object.display());
            return;
        }
        let Some((total, workloads)) = selected_pods(input) else {
            return;
        };
        if workloads.is_empty() || total == 0 {
            return;
        }
        let required = match wanted {
            Amount::Count(n) => n,
            // Kubernetes rounds a `minAvailable` percentage up.
            Amount::Percent(p) => (p * total + 99) / 100,
        };
        if required < total {
            return;
        }
        let names: Vec<String> = workloads.iter().map(|w| w.display()).collect();
        let pods = if total == 1 { "pod" } else { "pods" };
        ctx.report(
            min.range,
            format!(
                "{} requires `minAvailable: {}` of the {total} {pods} of {}, so no pod can ever be evicted",
                object.display(),
                min.value.trim(),
                join_and(&names)
            ),
        )
        .help("allow at least one disruption: `maxUnavailable: 1`, or a `minAvailable` below the replica count")
        .resource(object.display());
    }
}
