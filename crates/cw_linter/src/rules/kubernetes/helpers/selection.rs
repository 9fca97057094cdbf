//! Which objects a label selector may select, which selectors may select a pod, and which
//! autoscalers target a workload, without comparing every pair of objects of a scan.
//!
//! A selector's `matchLabels` are ANDed, so a selector that requires `app=web` can only select
//! pods labelled `app=web`: indexing pods by label pair and selectors by their first required pair
//! narrows each question to a few candidates. What the index cannot narrow (a selector without
//! `matchLabels`, an unreadable or templated one, pods with templated labels) is always a
//! candidate. Candidates are a superset: callers still decide with [`selects`](super::selects).
//! Autoscalers are indexed by the kind and name of their target.

use std::collections::HashMap;

use cw_model::kubernetes::{LabelSelector, ObjectFacts};

use super::{SCALER_KINDS, WORKLOAD_KINDS, is_templated, scales};
use crate::input::ClusterInput;

/// The selector an object of a selecting kind applies to pods.
pub(crate) fn selector_of(o: &ObjectFacts) -> Option<&LabelSelector> {
    match o.kind.as_str() {
        "Service" => o.service.as_ref()?.selector.as_ref(),
        "PodDisruptionBudget" => o.pdb.as_ref()?.selector.as_ref(),
        "NetworkPolicy" => o.network_policy.as_ref(),
        _ => None,
    }
}

fn opaque(k: &str, v: &str) -> bool {
    is_templated(k) || is_templated(v)
}

/// The first `matchLabels` pair every pod the selector selects must carry, when the selector's
/// meaning is known.
fn required_pair(selector: &LabelSelector) -> Option<&(String, String)> {
    if selector.unknown
        || selector.match_labels.iter().any(|(k, v)| opaque(k, v))
        || selector
            .expressions
            .iter()
            .any(|r| is_templated(&r.key) || r.values.iter().any(|v| is_templated(v)))
    {
        return None;
    }
    selector.match_labels.first()
}

#[derive(Default)]
struct Index {
    /// Workloads by pod label pair.
    pods: HashMap<(String, String), Vec<usize>>,
    /// Workloads with a templated pod label: every selector may select them.
    pods_always: Vec<usize>,
    /// Selecting objects by kind and their selector's required pair.
    selectors: HashMap<(String, String, String), Vec<usize>>,
    /// Selecting objects, by kind, whose selector requires no known pair.
    selectors_always: HashMap<String, Vec<usize>>,
    /// Autoscalers by target kind and name.
    scalers: HashMap<(String, String), Vec<usize>>,
    /// Autoscalers with a templated target: they may target any workload.
    scalers_always: Vec<usize>,
}

fn build(objects: &[ObjectFacts]) -> Index {
    let mut index = Index::default();
    for (i, o) in objects.iter().enumerate() {
        if let Some(pod) = o
            .pod
            .as_ref()
            .filter(|_| WORKLOAD_KINDS.contains(&o.kind.as_str()))
        {
            if pod.labels.iter().any(|(k, v)| opaque(k, v)) {
                index.pods_always.push(i);
            } else {
                for pair in &pod.labels {
                    index.pods.entry(pair.clone()).or_default().push(i);
                }
            }
        }
        if matches!(
            o.kind.as_str(),
            "Service" | "PodDisruptionBudget" | "NetworkPolicy"
        ) {
            match selector_of(o).and_then(required_pair) {
                Some((k, v)) => index
                    .selectors
                    .entry((o.kind.clone(), k.clone(), v.clone()))
                    .or_default()
                    .push(i),
                None => index
                    .selectors_always
                    .entry(o.kind.clone())
                    .or_default()
                    .push(i),
            }
        }
        if let Some(target) = o
            .scaler
            .as_ref()
            .filter(|_| SCALER_KINDS.contains(&o.kind.as_str()))
        {
            if opaque(&target.target_kind, &target.target_name) {
                index.scalers_always.push(i);
            } else {
                index
                    .scalers
                    .entry((target.target_kind.clone(), target.target_name.clone()))
                    .or_default()
                    .push(i);
            }
        }
    }
    index
}

fn sorted(mut indices: Vec<usize>) -> Vec<usize> {
    indices.sort_unstable();
    indices.dedup();
    indices
}

/// The workloads that may share the current object's namespace and whose pods `selector` may
/// select, in scan order.
pub(crate) fn workloads_maybe_selected<'a>(
    input: &'a ClusterInput,
    selector: &LabelSelector,
) -> Vec<&'a ObjectFacts> {
    let Some(pair) = required_pair(selector) else {
        return input
            .peers_of(WORKLOAD_KINDS)
            .filter(|o| o.pod.is_some())
            .collect();
    };
    let index = input.memo("label-selection", build);
    let found = index.pods.get(pair).map_or(&[][..], Vec::as_slice);
    let all = sorted(found.iter().chain(&index.pods_always).copied().collect());
    input.candidates(all).collect()
}

/// The objects of `kinds` (of `Service`, `PodDisruptionBudget` and `NetworkPolicy`) that may share
/// the current object's namespace and whose selector may select pods labelled `labels`, in scan
/// order.
pub(crate) fn selectors_maybe_selecting<'a>(
    input: &'a ClusterInput,
    kinds: &'static [&'static str],
    labels: &[(String, String)],
) -> Vec<&'a ObjectFacts> {
    if labels.iter().any(|(k, v)| opaque(k, v)) {
        return input.peers_of(kinds).collect();
    }
    let index = input.memo("label-selection", build);
    let mut all = Vec::new();
    for &kind in kinds {
        if let Some(found) = index.selectors_always.get(kind) {
            all.extend_from_slice(found);
        }
        for (k, v) in labels {
            if let Some(found) = index
                .selectors
                .get(&(kind.to_owned(), k.clone(), v.clone()))
            {
                all.extend_from_slice(found);
            }
        }
    }
    input.candidates(sorted(all)).collect()
}

/// The HorizontalPodAutoscalers and KEDA ScaledObjects that may share the current object's
/// namespace and target `workload` (by `scaleTargetRef` kind and name): `Some(scalers)` (possibly
/// empty, in scan order), or `None` when one of them has a templated target.
pub(crate) fn scalers_targeting<'a>(
    input: &'a ClusterInput,
    workload: &ObjectFacts,
) -> Option<Vec<&'a ObjectFacts>> {
    let index = input.memo("label-selection", build);
    let key = (workload.kind.clone(), workload.name.clone());
    let found = index.scalers.get(&key).map_or(&[][..], Vec::as_slice);
    let all = sorted(found.iter().chain(&index.scalers_always).copied().collect());
    let mut out = Vec::new();
    for o in input.candidates(all) {
        if scales(o, workload)? {
            out.push(o);
        }
    }
    Some(out)
}
