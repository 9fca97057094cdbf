use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::yaml::Node;

use super::{KubeObject, LabelSelector, PodSpec, Str, spanned_i64, spanned_str};

/// The kinds that run pods, and where each keeps its pod template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WorkloadKind {
    Pod,
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    ReplicationController,
}

impl WorkloadKind {
    pub fn from_kind(kind: &str) -> Option<Self> {
        Some(match kind {
            "Pod" => Self::Pod,
            "Deployment" => Self::Deployment,
            "ReplicaSet" => Self::ReplicaSet,
            "StatefulSet" => Self::StatefulSet,
            "DaemonSet" => Self::DaemonSet,
            "Job" => Self::Job,
            "CronJob" => Self::CronJob,
            "ReplicationController" => Self::ReplicationController,
            _ => return None,
        })
    }

    /// The path from the object to its pod spec.
    pub fn pod_spec_path(self) -> &'static [&'static str] {
        match self {
            Self::Pod => &["spec"],
            Self::CronJob => &["spec", "jobTemplate", "spec", "template", "spec"],
            _ => &["spec", "template", "spec"],
        }
    }

    /// The path from the object to its pod template's metadata (`None` for a Pod: its own metadata).
    pub fn template_metadata_path(self) -> &'static [&'static str] {
        match self {
            Self::Pod => &["metadata"],
            Self::CronJob => &["spec", "jobTemplate", "spec", "template", "metadata"],
            _ => &["spec", "template", "metadata"],
        }
    }

    /// Whether the kind keeps a number of identical replicas (`spec.replicas`).
    pub fn has_replicas(self) -> bool {
        matches!(
            self,
            Self::Deployment | Self::ReplicaSet | Self::StatefulSet | Self::ReplicationController
        )
    }

    /// Long-running pods (not run-to-completion Jobs).
    pub fn is_long_running(self) -> bool {
        !matches!(self, Self::Job | Self::CronJob)
    }
}

/// A view of one object.
#[derive(Clone, Copy, Debug)]
pub struct Object<'a> {
    pub data: &'a KubeObject,
    pub node: &'a Node,
}

impl<'a> Object<'a> {
    pub fn new(data: &'a KubeObject) -> Self {
        Self {
            data,
            node: &data.node,
        }
    }

    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }

    /// Follows mapping keys from the object's root.
    pub fn path(&self, keys: &[&str]) -> Option<&'a Node> {
        self.node.path(keys)
    }

    pub fn api_version(&self) -> Option<Str<'a>> {
        self.get("apiVersion").and_then(spanned_str)
    }

    pub fn kind(&self) -> Option<Str<'a>> {
        self.get("kind").and_then(spanned_str)
    }

    /// The kind's text (empty when missing).
    pub fn kind_str(&self) -> &'a str {
        self.get("kind").and_then(Node::as_str).unwrap_or("")
    }

    /// The API group (`apps` for `apps/v1`, empty for the core group `v1`).
    pub fn group(&self) -> &'a str {
        let v = self.get("apiVersion").and_then(Node::as_str).unwrap_or("");
        v.rsplit_once('/').map_or("", |(g, _)| g)
    }

    pub fn metadata(&self) -> Option<&'a Node> {
        self.get("metadata")
    }

    pub fn name(&self) -> Option<Str<'a>> {
        self.path(&["metadata", "name"]).and_then(spanned_str)
    }

    /// The name's text (empty when missing or generated with `generateName`).
    pub fn name_str(&self) -> &'a str {
        self.path(&["metadata", "name"])
            .and_then(Node::as_str)
            .unwrap_or("")
    }

    /// `metadata.namespace` as written or set by Kustomize (`None`: not set, the namespace is chosen at
    /// apply time).
    pub fn namespace(&self) -> Option<Str<'a>> {
        self.path(&["metadata", "namespace"]).and_then(spanned_str)
    }

    /// `metadata.labels` (a mapping; absent when not set).
    pub fn labels(&self) -> Option<&'a Node> {
        self.path(&["metadata", "labels"])
    }

    pub fn annotations(&self) -> Option<&'a Node> {
        self.path(&["metadata", "annotations"])
    }

    pub fn annotation(&self, key: &str) -> Option<Str<'a>> {
        self.annotations()?.get(key).and_then(spanned_str)
    }

    /// `Kind/name` (`Deployment/web`), for messages and the finding's resource.
    pub fn display(&self) -> String {
        format!("{}/{}", self.kind_str(), self.name_str())
    }

    /// Where to point a finding about the whole object: its `metadata.name` value, else its `kind`
    /// value, else the object.
    pub fn site(&self) -> TextRange {
        self.path(&["metadata", "name"])
            .or_else(|| self.get("kind"))
            .map_or(self.node.site_range(), Node::site_range)
    }

    pub fn workload_kind(&self) -> Option<WorkloadKind> {
        WorkloadKind::from_kind(self.kind_str())
    }

    /// The pod spec of a workload (`spec` of a Pod, the template's spec of the others, the job
    /// template's of a CronJob). `None` for other kinds or when it is missing.
    pub fn pod_spec(&self) -> Option<PodSpec<'a>> {
        let kind = self.workload_kind()?;
        let node = self.path(kind.pod_spec_path())?;
        node.is_map().then(|| PodSpec::new(*self, node))
    }

    /// The pod template's labels (the object's own labels for a Pod).
    pub fn template_labels(&self) -> Option<&'a Node> {
        let kind = self.workload_kind()?;
        self.path(kind.template_metadata_path())?.get("labels")
    }

    /// The pod template's annotations (the object's own for a Pod).
    pub fn template_annotations(&self) -> Option<&'a Node> {
        let kind = self.workload_kind()?;
        self.path(kind.template_metadata_path())?.get("annotations")
    }

    /// `spec.replicas` of the kinds that have it.
    pub fn replicas(&self) -> Option<Spanned<i64>> {
        if !self.workload_kind()?.has_replicas() {
            return None;
        }
        self.path(&["spec", "replicas"]).and_then(spanned_i64)
    }

    /// The replicas the workload runs: `spec.replicas`, or 1 when unset (the API default) for the
    /// kinds that have replicas.
    pub fn effective_replicas(&self) -> Option<i64> {
        if !self.workload_kind()?.has_replicas() {
            return None;
        }
        match self.path(&["spec", "replicas"]) {
            None => Some(1),
            Some(n) => spanned_i64(n).map(|s| s.value),
        }
    }

    /// `spec.selector` of a workload that has one (a label selector; a ReplicationController's is a
    /// plain map, read as `matchLabels`).
    pub fn selector(&self) -> Option<LabelSelector> {
        let kind = self.workload_kind()?;
        let node = self.path(&["spec", "selector"])?;
        match kind {
            WorkloadKind::ReplicationController => LabelSelector::from_map(node),
            WorkloadKind::Pod | WorkloadKind::CronJob => None,
            _ => LabelSelector::from_node(node),
        }
    }
}
