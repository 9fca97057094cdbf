use cw_model::kubernetes::{LabelSelector, WorkloadKind, label_pairs};
use cw_syntax::yaml::Node;

use super::helpers::is_templated;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and ReplicationControllers
    /// whose `spec.selector` does not select the labels of their own pod template.
    ///
    /// Selectors or labels that cannot be read (templated values, unknown operators) are not
    /// reported, and neither are missing or empty selectors.
    ///
    /// ## Why is this bad?
    /// A workload manages the pods its selector selects. For the `apps/v1` kinds the API server
    /// rejects a selector that does not match the template (`selector does not match template
    /// labels`), so the apply fails. Where it is accepted, the controller cannot see the pods it
    /// creates and keeps creating more. The usual cause is a label renamed in one place only, or a
    /// Kustomize `labels` entry that reaches the template but not the selector.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: frontend}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    /// ```
    ///
    /// ## References
    /// - [Deployments: selector](https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector)
    /// - [Labels and selectors](https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/)
    pub struct SelectorMismatch {
        code: "K8S048",
        name: "selector-mismatch",
        category: Reliability,
        severity: Error,
        fix: None,
        peers: [
            KubeLinter("mismatching-selector"),
            KubeScore("deployment-pod-selector-labels-match-template-metadata-labels"),
        ],
    }
}

/// Whether any scalar below `node` is templated.
fn has_template(node: &Node) -> bool {
    node.as_scalar().is_some_and(|s| is_templated(&s.text))
        || node.entries().iter().any(|e| has_template(&e.key))
        || node.children().any(has_template)
}

impl Rule for SelectorMismatch {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(kind) = object.workload_kind() else {
            return;
        };
        if matches!(kind, WorkloadKind::Pod | WorkloadKind::CronJob) {
            return;
        }
        let (Some(node), Some(selector)) = (object.path(&["spec", "selector"]), object.selector())
        else {
            return;
        };
        if selector.unknown || selector.is_empty() || has_template(node) {
            return;
        }
        let labels_node = object.template_labels().filter(|n| !n.is_null());
        if labels_node.is_some_and(|n| {
            !n.is_map()
                || has_template(n)
                || n.entries().iter().any(|e| e.value.as_scalar().is_none())
        }) {
            return;
        }
        let labels = label_pairs(labels_node);
        if selector.matches(&labels) != Some(false) {
            return;
        }
        let has = |k: &str, v: &str| labels.iter().any(|(lk, lv)| lk == k && lv == v);
        let match_labels = if kind == WorkloadKind::ReplicationController {
            Some(node)
        } else {
            node.get("matchLabels")
        };
        let failing_label = match_labels
            .map_or(&[][..], Node::entries)
            .iter()
            .find(|e| match (e.key_str(), e.value.as_scalar()) {
                (Some(k), Some(v)) => !has(k, &v.text),
                _ => false,
            });
        let (range, what) = if let Some(entry) = failing_label {
            let key = entry.key_str().unwrap_or_default();
            let value = entry.value.as_scalar().map_or("", |s| s.text.as_str());
            (
                entry.range(),
                format!("requires `{key}: {value}`, which its pod template's labels do not have"),
            )
        } else {
            let items = node.get("matchExpressions").map_or(&[][..], Node::items);
            let failing = items.iter().zip(&selector.expressions).find(|(_, r)| {
                let one = LabelSelector {
                    expressions: vec![(*r).clone()],
                    ..LabelSelector::default()
                };
                one.matches(&labels) == Some(false)
            });
            let range = failing.map_or(node.site_range(), |(n, _)| n.site_range());
            (
                range,
                "has a match expression that its pod template's labels do not satisfy".to_string(),
            )
        };
        let finding = ctx
            .report(
                range,
                format!("the selector of {} {what}", object.display()),
            )
            .help("make the selector and the pod template's labels agree")
            .resource(object.display());
        if let Some(n) = labels_node {
            finding.label(n.site_range(), "the pod template's labels");
        } else {
            let template = object
                .get("spec")
                .and_then(|s| s.key_range("template"))
                .unwrap_or_else(|| object.site());
            finding.label(template, "the pod template has no labels");
        }
    }
}
