//! Strategic merge patches, as kustomize applies them (kyaml's `merge2` walker).
//!
//! - Mappings merge key by key; a `null` value deletes the key; `$patch: delete` deletes the
//!   mapping, `$patch: replace` replaces it.
//! - Lists merge only where the Kubernetes API (the OpenAPI schema kustomize embeds, v1.21)
//!   gives a merge strategy: by their patch merge keys (containers by `name`, ports by
//!   `containerPort` and `protocol`, ...), or as sets for lists of scalars (`finalizers`). A
//!   merged list has the patch's elements first, then the others, as kustomize does. Every other
//!   list, and every list of a kind the schema does not know (custom resources), is replaced.
//!   A `- $patch: replace` or `- $patch: delete` item applies to the list.
//! - `$retainKeys`, `$setElementOrder/...` and `$deleteFromPrimitiveList/...` are ignored.
//!
//! Values keep their nodes: what the patch sets has the patch's ranges, the rest the target's.

use cw_syntax::yaml::{Entry, Node, Value};

use super::tree;

/// A struct type of the Kubernetes API: the fields that matter for merging.
pub(super) struct Schema(&'static [(&'static str, Field)]);

#[derive(Clone, Copy)]
pub(super) struct Field {
    /// A list with the `merge` strategy and its merge keys (none for a list of scalars).
    merge: Option<&'static [&'static str]>,
    /// The type of the value (for a list: of its items).
    ty: Option<&'static Schema>,
}

const fn list(keys: &'static [&'static str], ty: Option<&'static Schema>) -> Field {
    Field {
        merge: Some(keys),
        ty,
    }
}

const fn object(ty: &'static Schema) -> Field {
    Field {
        merge: None,
        ty: Some(ty),
    }
}

/// An unmergeable list of a struct type (its items still have fields to walk).
const fn items(ty: &'static Schema) -> Field {
    Field {
        merge: None,
        ty: Some(ty),
    }
}

static OBJECT_META: Schema = Schema(&[
    ("finalizers", list(&[], None)),
    ("ownerReferences", list(&["uid"], None)),
]);
static CONTAINER: Schema = Schema(&[
    ("env", list(&["name"], None)),
    ("ports", list(&["containerPort", "protocol"], None)),
    ("volumeMounts", list(&["mountPath"], None)),
    ("volumeDevices", list(&["devicePath"], None)),
]);
static EPHEMERAL_CONTAINER: Schema = Schema(&[
    ("env", list(&["name"], None)),
    ("volumeMounts", list(&["mountPath"], None)),
    ("volumeDevices", list(&["devicePath"], None)),
]);
static POD_SPEC: Schema = Schema(&[
    ("containers", list(&["name"], Some(&CONTAINER))),
    ("initContainers", list(&["name"], Some(&CONTAINER))),
    (
        "ephemeralContainers",
        list(&["name"], Some(&EPHEMERAL_CONTAINER)),
    ),
    ("volumes", list(&["name"], None)),
    ("imagePullSecrets", list(&["name"], None)),
    ("hostAliases", list(&["ip"], None)),
    (
        "topologySpreadConstraints",
        list(&["topologyKey", "whenUnsatisfiable"], None),
    ),
]);
static CONDITIONS: Schema = Schema(&[("conditions", list(&["type"], None))]);
static POD_STATUS: Schema = Schema(&[
    ("conditions", list(&["type"], None)),
    ("podIPs", list(&["ip"], None)),
]);
static POD_TEMPLATE_SPEC: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("spec", object(&POD_SPEC)),
]);
static TEMPLATE_SPEC: Schema = Schema(&[("template", object(&POD_TEMPLATE_SPEC))]);
static PVC: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("status", object(&CONDITIONS)),
]);
static STATEFUL_SET_SPEC: Schema = Schema(&[
    ("template", object(&POD_TEMPLATE_SPEC)),
    ("volumeClaimTemplates", items(&PVC)),
]);
static JOB_TEMPLATE: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("spec", object(&TEMPLATE_SPEC)),
]);
static CRON_JOB_SPEC: Schema = Schema(&[("jobTemplate", object(&JOB_TEMPLATE))]);
static SERVICE_SPEC: Schema = Schema(&[("ports", list(&["port", "protocol"], None))]);
static NODE_SPEC: Schema = Schema(&[("podCIDRs", list(&[], None))]);
static NODE_STATUS: Schema = Schema(&[
    ("conditions", list(&["type"], None)),
    ("addresses", list(&["type"], None)),
]);
static CSI_NODE_SPEC: Schema = Schema(&[("drivers", list(&["name"], None))]);

