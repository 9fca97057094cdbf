//! What the rules that look at several objects need to know about each object, owned and small, so
//! that a scan keeps the facts of every object but the trees of only the files in flight.

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::yaml::Node;

use super::selector::label_pairs;
use super::{LabelSelector, Object, WorkloadKind, spanned_i64};

/// Annotation keys that carry suppressions (`cloudwright.dev/ignore`, kube-linter's
/// `ignore-check.kube-linter.io/<check>`, Checkov's `checkov.io/skip<N>`).
pub fn is_suppression_annotation(key: &str) -> bool {
    key == "cloudwright.dev/ignore"
        || key.starts_with("ignore-check.kube-linter.io/")
        || key.starts_with("checkov.io/skip")
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectFacts {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// `metadata.namespace` (`None`: not set in the manifest).
    pub namespace: Option<String>,
    /// Where to point a finding about the object (see [`Object::site`]).
    pub site: TextRange,
    pub labels: Vec<(String, String)>,
    /// The object's suppression annotations, `(key, value)`.
    pub suppressions: Vec<(String, String)>,
    pub pod: Option<PodTemplateFacts>,
    pub service: Option<ServiceFacts>,
    pub pdb: Option<PdbFacts>,
    /// A NetworkPolicy's `podSelector` (`None` when it is not a NetworkPolicy or the selector is missing).
    pub network_policy: Option<LabelSelector>,
    /// Whether a NetworkPolicy restricts the ingress of the pods it selects: `policyTypes` lists
    /// `Ingress`, or is not written (then `Ingress` is implied), or cannot be read. `false` for an
    /// egress-only policy and for other kinds.
    pub network_policy_ingress: bool,
    pub scaler: Option<ScalerFacts>,
}

/// A workload's pod template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodTemplateFacts {
    pub workload: WorkloadKind,
    /// The pod template's labels.
    pub labels: Vec<(String, String)>,
    /// `spec.replicas` as written.
    pub replicas: Option<Spanned<i64>>,
    /// The replicas it runs (`spec.replicas`, or the API default 1). `None` when it has no replicas
    /// (DaemonSet, Job...) or the value cannot be read.
    pub effective_replicas: Option<i64>,
    /// `(name, containerPort)` of every port the containers declare.
    pub ports: Vec<(Option<String>, i64)>,
    /// Where the `replicas` entry is written (its key to its value), when it is an entry of a block
    /// mapping that a fix may rewrite in place: `None` when not written, or written in a flow
    /// mapping, in JSON, through an alias or merge key, or set from another file (a Kustomize
    /// `replicas` transformer or patch).
    pub replicas_entry: Option<TextRange>,
    /// `hostNetwork: true`: the pods use the node's network (NetworkPolicies do not apply to them).
    pub host_network: bool,
    /// The pod template mounts a `persistentVolumeClaim` volume.
    pub persistent_volume: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceFacts {
    /// `spec.selector` (`None`: no selector, endpoints are managed by hand).
    pub selector: Option<LabelSelector>,
    pub service_type: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PdbFacts {
    pub selector: Option<LabelSelector>,
    /// `minAvailable` as written (`2` or `"50%"`).
    pub min_available: Option<Spanned<String>>,
    pub max_unavailable: Option<Spanned<String>>,
}

/// A HorizontalPodAutoscaler or KEDA ScaledObject and its target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScalerFacts {
    pub target_kind: String,
    pub target_name: String,
    pub min_replicas: Option<Spanned<i64>>,
}

/// The range of `spec.replicas`'s entry when it is written as an entry of a block mapping (see
/// [`PodTemplateFacts::replicas_entry`]).
fn replicas_entry(object: Object<'_>) -> Option<TextRange> {
    object.workload_kind().filter(|k| k.has_replicas())?;
    let spec = object.get("spec")?;
    let entry = spec.entry("replicas")?;
    let first = spec.entries().first()?;
    // A block mapping starts at its first key; a flow mapping (and JSON) at its `{`.
    let block = spec.range.start == first.key.range.start;
    // Key and value written together inside the mapping (not through an alias, nor set by a
    // Kustomize transformer or patch from another file).
    let written_here = spec.alias.is_none()
        && first.key.alias.is_none()
        && entry.key.alias.is_none()
        && entry.value.alias.is_none()
        && entry.value.as_scalar().is_some()
        && entry.key.range.end <= entry.value.range.start
        && spec.range.contains_range(entry.range());
    (block && written_here).then(|| entry.range())
}

fn scalar_string(node: &Node) -> Option<Spanned<String>> {
    node.as_scalar()
        .filter(|s| !s.is_null())
        .map(|s| Spanned::new(s.text.clone(), node.site_range()))
}

impl ObjectFacts {
    pub fn of(object: Object<'_>) -> Self {
        let kind = object.kind_str();
        let pod = object.workload_kind().map(|workload| {
            let ports = object
                .pod_spec()
                .map(|p| {
                    p.all_containers()
                        .flat_map(|c| c.ports().iter())
                        .filter_map(|p| {
                            let port = p.get("containerPort").and_then(spanned_i64)?.value;
                            let name = p.get("name").and_then(Node::as_str).map(str::to_string);
                            Some((name, port))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let pod = object.pod_spec();
            PodTemplateFacts {
                workload,
                labels: label_pairs(object.template_labels()),
                replicas: object.replicas(),
                effective_replicas: object.effective_replicas(),
                ports,
                replicas_entry: replicas_entry(object),
                host_network: pod.and_then(|p| p.host_network()).is_some_and(|h| h.value),
                persistent_volume: pod.is_some_and(|p| {
                    p.volumes()
                        .any(|v| v.source_kind() == Some("persistentVolumeClaim"))
                }),
            }
        });
        let spec = object.get("spec");
        let service = (kind == "Service" && object.group().is_empty()).then(|| ServiceFacts {
            selector: spec
                .and_then(|s| s.get("selector"))
                .and_then(LabelSelector::from_map)
                .filter(|s| !s.match_labels.is_empty() || s.unknown),
            service_type: spec
                .and_then(|s| s.get("type"))
                .and_then(Node::as_str)
                .map(str::to_string),
        });
        let pdb = (kind == "PodDisruptionBudget").then(|| PdbFacts {
            selector: spec
                .and_then(|s| s.get("selector"))
                .and_then(LabelSelector::from_node),
            min_available: spec
                .and_then(|s| s.get("minAvailable"))
                .and_then(scalar_string),
            max_unavailable: spec
                .and_then(|s| s.get("maxUnavailable"))
                .and_then(scalar_string),
        });
        let network_policy = (kind == "NetworkPolicy")
            .then(|| {
                spec.and_then(|s| s.get("podSelector"))
                    .and_then(LabelSelector::from_node)
            })
            .flatten();
        let network_policy_ingress = kind == "NetworkPolicy"
            && spec
                .and_then(|s| s.get("policyTypes"))
                .filter(|t| !t.is_null())
                .is_none_or(|types| {
                    // `[]` is defaulted like a missing list; an unreadable item may be `Ingress`.
                    !types.is_seq()
                        || types.items().is_empty()
                        || types
                            .items()
                            .iter()
                            .any(|t| t.as_str().is_none_or(|t| t != "Egress"))
                });
        let scaler = match kind {
            "HorizontalPodAutoscaler" | "ScaledObject" => {
                let target = spec.and_then(|s| s.get("scaleTargetRef"));
                let target_kind = target
                    .and_then(|t| t.get("kind"))
                    .and_then(Node::as_str)
                    .unwrap_or("Deployment");
                let target_name = target.and_then(|t| t.get("name")).and_then(Node::as_str);
                let min_key = if kind == "ScaledObject" {
                    "minReplicaCount"
                } else {
                    "minReplicas"
                };
                target_name.map(|name| ScalerFacts {
                    target_kind: target_kind.to_string(),
                    target_name: name.to_string(),
                    min_replicas: spec.and_then(|s| s.get(min_key)).and_then(spanned_i64),
                })
            }
            _ => None,
        };
        let suppressions = object
            .annotations()
            .map(|a| {
                a.pairs()
                    .filter(|(k, _)| is_suppression_annotation(k))
                    .filter_map(|(k, v)| Some((k.to_string(), v.as_scalar()?.text.clone())))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            api_version: object
                .get("apiVersion")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_string(),
            kind: kind.to_string(),
            name: object.name_str().to_string(),
            namespace: object.namespace().map(|n| n.value.to_string()),
            site: object.site(),
            labels: label_pairs(object.labels()),
            suppressions,
            pod,
            service,
            pdb,
            network_policy,
            network_policy_ingress,
            scaler,
        }
    }

    /// `Kind/name`.
    pub fn display(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }

    /// The namespace the object lands in when none is set (`default`).
    pub fn namespace_or_default(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }

    /// Moves every range by `by` (see [`cw_syntax::yaml::YamlFile::shift`]).
    pub fn shift(&mut self, by: u32) {
        let m = |r: &mut TextRange| *r = TextRange::new(r.start + by, r.end + by);
        m(&mut self.site);
        if let Some(p) = &mut self.pod {
            if let Some(r) = &mut p.replicas {
                m(&mut r.range);
            }
            if let Some(r) = &mut p.replicas_entry {
                m(r);
            }
        }
        if let Some(s) = self.service.as_mut().and_then(|s| s.selector.as_mut()) {
            m(&mut s.range);
        }
        if let Some(p) = &mut self.pdb {
            if let Some(s) = &mut p.selector {
                m(&mut s.range);
            }
            if let Some(v) = &mut p.min_available {
                m(&mut v.range);
            }
            if let Some(v) = &mut p.max_unavailable {
                m(&mut v.range);
            }
        }
        if let Some(s) = &mut self.network_policy {
            m(&mut s.range);
        }
        if let Some(r) = self.scaler.as_mut().and_then(|s| s.min_replicas.as_mut()) {
            m(&mut r.range);
        }
    }
}
