//! A resource being rendered: its tree and what kustomize remembers about it (previous ids, name
//! prefixes and suffixes, generator options).

use cw_diagnostics::TextRange;
use cw_syntax::yaml::Node;

use super::tree;

/// Kinds that are not namespaced (kustomize's built-in list, by `apiVersion` and `kind`).
const CLUSTER_SCOPED: &[(&str, &str)] = &[
    (
        "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
    ),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"),
    ("apiregistration.k8s.io/v1", "APIService"),
    ("apiregistration.k8s.io/v1beta1", "APIService"),
    ("certificates.k8s.io/v1", "CertificateSigningRequest"),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "PriorityLevelConfiguration",
    ),
    ("networking.k8s.io/v1", "IngressClass"),
    ("networking.k8s.io/v1beta1", "IngressClass"),
    ("node.k8s.io/v1", "RuntimeClass"),
    ("node.k8s.io/v1beta1", "RuntimeClass"),
    ("policy/v1beta1", "PodSecurityPolicy"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("scheduling.k8s.io/v1beta1", "PriorityClass"),
    ("storage.k8s.io/v1", "CSIDriver"),
    ("storage.k8s.io/v1", "CSINode"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("storage.k8s.io/v1", "VolumeAttachment"),
    ("storage.k8s.io/v1beta1", "CSIDriver"),
    ("storage.k8s.io/v1beta1", "CSINode"),
    ("storage.k8s.io/v1beta1", "StorageClass"),
    ("storage.k8s.io/v1beta1", "VolumeAttachment"),
    ("v1", "ComponentStatus"),
    ("v1", "Namespace"),
    ("v1", "Node"),
    ("v1", "PersistentVolume"),
];

/// `true` for kinds kustomize knows to be cluster-scoped.
pub(super) fn is_cluster_scoped(api_version: &str, kind: &str) -> bool {
    CLUSTER_SCOPED.contains(&(api_version, kind))
}

/// What a namespace is compared by: `_non_namespaceable_` for cluster-scoped kinds, `default`
/// for none.
pub(super) const NOT_NAMESPACED: &str = "_non_namespaceable_";

/// Group, version and kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(super) struct Gvk {
    pub(super) group: String,
    pub(super) version: String,
    pub(super) kind: String,
}

impl Gvk {
    pub(super) fn from_api_version(api_version: &str, kind: &str) -> Self {
        let (group, version) = split_api_version(api_version);
        Gvk {
            group: group.to_owned(),
            version: version.to_owned(),
            kind: kind.to_owned(),
        }
    }

    /// Whether `selector` (where empty fields match anything) selects this.
    pub(super) fn is_selected_by(&self, selector: &Gvk) -> bool {
        (selector.group.is_empty() || selector.group == self.group)
            && (selector.version.is_empty() || selector.version == self.version)
            && (selector.kind.is_empty() || selector.kind == self.kind)
    }
}

/// `apps/v1` as `("apps", "v1")`, `v1` as `("", "v1")`.
pub(super) fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.split_once('/').unwrap_or(("", api_version))
}

/// An object's identity: group, version, kind, name and effective namespace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct ResId {
    pub(super) gvk: Gvk,
    pub(super) name: String,
    /// `default` for none, [`NOT_NAMESPACED`] for cluster-scoped kinds.
    pub(super) namespace: String,
}

impl ResId {
    /// The id of an object as written (its namespace made effective).
    pub(super) fn of(node: &Node) -> Self {
        let api_version = tree::field(node, "apiVersion");
        let kind = tree::field(node, "kind");
        let namespace = node
            .path(&["metadata", "namespace"])
            .and_then(Node::as_str)
            .unwrap_or_default();
        ResId {
            gvk: Gvk::from_api_version(api_version, kind),
            name: node
                .path(&["metadata", "name"])
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_owned(),
            namespace: effective_namespace(api_version, kind, namespace).to_owned(),
        }
    }

    pub(super) fn is_cluster_scoped(&self) -> bool {
        self.namespace == NOT_NAMESPACED
    }
}

pub(super) fn effective_namespace<'a>(
    api_version: &str,
    kind: &str,
    namespace: &'a str,
) -> &'a str {
    if is_cluster_scoped(api_version, kind) {
        NOT_NAMESPACED
    } else if namespace.is_empty() {
        "default"
    } else {
        namespace
    }
}

/// How a generated ConfigMap or Secret meets an existing one of the same id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Behavior {
    Unspecified,
    Create,
    Merge,
    Replace,
}

