//! The Kubernetes model: typed views over the spanned YAML tree of each object.
//!
//! Objects are owned ([`KubeObject`]: a document's root, or an item of a `kind: List`, or an object a
//! Kustomize render assembled); [`Object`], [`PodSpec`] and [`Container`] borrow from them. Every
//! accessor returns the node or [`Spanned`] value with the range that wrote it, so a finding points at
//! the exact line, in whichever file set the value.
//!
//! Booleans and integers are read the way Kubernetes reads them (YAML 1.1: `yes`/`on`, `0644`).

mod container;
mod facts;
mod object;
mod pod;
mod selector;
#[cfg(test)]
mod tests;

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::yaml::{Node, Value, YamlFile};

pub use container::{
    Container, ContainerKind, INHERITED_SECURITY_FIELDS, Inherited, Probe, ProbeKind,
};
pub use facts::{
    ObjectFacts, PdbFacts, PodTemplateFacts, ScalerFacts, ServiceFacts, is_suppression_annotation,
};
pub use object::{Object, WorkloadKind};
pub use pod::{PodSpec, Volume};
pub use selector::{LabelSelector, Requirement, SelectorOp, label_pairs};

/// A scalar's text with the range where it is written.
pub type Str<'a> = Spanned<&'a str>;

/// One Kubernetes object.
#[derive(Clone, Debug)]
pub struct KubeObject {
    pub node: Node,
    /// Where a Kustomize `namespace:` set this object's namespace (`None` for plain manifests).
    pub namespace_set_by: Option<TextRange>,
    /// Whether the object comes from a Kustomize render (then its nodes may come from several files).
    pub rendered: bool,
}

impl KubeObject {
    pub fn new(node: Node) -> Self {
        Self {
            node,
            namespace_set_by: None,
            rendered: false,
        }
    }

    pub fn view(&self) -> Object<'_> {
        Object::new(self)
    }
}

/// Whether a document is a Kubernetes object: a mapping with scalar `apiVersion` and `kind`.
pub fn is_object(node: &Node) -> bool {
    node.is_map()
        && node.get("apiVersion").and_then(Node::as_str).is_some()
        && node.get("kind").and_then(Node::as_str).is_some()
}

/// Whether a document is a Kustomization (`kustomize.config.k8s.io/...` Kustomization or Component).
pub fn is_kustomization(node: &Node) -> bool {
    node.get("apiVersion")
        .and_then(Node::as_str)
        .is_some_and(|v| v.starts_with("kustomize.config.k8s.io/"))
}

/// Takes the Kubernetes objects out of a parsed file: every document that is an object, and the
/// `items` of a `kind: List` (or `*List`) document. Other documents are left in place.
pub fn take_objects(yaml: &mut YamlFile) -> Vec<KubeObject> {
    let mut out = Vec::new();
    for doc in &mut yaml.documents {
        if !is_object(&doc.root) || is_kustomization(&doc.root) {
            continue;
        }
        let kind = doc.root.get("kind").and_then(Node::as_str).unwrap_or("");
        if kind == "List"
            || (kind.ends_with("List") && doc.root.get("items").is_some_and(Node::is_seq))
        {
            let items = doc
                .root
                .entries()
                .iter()
                .position(|e| e.key_str() == Some("items"));
            if let (Some(i), Value::Map(entries)) = (items, &mut doc.root.value)
                && let Value::Seq(items) = &mut entries[i].value.value
            {
                for item in std::mem::take(items) {
                    if is_object(&item) {
                        out.push(KubeObject::new(item));
                    }
                }
            }
            continue;
        }
        let root = std::mem::replace(&mut doc.root, null_node(doc.range));
        out.push(KubeObject::new(root));
    }
    out
}

fn null_node(range: TextRange) -> Node {
    Node {
        value: Value::Scalar(cw_syntax::yaml::Scalar {
            text: String::new(),
            style: cw_syntax::yaml::ScalarStyle::Plain,
        }),
        range: TextRange::empty(range.start),
        tag: None,
        alias: None,
    }
}

/// A scalar node's text, spanned where it is written.
pub(crate) fn spanned_str(node: &Node) -> Option<Str<'_>> {
    node.as_str().map(|s| Spanned::new(s, node.site_range()))
}

/// A boolean the way Kubernetes reads it.
pub(crate) fn spanned_bool(node: &Node) -> Option<Spanned<bool>> {
    node.as_bool_yaml11()
        .map(|b| Spanned::new(b, node.site_range()))
}

/// An integer the way Kubernetes reads it (also from a quoted number, as kubectl accepts).
pub(crate) fn spanned_i64(node: &Node) -> Option<Spanned<i64>> {
    node.as_i64()
        .or_else(|| node.as_str().and_then(|s| s.trim().parse().ok()))
        .map(|v| Spanned::new(v, node.site_range()))
}
