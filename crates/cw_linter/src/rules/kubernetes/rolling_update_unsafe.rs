use cw_syntax::yaml::Node;

use super::helpers::{is_singleton_pod, is_templated};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Deployments whose update strategy takes pods away before their replacements are
    /// ready:
    ///
    /// - `strategy.type: Recreate`, which stops every pod before starting the new ones;
    /// - a `rollingUpdate.maxUnavailable` that allows at least one pod to be down during a rollout
    ///   (a number, or a percentage of a known `replicas`, rounded down as Kubernetes does).
    ///
    /// Not reported: a `Recreate` Deployment whose pods mount a PersistentVolumeClaim or bind a
    /// `hostPort` (two pods often cannot run side by side, so `Recreate` is deliberate); the default
    /// strategy (25 % unavailable, rounded down: no pod below four replicas), which is not written
    /// in the manifest; percentages when `replicas` is not set (an autoscaler decides it); templated
    /// values.
    ///
    /// ## Why is this bad?
    /// With `Recreate` every deploy is an outage: the old pods are gone before the new ones pass
    /// their readiness probe, and a broken image leaves nothing running. With `maxUnavailable` above
    /// zero, each rollout runs below capacity and a rollout during peak load drops requests; when
    /// it reaches the replica count, the rollout may stop every pod at once. `maxUnavailable: 0`
    /// with `maxSurge: 1` (or more) starts each new pod before an old one is stopped.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   replicas: 2
    ///   strategy:
    ///     rollingUpdate:
    ///       maxUnavailable: 1
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// spec:
    ///   replicas: 2
    ///   strategy:
    ///     rollingUpdate:
    ///       maxUnavailable: 0
    ///       maxSurge: 1
    /// ```
    ///
    /// ## Fix safety
    /// For `maxUnavailable`, the fix sets it to `0` when `maxSurge` leaves room for at least one
    /// extra pod and the pods can run side by side. It is unsafe: a rollout then needs room for the
    /// surge pods, and stalls instead of proceeding when a quota or the cluster's capacity has
    /// none. `Recreate` is never changed automatically.
    ///
    /// ## References
    /// - [Deployments: strategy](https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy)
    /// - [Performing a rolling update](https://kubernetes.io/docs/tutorials/kubernetes-basics/update/update-intro/)
    pub struct RollingUpdateUnsafe {
        code: "K8S037",
        name: "rolling-update-unsafe",
        category: Reliability,
        severity: Warning,
        fix: Sometimes,
        peers: [KubeLinter("no-rolling-update-strategy"), KubeScore("deployment-strategy")],
    }
}

/// An `IntOrString` of a rolling update: a number of pods or a percentage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Amount {
    Pods(i64),
    Percent(i64),
}

impl Amount {
    /// Reads a value as Kubernetes does: an integer, or a string `N%` (`None`: anything else,
    /// including templates).
    fn read(node: &Node) -> Option<Self> {
        if let Some(n) = node.as_i64() {
            return Some(Self::Pods(n));
        }
        let text = node.as_str()?.trim();
        if is_templated(text) {
            return None;
        }
        let pct = text.strip_suffix('%')?.parse().ok()?;
        Some(Self::Percent(pct))
    }

    /// The number of pods for `replicas`, rounding a percentage down (`up` false) or up.
    fn pods(self, replicas: Option<i64>, up: bool) -> Option<i64> {
        match self {
            Self::Pods(n) => Some(n),
            Self::Percent(p) => {
                let total = replicas?.checked_mul(p)?;
                Some(if up {
                    total.div_euclid(100) + i64::from(total.rem_euclid(100) != 0)
                } else {
                    total.div_euclid(100)
                })
            }
        }
    }
}

impl Rule for RollingUpdateUnsafe {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        if object.kind_str() != "Deployment" {
            return;
        }
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let strategy = object.path(&["spec", "strategy"]);
        let kind = strategy.and_then(|s| s.get("type"));
        if let Some(kind) = kind.filter(|k| k.as_str().map(str::trim) == Some("Recreate")) {
            if !is_singleton_pod(&pod) {
                ctx.report(
                    kind.site_range(),
                    format!(
                        "{} uses the `Recreate` strategy, which stops every pod before starting the new ones",
                        object.display()
                    ),
                )
                .help("use `type: RollingUpdate` with `maxUnavailable: 0` and `maxSurge: 1`")
                .resource(object.display());
            }
            return;
        }
        if kind.is_some_and(|k| !k.is_null() && k.as_str().map(str::trim) != Some("RollingUpdate"))
        {
            return;
        }
        let Some(rolling) = strategy.and_then(|s| s.get("rollingUpdate")) else {
            return;
        };
        let Some(node) = rolling.get("maxUnavailable") else {
            return;
        };
        let Some(amount) = Amount::read(node) else {
            return;
        };
        let replicas = object.replicas().map(|r| r.value);
        if replicas == Some(0) {
            return;
        }
        let Some(down) = amount.pods(replicas, false).filter(|d| *d >= 1) else {
            return;
        };
        let written = match amount {
            Amount::Pods(n) => n.to_string(),
            Amount::Percent(p) => format!("{p}%"),
        };
        let object_name = object.display();
        let pods = |n: i64| {
            if n == 1 {
                "1 pod".to_string()
            } else {
                format!("{n} pods")
            }
        };
        let message = match replicas {
            Some(1) => format!(
                "{object_name} may stop its only pod during a rollout (`maxUnavailable: {written}`)"
            ),
            Some(n) if down >= n => format!(
                "{object_name} may stop all of its {n} pods at once during a rollout (`maxUnavailable: {written}`)"
            ),
            Some(n) => format!(
                "{object_name} may stop {down} of its {n} pods during a rollout (`maxUnavailable: {written}`)"
            ),
            None => format!(
                "{object_name} may stop {} at once during a rollout (`maxUnavailable: {written}`)",
                pods(down)
            ),
        };
        let surge = match rolling.get("maxSurge") {
            None => Some(Amount::Percent(25)),
            Some(n) => Amount::read(n),
        };
        let fixable = node.alias.is_none()
            && !is_singleton_pod(&pod)
            && surge.is_some_and(|s| s.pods(Some(replicas.unwrap_or(1)), true) >= Some(1));
        let finding = ctx
            .report(node.site_range(), message)
            .help("set `maxUnavailable: 0` (with `maxSurge: 1` or more) to keep full capacity while new pods start")
            .resource(object_name);
        if fixable {
            finding.fix(Fix::unsafe_edit(
                "Set `maxUnavailable: 0`",
                vec![Edit::replace(node.range, "0")],
            ));
        }
    }
}
