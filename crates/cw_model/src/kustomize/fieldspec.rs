//! Field specs: where in which kinds a transformer writes (kustomize's `FieldSpec`), and
//! kustomize's default configuration of them.

use std::sync::LazyLock;

use cw_syntax::yaml::{Node, Value, parse_yaml};

use super::resource::Gvk;
use super::tree;

/// One path step: a mapping key, and whether the path says it holds a sequence (`name[]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Step {
    pub(super) key: String,
    pub(super) seq: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FieldSpec {
    pub(super) gvk: Gvk,
    pub(super) path: Vec<Step>,
    pub(super) create: bool,
}

impl FieldSpec {
    pub(super) fn new(path: &str, create: bool) -> Self {
        FieldSpec {
            gvk: Gvk::default(),
            path: split_path(path),
            create,
        }
    }

    /// Reads `{path, group, version, kind, create}`.
    pub(super) fn from_node(node: &Node) -> Option<Self> {
        let path = node.get("path")?.as_str()?;
        Some(FieldSpec {
            gvk: Gvk {
                group: tree::field(node, "group").to_owned(),
                version: tree::field(node, "version").to_owned(),
                kind: tree::field(node, "kind").to_owned(),
            },
            path: split_path(path),
            create: node.get("create").and_then(Node::as_bool).unwrap_or(false),
        })
    }

    /// Whether the spec applies to an object of this kind.
    pub(super) fn matches(&self, gvk: &Gvk) -> bool {
        gvk.is_selected_by(&self.gvk)
    }

    pub(super) fn path_is(&self, path: &str) -> bool {
        self.path == split_path(path)
    }
}

/// `a/b\/c/d[]` as steps (`\/` escapes a slash inside a key).
pub(super) fn split_path(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut current = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'/') => {
                current.push('/');
                chars.next();
            }
            '/' => steps.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    steps.push(current);
    steps
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(|s| match s.strip_suffix("[]") {
            Some(key) => Step {
                key: key.to_owned(),
                seq: true,
            },
            None => Step { key: s, seq: false },
        })
        .collect()
}

/// What to create at the end of a path when it is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Create {
    /// Nothing: only existing fields are visited.
    Nothing,
    Map,
    Scalar,
}

/// Visits the node at `spec`'s path in `node` (every element where the path crosses
/// sequences), creating missing mappings (and the last field, as `create` says) when the spec
/// says so. Created nodes get `made`'s range. `visit` receives the node at the path's end, or for
/// a created scalar, a null scalar to fill.
pub(super) fn apply(
    node: &mut Node,
    spec: &FieldSpec,
    create: Create,
    made: &Node,
    visit: &mut dyn FnMut(&mut Node),
) {
    walk(node, &spec.path, spec.create, create, made, visit);
}

fn walk(
    node: &mut Node,
    path: &[Step],
    create_missing: bool,
    create: Create,
    made: &Node,
    visit: &mut dyn FnMut(&mut Node),
) {
    let Some((step, rest)) = path.split_first() else {
        visit(node);
        return;
    };
    if node.is_null() {
        return;
    }
    match &mut node.value {
        Value::Seq(items) => {
            for item in items {
                walk(item, path, create_missing, create, made, visit);
            }
        }
        Value::Map(_) => {
            // As kustomize's `fieldspec.Filter.handleMap`.
            let lookup_only = !create_missing || create == Create::Nothing || step.seq;
            let kind = if lookup_only {
                step.seq.then_some(Kind::Seq)
            } else if rest.is_empty() {
                Some(if create == Create::Scalar {
                    Kind::Scalar
                } else {
                    Kind::Map
                })
            } else {
                Some(Kind::Map)
            };
            if node.get(&step.key).is_none() {
                if lookup_only {
                    return;
                }
                let value = match kind {
                    Some(Kind::Scalar) => tree::plain("", made.range),
                    _ => tree::map(Vec::new(), made.range),
                };
                let mut key = tree::string(step.key.clone(), made.range);
                key.alias = made.alias;
                tree::set(node, key, value);
            }
            let Some(field) = tree::get_mut(node, &step.key) else {
                return;
            };
            if field.is_null() {
                match kind {
                    Some(Kind::Map) => field.value = Value::Map(Vec::new()),
                    Some(Kind::Seq) => field.value = Value::Seq(Vec::new()),
                    Some(Kind::Scalar) | None => {}
                }
            }
            walk(field, rest, create_missing, create, made, visit);
        }
        Value::Scalar(_) => {}
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Map,
    Seq,
    Scalar,
}

/// kustomize's default field specs.
pub(super) struct Defaults {
    pub(super) common_labels: Vec<FieldSpec>,
    pub(super) template_labels: Vec<FieldSpec>,
    pub(super) common_annotations: Vec<FieldSpec>,
    pub(super) namespace: Vec<FieldSpec>,
    /// (the referred kind, where referrers hold its name).
    pub(super) name_reference: Vec<(Gvk, Vec<FieldSpec>)>,
    pub(super) images: Vec<FieldSpec>,
    pub(super) replicas: Vec<FieldSpec>,
}

pub(super) static DEFAULTS: LazyLock<Defaults> = LazyLock::new(|| {
    let file = parse_yaml(include_str!("fieldspecs.yaml"));
    let root = file.documents.first().map(|d| &d.root);
    let specs = |key: &str| -> Vec<FieldSpec> {
        root.and_then(|r| r.get(key))
            .map(|n| n.items().iter().filter_map(FieldSpec::from_node).collect())
            .unwrap_or_default()
    };
    let name_reference = root
        .and_then(|r| r.get("nameReference"))
        .map(|n| {
            n.items()
                .iter()
                .map(|item| {
                    let gvk = Gvk {
                        group: tree::field(item, "group").to_owned(),
                        version: tree::field(item, "version").to_owned(),
                        kind: tree::field(item, "kind").to_owned(),
                    };
                    let specs = item
                        .get("fieldSpecs")
                        .map(|f| f.items().iter().filter_map(FieldSpec::from_node).collect())
                        .unwrap_or_default();
                    (gvk, specs)
                })
                .collect()
        })
        .unwrap_or_default();
    Defaults {
        common_labels: specs("commonLabels"),
        template_labels: specs("templateLabels"),
        common_annotations: specs("commonAnnotations"),
        namespace: specs("namespace"),
        name_reference,
        images: specs("images"),
        replicas: specs("replicas"),
    }
});

/// Adds `more` to `specs`, skipping those already there (same path and kind).
pub(super) fn merge_all(specs: &mut Vec<FieldSpec>, more: &[FieldSpec]) {
    for spec in more {
        if !specs
            .iter()
            .any(|s| s.path == spec.path && s.gvk == spec.gvk)
        {
            specs.push(spec.clone());
        }
    }
}