static OBJECT: Schema = Schema(&[("metadata", object(&OBJECT_META))]);
static WITH_CONDITIONS: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("status", object(&CONDITIONS)),
]);
static POD: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("spec", object(&POD_SPEC)),
    ("status", object(&POD_STATUS)),
]);
static POD_TEMPLATE: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("template", object(&POD_TEMPLATE_SPEC)),
]);
static WORKLOAD: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("spec", object(&TEMPLATE_SPEC)),
    ("status", object(&CONDITIONS)),
]);
static STATEFUL_SET: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("spec", object(&STATEFUL_SET_SPEC)),
    ("status", object(&CONDITIONS)),
]);
static CRON_JOB: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("spec", object(&CRON_JOB_SPEC)),
]);
static SERVICE: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("spec", object(&SERVICE_SPEC)),
    ("status", object(&CONDITIONS)),
]);
static SERVICE_ACCOUNT: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("secrets", list(&["name"], None)),
]);
static WEBHOOKS: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("webhooks", list(&["name"], None)),
]);
static NODE: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("spec", object(&NODE_SPEC)),
    ("status", object(&NODE_STATUS)),
]);
static CSI_NODE: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("spec", object(&CSI_NODE_SPEC)),
]);
static COMPONENT_STATUS: Schema = Schema(&[
    ("metadata", object(&OBJECT_META)),
    ("conditions", list(&["type"], None)),
]);

/// The kinds of the Kubernetes v1.21 API that kustomize has a schema for, with the fields that
/// merge. Every other kind (custom resources, newer versions) has none: its lists are replaced.
fn root_schema(api_version: &str, kind: &str) -> Option<&'static Schema> {
    Some(match (api_version, kind) {
        ("v1", "Pod") => &POD,
        ("v1", "PodTemplate") => &POD_TEMPLATE,
        ("v1", "ReplicationController")
        | ("apps/v1", "Deployment" | "ReplicaSet" | "DaemonSet")
        | ("batch/v1", "Job") => &WORKLOAD,
        ("apps/v1", "StatefulSet") => &STATEFUL_SET,
        ("batch/v1" | "batch/v1beta1", "CronJob") => &CRON_JOB,
        ("v1", "Service") => &SERVICE,
        ("v1", "ServiceAccount") => &SERVICE_ACCOUNT,
        ("v1", "Node") => &NODE,
        ("v1", "ComponentStatus") => &COMPONENT_STATUS,
        ("v1", "Namespace" | "PersistentVolumeClaim")
        | ("policy/v1" | "policy/v1beta1", "PodDisruptionBudget")
        | ("apiregistration.k8s.io/v1" | "apiregistration.k8s.io/v1beta1", "APIService")
        | ("certificates.k8s.io/v1" | "certificates.k8s.io/v1beta1", "CertificateSigningRequest") => {
            &WITH_CONDITIONS
        }
        (
            "admissionregistration.k8s.io/v1" | "admissionregistration.k8s.io/v1beta1",
            "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration",
        ) => &WEBHOOKS,
        ("storage.k8s.io/v1" | "storage.k8s.io/v1beta1", "CSINode") => &CSI_NODE,
        (
            "v1",
            "ConfigMap" | "Secret" | "Endpoints" | "Event" | "LimitRange" | "PersistentVolume"
            | "ResourceQuota" | "Binding",
        )
        | ("apps/v1", "ControllerRevision")
        | (
            "autoscaling/v1" | "autoscaling/v2beta1" | "autoscaling/v2beta2",
            "HorizontalPodAutoscaler",
        )
        | (
            "networking.k8s.io/v1" | "networking.k8s.io/v1beta1",
            "Ingress" | "IngressClass" | "NetworkPolicy",
        )
        | ("extensions/v1beta1", "Ingress")
        | ("policy/v1beta1", "PodSecurityPolicy")
        | (
            "rbac.authorization.k8s.io/v1" | "rbac.authorization.k8s.io/v1beta1",
            "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding",
        )
        | (
            "storage.k8s.io/v1" | "storage.k8s.io/v1beta1",
            "StorageClass" | "CSIDriver" | "VolumeAttachment",
        )
        | ("scheduling.k8s.io/v1" | "scheduling.k8s.io/v1beta1", "PriorityClass")
        | (
            "apiextensions.k8s.io/v1" | "apiextensions.k8s.io/v1beta1",
            "CustomResourceDefinition",
        )
        | ("coordination.k8s.io/v1" | "coordination.k8s.io/v1beta1", "Lease")
        | ("discovery.k8s.io/v1" | "discovery.k8s.io/v1beta1", "EndpointSlice")
        | ("node.k8s.io/v1" | "node.k8s.io/v1beta1", "RuntimeClass") => &OBJECT,
        _ => return None,
    })
}