/// One object of the render.
#[derive(Clone, Debug)]
pub(super) struct Res {
    pub(super) node: Node,
    /// Earlier (kind, name, effective namespace) of the object, oldest first.
    pub(super) previous: Vec<(String, String, String)>,
    pub(super) prefixes: Vec<String>,
    pub(super) suffixes: Vec<String>,
    pub(super) behavior: Behavior,
    /// A generated object whose name gets the content hash.
    pub(super) needs_hash: bool,
    pub(super) namespace_set_by: Option<TextRange>,
}

impl Res {
    pub(super) fn new(node: Node) -> Self {
        Res {
            node,
            previous: Vec::new(),
            prefixes: Vec::new(),
            suffixes: Vec::new(),
            behavior: Behavior::Unspecified,
            needs_hash: false,
            namespace_set_by: None,
        }
    }

    pub(super) fn api_version(&self) -> &str {
        tree::field(&self.node, "apiVersion")
    }

    pub(super) fn kind(&self) -> &str {
        tree::field(&self.node, "kind")
    }

    pub(super) fn name(&self) -> &str {
        self.node
            .path(&["metadata", "name"])
            .and_then(Node::as_str)
            .unwrap_or_default()
    }

    /// The namespace as written (`""` when none).
    pub(super) fn namespace(&self) -> &str {
        self.node
            .path(&["metadata", "namespace"])
            .and_then(Node::as_str)
            .unwrap_or_default()
    }

    pub(super) fn gvk(&self) -> Gvk {
        Gvk::from_api_version(self.api_version(), self.kind())
    }

    pub(super) fn cur_id(&self) -> ResId {
        ResId::of(&self.node)
    }

    /// The earlier ids (the group and version are the current ones, as in kustomize).
    pub(super) fn prev_ids(&self) -> Vec<ResId> {
        let (group, version) = split_api_version(self.api_version());
        self.previous
            .iter()
            .map(|(kind, name, namespace)| ResId {
                gvk: Gvk {
                    group: group.to_owned(),
                    version: version.to_owned(),
                    kind: kind.clone(),
                },
                name: name.clone(),
                namespace: namespace.clone(),
            })
            .collect()
    }

    /// The id the object had first.
    pub(super) fn org_id(&self) -> ResId {
        self.prev_ids()
            .into_iter()
            .next()
            .unwrap_or_else(|| self.cur_id())
    }

    /// Whether the current id or an earlier one equals `id`.
    pub(super) fn any_id_is(&self, id: &ResId) -> bool {
        self.cur_id() == *id || self.prev_ids().contains(id)
    }

    /// Remembers the current id before a change of name, namespace or kind.
    pub(super) fn store_previous_id(&mut self) {
        let id = self.cur_id();
        if id.name.is_empty() {
            return;
        }
        self.previous.push((id.gvk.kind, id.name, id.namespace));
    }

    /// A mutable view of `metadata`, created when missing.
    pub(super) fn metadata_mut(&mut self, range: TextRange) -> Option<&mut Node> {
        tree::map_at(&mut self.node, "metadata", range)
    }

    pub(super) fn annotation(&self, key: &str) -> Option<&str> {
        self.node
            .path(&["metadata", "annotations", key])
            .and_then(Node::as_scalar)
            .map(|s| s.text.as_str())
    }

    pub(super) fn labels(&self) -> Vec<(String, String)> {
        tree::string_map(self.node.path(&["metadata", "labels"]))
    }

    pub(super) fn annotations(&self) -> Vec<(String, String)> {
        tree::string_map(self.node.path(&["metadata", "annotations"]))
    }
}

/// Whether two suffix-aligned lists agree (kustomize's `SameEndingSubSlice`).
pub(super) fn same_ending(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() > b.len() { (b, a) } else { (a, b) };
    if short.is_empty() {
        return long.is_empty();
    }
    long.ends_with(short)
}

impl Res {
    /// kustomize's `PrefixesSuffixesEquals`.
    pub(super) fn affixes_equal(&self, other: &Res, allow_empty: bool) -> bool {
        if allow_empty {
            let prefix_empty = self.prefixes.is_empty() || other.prefixes.is_empty();
            let suffix_empty = self.suffixes.is_empty() || other.suffixes.is_empty();
            (prefix_empty || same_ending(&self.prefixes, &other.prefixes))
                && (suffix_empty || same_ending(&self.suffixes, &other.suffixes))
        } else {
            same_ending(&self.prefixes, &other.prefixes)
                && same_ending(&self.suffixes, &other.suffixes)
        }
    }
}