/// What is known about a value's type.
#[derive(Clone, Copy)]
enum Ty {
    Unknown,
    Struct(&'static Schema),
    List(&'static [&'static str], Option<&'static Schema>),
}

impl Ty {
    fn field(self, key: &str) -> Ty {
        let Ty::Struct(Schema(fields)) = self else {
            return Ty::Unknown;
        };
        match fields.iter().find(|(name, _)| *name == key) {
            Some((
                _,
                Field {
                    merge: Some(keys),
                    ty,
                },
            )) => Ty::List(keys, *ty),
            Some((
                _,
                Field {
                    merge: None,
                    ty: Some(ty),
                },
            )) => Ty::Struct(ty),
            _ => Ty::Unknown,
        }
    }

    /// The type of a list's items (an unmergeable list of structs is typed by its field).
    fn element(self) -> Ty {
        match self {
            Ty::List(_, Some(ty)) | Ty::Struct(ty) => Ty::Struct(ty),
            _ => Ty::Unknown,
        }
    }
}

/// Applies a strategic merge patch to an object of `api_version`/`kind`: the merged object
/// (`None` when the patch deletes it), and what kustomize would have rejected (a value of
/// another kind than the target's, an unknown `$patch`), where the patch's value wins or the
/// directive is ignored.
pub(super) fn merge(
    target: Node,
    patch: &Node,
    api_version: &str,
    kind: &str,
) -> (Option<Node>, Vec<String>) {
    let ty = root_schema(api_version, kind).map_or(Ty::Unknown, Ty::Struct);
    let mut errors = Vec::new();
    let merged = walk(Some(target), Some(patch), ty, 0, &mut errors);
    (merged, errors)
}

/// Past this depth the patch replaces instead of merging: real objects are far shallower, and
/// the walk must not exhaust the stack on a document nested to the parser's limit.
const MAX_DEPTH: usize = 100;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Map,
    Seq,
    Scalar,
}

fn kind_of(node: Option<&Node>) -> Option<Kind> {
    let node = node.filter(|n| !n.is_null())?;
    Some(match node.value {
        Value::Map(_) => Kind::Map,
        Value::Seq(_) => Kind::Seq,
        Value::Scalar(_) => Kind::Scalar,
    })
}

/// A directive key of a patch that is not a field.
fn is_directive(key: &str) -> bool {
    key == "$patch"
        || key == "$retainKeys"
        || key.starts_with("$setElementOrder/")
        || key.starts_with("$deleteFromPrimitiveList/")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Directive {
    Merge,
    Replace,
    Delete,
}

fn directive(node: &Node, errors: &mut Vec<String>) -> Directive {
    match node.as_str().unwrap_or_default() {
        "replace" => Directive::Replace,
        "delete" => Directive::Delete,
        "merge" => Directive::Merge,
        other => {
            errors.push(format!("unknown patch strategy `{other}`"));
            Directive::Merge
        }
    }
}

fn map_directive(patch: &Node, errors: &mut Vec<String>) -> Directive {
    patch
        .get("$patch")
        .map_or(Directive::Merge, |d| directive(d, errors))
}

/// The `- $patch: ...` item of a list patch, when there is one.
fn list_directive(patch: &Node, errors: &mut Vec<String>) -> (Directive, Option<usize>) {
    for (i, item) in patch.items().iter().enumerate() {
        if item.entries().len() == 1
            && let Some(d) = item.get("$patch")
        {
            return (directive(d, errors), Some(i));
        }
    }
    (Directive::Merge, None)
}

/// A patch value added where the target has nothing: the patch merged with itself, which
/// drops its directives and null fields as kustomize does.
fn added(patch: &Node, ty: Ty, depth: usize, errors: &mut Vec<String>) -> Option<Node> {
    walk(Some(patch.clone()), Some(patch), ty, depth + 1, errors)
}

fn walk(
    dest: Option<Node>,
    patch: Option<&Node>,
    ty: Ty,
    depth: usize,
    errors: &mut Vec<String>,
) -> Option<Node> {
    if depth > MAX_DEPTH {
        return patch.cloned().or(dest);
    }
    let kind = kind_of(dest.as_ref()).or_else(|| kind_of(patch));
    let dest = dest.filter(|d| !d.is_null() || kind.is_none());
    match kind {
        None => {
            // Both absent or null: an explicit `null` (or `~`) in the target stays when the
            // patch says nothing; an empty value goes.
            let keep = patch.is_none()
                && dest
                    .as_ref()
                    .and_then(Node::as_scalar)
                    .is_some_and(|s| !s.text.is_empty());
            if keep { dest } else { None }
        }
        Some(Kind::Scalar) => match patch {
            Some(p) if p.is_null() => None,
            Some(p) => Some(p.clone()),
            None => dest,
        },
        Some(Kind::Map) => walk_map(dest, patch, ty, depth, errors),
        Some(Kind::Seq) => walk_list(dest, patch, ty, depth, errors),
    }
}

fn walk_map(
    dest: Option<Node>,
    patch: Option<&Node>,
    ty: Ty,
    depth: usize,
    errors: &mut Vec<String>,
) -> Option<Node> {
    let Some(dest) = dest else {
        let p = patch?;
        if map_directive(p, errors) == Directive::Delete {
            return None;
        }
        return added(p, ty, depth, errors);
    };
    match patch {
        None => Some(merge_map(dest, None, ty, depth, errors)),
        Some(p) if p.is_null() => None,
        Some(p) if !p.is_map() => {
            errors.push("the patch gives a mapping another kind of value".to_owned());
            Some(p.clone())
        }
        Some(p) => match map_directive(p, errors) {
            Directive::Delete => None,
            Directive::Replace => {
                let mut replaced = p.clone();
                tree::remove(&mut replaced, "$patch");
                added(&replaced, ty, depth, errors)
            }
            Directive::Merge => Some(merge_map(dest, Some(p), ty, depth, errors)),
        },
    }
}

fn walk_list(
    dest: Option<Node>,
    patch: Option<&Node>,
    ty: Ty,
    depth: usize,
    errors: &mut Vec<String>,
) -> Option<Node> {
    if let Some(p) = patch
        && !p.is_null()
        && !p.is_seq()
    {
        if dest.is_some() {
            errors.push("the patch gives a list another kind of value".to_owned());
        }
        return Some(p.clone());
    }
    let Ty::List(keys, _) = ty else {
        // Not mergeable: the patch replaces.
        return match patch {
            Some(p) if p.is_null() => None,
            Some(p) => Some(p.clone()),
            None => dest,
        };
    };
    let element = ty.element();
    let Some(dest) = dest else {
        let p = patch?;
        return Some(merge_list(p.clone(), Some(p), keys, element, depth, errors));
    };
    match patch {
        None => Some(merge_list(dest, None, keys, element, depth, errors)),
        Some(p) if p.is_null() => None,
        Some(p) => {
            let (d, at) = list_directive(p, errors);
            let mut p = p.clone();
            if let (Some(i), Value::Seq(items)) = (at, &mut p.value) {
                items.remove(i);
            }
            match d {
                Directive::Delete => None,
                Directive::Replace => Some(merge_list(
                    p.clone(),
                    Some(&p),
                    keys,
                    element,
                    depth,
                    errors,
                )),
                Directive::Merge => Some(merge_list(dest, Some(&p), keys, element, depth, errors)),
            }
        }
    }
}

fn merge_map(
    mut dest: Node,
    patch: Option<&Node>,
    ty: Ty,
    depth: usize,
    errors: &mut Vec<String>,
) -> Node {
    let Value::Map(entries) = &mut dest.value else {
        return dest;
    };
    let old = std::mem::take(entries);
    let mut out: Vec<Entry> = Vec::with_capacity(old.len());
    for Entry { key, value } in old {
        let Some(name) = key.as_scalar().map(|s| s.text.clone()) else {
            out.push(Entry { key, value });
            continue;
        };
        let from_patch = patch
            .and_then(|p| p.get(&name))
            .filter(|_| !is_directive(&name));
        if let Some(value) = walk(Some(value), from_patch, ty.field(&name), depth + 1, errors) {
            out.push(Entry { key, value });
        }
    }
    if let Some(p) = patch {
        let mut new: Vec<&Entry> = p
            .entries()
            .iter()
            .filter(|e| {
                e.key_str().is_some_and(|k| {
                    !is_directive(k) && !out.iter().any(|o| o.key_str() == Some(k))
                })
            })
            .collect();
        // kustomize walks the fields in sorted order and appends the new ones.
        new.sort_by_key(|e| e.key_str());
        new.dedup_by(|a, b| a.key_str() == b.key_str());
        for e in new {
            let name = e.key_str().unwrap_or_default();
            if let Some(value) = walk(None, Some(&e.value), ty.field(name), depth + 1, errors) {
                out.push(Entry {
                    key: e.key.clone(),
                    value,
                });
            }
        }
    }
    if let Value::Map(entries) = &mut dest.value {
        *entries = out;
    }
    dest
}

/// The merge key values of a list item (`""` for a missing, null or empty key).
fn key_values(item: &Node, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .map(|k| {
            item.get(k)
                .and_then(Node::as_scalar)
                .filter(|s| !s.is_null())
                .map(|s| s.text.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// Whether two key tuples name the same item (`""` matches anything, one value must agree).
fn same_item(a: &[String], b: &[String]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x == y || x.is_empty() || y.is_empty())
        && a.iter().zip(b).any(|(x, y)| x == y)
}

fn merge_list(
    dest: Node,
    patch: Option<&Node>,
    keys: &[&str],
    element: Ty,
    depth: usize,
    errors: &mut Vec<String>,
) -> Node {
    let Node {
        value,
        range,
        tag,
        alias,
    } = dest;
    let Value::Seq(dest_items) = value else {
        return Node {
            value,
            range,
            tag,
            alias,
        };
    };
    let patch_items = patch.map_or(&[][..], Node::items);
    let out = if keys.is_empty() {
        merge_scalars(dest_items, patch_items)
    } else {
        merge_keyed(dest_items, patch_items, keys, element, depth, errors)
    };
    Node {
        value: Value::Seq(out),
        range,
        tag,
        alias,
    }
}

/// A set of scalars: the patch's values, then the target's others.
fn merge_scalars(dest: Vec<Node>, patch: &[Node]) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::with_capacity(dest.len() + patch.len());
    let text = |n: &Node| n.as_scalar().map(|s| s.text.clone());
    for item in patch {
        if item.as_scalar().is_some() && !out.iter().any(|o| text(o) == text(item)) {
            out.push(item.clone());
        }
    }
    for item in dest {
        if item.as_scalar().is_none() || !out.iter().any(|o| text(o) == text(&item)) {
            out.push(item);
        }
    }
    out
}

fn merge_keyed(
    dest: Vec<Node>,
    patch: &[Node],
    keys: &[&str],
    element: Ty,
    depth: usize,
    errors: &mut Vec<String>,
) -> Vec<Node> {
    // The items' identities, the patch's first.
    let mut tuples: Vec<Vec<String>> = Vec::new();
    for item in patch.iter().chain(dest.iter()).filter(|n| n.is_map()) {
        let t = key_values(item, keys);
        if t.iter().all(String::is_empty) {
            continue;
        }
        if let Some(known) = tuples.iter_mut().find(|k| same_item(k, &t)) {
            for (k, v) in known.iter_mut().zip(t) {
                if k.is_empty() {
                    *k = v;
                }
            }
        } else {
            tuples.push(t);
        }
    }
    let mut dest: Vec<Option<Node>> = dest.into_iter().map(Some).collect();
    // Each item with the index of the target's item it merges (if any).
    let mut out: Vec<(Option<usize>, Node)> = Vec::with_capacity(tuples.len());
    for t in &tuples {
        let at = dest.iter().position(|n| {
            n.as_ref()
                .is_some_and(|n| n.is_map() && same_item(&key_values(n, keys), t))
        });
        let d = at.and_then(|i| dest[i].take());
        let p = patch
            .iter()
            .find(|n| n.is_map() && same_item(&key_values(n, keys), t));
        let merged = match (d, p) {
            (None, Some(p)) => {
                if map_directive(p, errors) == Directive::Delete {
                    None
                } else {
                    added(p, element, depth, errors)
                }
            }
            (d, p) => walk(d, p, element, depth + 1, errors),
        };
        if let Some(m) = merged.filter(|m| !tree::is_empty_object(m)) {
            out.push((at, m));
        }
    }
    // With several merge keys, kustomize moves the target's items after the patch's new ones,
    // in the target's order.
    if keys.len() > 1 {
        out.sort_by_key(|(at, _)| at.map_or(0, |i| i + 1));
    }
    let mut out: Vec<Node> = out.into_iter().map(|(_, n)| n).collect();
    // Items without a key (or not mappings) stay, after the others.
    out.extend(dest.into_iter().flatten());
    out
}
