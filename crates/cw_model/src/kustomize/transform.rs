//! The transformers of one kustomization, in kustomize's order: `patchesStrategicMerge`,
//! `patches`, `namespace`, `namePrefix`, `nameSuffix`, `labels` and `commonLabels`,
//! `commonAnnotations`, `patchesJson6902`, `replicas`, `images`.

use cw_diagnostics::TextRange;
use cw_syntax::yaml::{Node, ScalarStyle, Value, YamlFile};

use super::build::{Builder, Kust};
use super::fieldspec::{self, Create, DEFAULTS, FieldSpec};
use super::resource::{Res, ResId, is_cluster_scoped};
use super::select::Selector;
use super::{json_patch, smp, tree};

pub(super) fn run(b: &mut Builder<'_>, kust: &Kust, ra: &mut Vec<Res>) {
    patches_strategic_merge(b, kust, ra);
    patches(b, kust, ra);
    namespace(b, kust, ra);
    name_affix(kust, ra, "namePrefix");
    name_affix(kust, ra, "nameSuffix");
    labels(kust, ra);
    annotations(kust, ra);
    patches_json6902(b, kust, ra);
    replicas(b, kust, ra);
    images(kust, ra);
}

/// A patch's documents, from `path:` (a file of the kustomization's directory) or an inline
/// string.
fn patch_file(
    b: &mut Builder<'_>,
    kust: &Kust,
    entry: &Node,
    inline: Option<&Node>,
    path: Option<&Node>,
) -> Option<YamlFile> {
    match (
        inline.filter(|n| n.as_str().is_some()),
        path.filter(|n| n.as_str().is_some()),
    ) {
        (Some(_), Some(_)) => {
            b.invalid(
                entry.site_range(),
                "a patch cannot have both `patch` and `path`",
            );
            None
        }
        (Some(inline), None) => Some(b.parse_inline(kust, inline)),
        (None, Some(path)) => {
            let text = path.as_str().unwrap_or_default();
            let Some(joined) = kust.join(text) else {
                b.invalid(
                    path.site_range(),
                    format!("absolute path `{text}` is not followed"),
                );
                return None;
            };
            let Some(loaded) = b.load(&joined) else {
                b.invalid(
                    path.site_range(),
                    format!("patch file `{text}` does not exist"),
                );
                return None;
            };
            Some(b.parse(&joined, &loaded))
        }
        (None, None) => {
            b.invalid(entry.site_range(), "a patch needs `patch` or `path`");
            None
        }
    }
}

/// The non-empty documents of a patch file.
fn documents(file: YamlFile) -> Vec<Node> {
    file.documents
        .into_iter()
        .map(|d| d.root)
        .filter(|r| !tree::is_empty_object(r) && (!r.is_seq() || !r.items().is_empty()))
        .collect()
}

fn patches_strategic_merge(b: &mut Builder<'_>, kust: &Kust, ra: &mut Vec<Res>) {
    let Some(list) = kust.get("patchesStrategicMerge") else {
        return;
    };
    for item in list.items() {
        let Some(text) = item.as_str() else { continue };
        // As kustomize: a string that reads as objects is the patch itself, else a path.
        let inline = if text.contains('\n') || text.trim_start().starts_with('{') {
            let file = b.parse_inline(kust, item);
            let docs = documents(file);
            (!docs.is_empty() && docs.iter().all(Node::is_map)).then_some(docs)
        } else {
            None
        };
        let docs = match inline {
            Some(docs) => docs,
            None => match patch_file(b, kust, item, None, Some(item)) {
                Some(file) => documents(file),
                None => continue,
            },
        };
        for doc in &docs {
            smp_by_id(b, ra, doc, item.site_range(), Via::Map, (false, false));
        }
    }
}

/// Applies a strategic merge patch to the one object with its id.
fn smp_by_id(
    b: &mut Builder<'_>,
    ra: &mut Vec<Res>,
    patch: &Node,
    at: TextRange,
    via: Via,
    allow: (bool, bool),
) {
    if !patch.is_map() {
        b.invalid(
            patch.site_range(),
            "a strategic merge patch must be a mapping",
        );
        return;
    }
    let id = ResId::of(patch);
    let found: Vec<usize> = ra
        .iter()
        .enumerate()
        .filter(|(_, r)| r.any_id_is(&id))
        .map(|(i, _)| i)
        .collect();
    match found.as_slice() {
        [i] => apply_smp(b, ra, *i, patch, at, via, allow),
        [] => b.invalid(
            at,
            format!(
                "no resource matches the strategic merge patch for {} `{}`",
                id.gvk.kind, id.name
            ),
        ),
        _ => b.invalid(
            at,
            format!(
                "several resources match the patch for {} `{}`",
                id.gvk.kind, id.name
            ),
        ),
    }
}

/// How a strategic merge patch reaches its target.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Via {
    /// By the patch's own id (`patches` without a target).
    Id,
    /// Through kustomize's resource map (`patchesStrategicMerge`, `patches` with a target),
    /// which first rewrites the patch's labels and annotations as strings: a `null` there
    /// sets the text `null` instead of deleting, `1` sets the string `"1"`.
    Map,
}

fn apply_smp(
    b: &mut Builder<'_>,
    ra: &mut Vec<Res>,
    i: usize,
    patch: &Node,
    at: TextRange,
    via: Via,
    (allow_name, allow_kind): (bool, bool),
) {
    let r = &mut ra[i];
    if allow_name || allow_kind {
        r.store_previous_id();
    }
    let api_version = r.node.get("apiVersion").cloned();
    let kind = r.node.get("kind").cloned();
    let name = r.node.path(&["metadata", "name"]).cloned();
    let namespace = r
        .node
        .entry("metadata")
        .and_then(|m| m.value.entry("namespace"))
        .cloned();
    let api_text = r.api_version().to_owned();
    let kind_text = r.kind().to_owned();
    let api_at = r
        .node
        .entries()
        .iter()
        .position(|e| e.key_str() == Some("apiVersion"));
    let target = std::mem::replace(&mut r.node, tree::map(Vec::new(), TextRange::default()));
    let mut patch = patch.clone();
    tree::remove(&mut patch, "apiVersion");
    if via == Via::Map {
        for key in ["labels", "annotations"] {
            if let Some(Value::Map(entries)) =
                tree::path_mut(&mut patch, &["metadata", key]).map(|n| &mut n.value)
            {
                tree::stringify(entries);
            }
        }
    }
    let (merged, errors) = smp::merge(target, &patch, &api_text, &kind_text);
    for e in errors {
        b.invalid(at, format!("strategic merge patch: {e}"));
    }
    let Some(mut merged) = merged.filter(|m| !tree::is_empty_object(m)) else {
        ra.remove(i);
        return;
    };
    if let Some(v) = api_version {
        tree::set(&mut merged, tree::string("apiVersion", v.range), v);
        if let (Some(to), Value::Map(entries)) = (api_at, &mut merged.value)
            && let Some(from) = entries
                .iter()
                .position(|e| e.key_str() == Some("apiVersion"))
        {
            let e = entries.remove(from);
            entries.insert(to.min(entries.len()), e);
        }
    }
    if !allow_kind
        && let Some(v) = kind
        && let Some(slot) = tree::get_mut(&mut merged, "kind")
    {
        *slot = v;
    }
    if let Some(meta) = tree::get_mut(&mut merged, "metadata") {
        if !allow_name
            && let Some(v) = name
            && let Some(slot) = tree::get_mut(meta, "name")
        {
            *slot = v;
        }
        tree::remove(meta, "namespace");
        if let Some(ns) = namespace {
            tree::set(meta, ns.key, ns.value);
        }
    }
    r.node = merged;
}

fn patches(b: &mut Builder<'_>, kust: &Kust, ra: &mut Vec<Res>) {
    let Some(list) = kust.get("patches") else {
        return;
    };
    for entry in list.items() {
        let Some(file) = patch_file(b, kust, entry, entry.get("patch"), entry.get("path")) else {
            continue;
        };
        let docs = documents(file);
        let target = entry.get("target").filter(|t| t.is_map());
        let option = |k: &str| entry.path(&["options", k]).and_then(Node::as_bool) == Some(true);
        let at = entry.site_range();
        if docs.is_empty() {
            b.invalid(at, "the patch is empty");
            continue;
        }
        if docs.iter().all(Node::is_map) {
            match target {
                Some(t) => {
                    if docs.len() > 1 {
                        b.invalid(
                            at,
                            "several strategic merge patches in one entry cannot have a `target`",
                        );
                        continue;
                    }
                    let Some(selector) = selector(b, t) else {
                        continue;
                    };
                    let mut i = 0;
                    while i < ra.len() {
                        if selector.selects(&ra[i]) {
                            let before = ra.len();
                            let allow = (option("allowNameChange"), option("allowKindChange"));
                            apply_smp(b, ra, i, &docs[0], at, Via::Map, allow);
                            if ra.len() < before {
                                continue;
                            }
                        }
                        i += 1;
                    }
                }
                None => {
                    for doc in &docs {
                        let allow = (option("allowNameChange"), option("allowKindChange"));
                        smp_by_id(b, ra, doc, at, Via::Id, allow);
                    }
                }
            }
        } else if docs.len() == 1 && docs[0].is_seq() {
            let Some(t) = target else {
                b.invalid(at, "a JSON patch needs a `target`");
                continue;
            };
            json6902(b, ra, t, &docs[0], at);
        } else {
            b.invalid(
                at,
                "the patch is neither a strategic merge patch nor a JSON patch",
            );
        }
    }
}

fn selector(b: &mut Builder<'_>, target: &Node) -> Option<Selector> {
    match Selector::parse(target) {
        Ok(s) => Some(s),
        Err(e) => {
            b.invalid(target.site_range(), e);
            None
        }
    }
}

fn json6902(b: &mut Builder<'_>, ra: &mut [Res], target: &Node, doc: &Node, at: TextRange) {
    let Some(selector) = selector(b, target) else {
        return;
    };
    let ops = match json_patch::ops(doc) {
        Ok(ops) => ops,
        Err((message, node)) => {
            b.invalid(node.site_range(), message);
            return;
        }
    };
    for r in ra.iter_mut().filter(|r| selector.selects(r)) {
        r.store_previous_id();
        let result = json_patch::apply(&mut r.node, &ops, |op| {
            let path = op.node.get("path").unwrap_or(op.node);
            tree::string("", path.range)
        });
        if let Err((message, i)) = result {
            let range = ops.get(i).map_or(at, |op| op.node.site_range());
            b.invalid(range, format!("JSON patch: {message}"));
        }
    }
}

fn patches_json6902(b: &mut Builder<'_>, kust: &Kust, ra: &mut [Res]) {
    let Some(list) = kust.get("patchesJson6902") else {
        return;
    };
    for entry in list.items() {
        let at = entry.site_range();
        let Some(target) = entry.get("target").filter(|t| t.is_map()) else {
            b.invalid(at, "a JSON patch needs a `target`");
            continue;
        };
        let Some(file) = patch_file(b, kust, entry, entry.get("patch"), entry.get("path")) else {
            continue;
        };
        let docs = documents(file);
        match docs.as_slice() {
            [doc] if doc.is_seq() => json6902(b, ra, target, doc, at),
            _ => b.invalid(at, "a JSON patch must be a list of operations"),
        }
    }
}

fn namespace(b: &mut Builder<'_>, kust: &Kust, ra: &mut [Res]) {
    let Some(entry) = kust.root.entry("namespace") else {
        return;
    };
    let Some(ns) = entry.value.as_str().filter(|s| !s.is_empty()) else {
        return;
    };
    let value = tree::string_from(&entry.value);
    let made = entry.key.clone();
    let specs: Vec<&FieldSpec> = DEFAULTS
        .namespace
        .iter()
        .filter(|s| !s.path_is("metadata/namespace"))
        .collect();
    for r in ra.iter_mut() {
        if tree::is_empty_object(&r.node) {
            continue;
        }
        r.store_previous_id();
        let api_version = r.api_version().to_owned();
        let gvk = r.gvk();
        if !is_cluster_scoped(&api_version, &gvk.kind) {
            let spec = FieldSpec::new("metadata/namespace", true);
            fieldspec::apply(&mut r.node, &spec, Create::Scalar, &made, &mut |n| {
                *n = value.clone();
            });
            r.namespace_set_by = Some(entry.range());
        }
        if matches!(gvk.kind.as_str(), "RoleBinding" | "ClusterRoleBinding")
            && let Some(subjects) = tree::get_mut(&mut r.node, "subjects")
            && let Value::Seq(items) = &mut subjects.value
        {
            for s in items
                .iter_mut()
                .filter(|s| tree::field(s, "name") == "default")
            {
                tree::set(s, tree::string("namespace", made.range), value.clone());
            }
        }
        for spec in &specs {
            if !spec.matches(&gvk) || (api_version != "v1" && spec.path_is("metadata/name")) {
                continue;
            }
            if matches!(gvk.kind.as_str(), "RoleBinding" | "ClusterRoleBinding")
                && spec.path_is("subjects/namespace")
            {
                continue;
            }
            fieldspec::apply(&mut r.node, spec, Create::Scalar, &made, &mut |n| {
                if n.as_scalar().is_some() {
                    *n = value.clone();
                }
            });
        }
    }
    let ids: Vec<ResId> = ra.iter().map(Res::cur_id).collect();
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            b.invalid(
                entry.range(),
                format!(
                    "namespace `{ns}` makes two {} `{}` the same object",
                    id.gvk.kind, id.name
                ),
            );
        }
    }
}

fn name_affix(kust: &Kust, ra: &mut [Res], key: &str) {
    let Some(node) = kust.get(key) else { return };
    let Some(affix) = node.as_str().filter(|s| !s.is_empty()) else {
        return;
    };
    let prefix = key == "namePrefix";
    for r in ra.iter_mut() {
        let org = r.org_id();
        let skip = org.gvk.kind == "CustomResourceDefinition"
            || org.gvk.kind == "Namespace"
            || (org.gvk.kind == "APIService" && org.gvk.group == "apiregistration.k8s.io");
        if skip {
            continue;
        }
        if prefix {
            r.prefixes.push(affix.to_owned());
        } else {
            r.suffixes.push(affix.to_owned());
        }
        r.store_previous_id();
        if let Some(name) = tree::path_mut(&mut r.node, &["metadata", "name"])
            && let Some(old) = name.as_scalar().map(|s| s.text.clone())
        {
            let text = if prefix {
                format!("{affix}{old}")
            } else {
                format!("{old}{affix}")
            };
            let mut new = tree::string(text, node.range);
            new.alias = node.alias;
            *name = new;
        }
    }
}

/// Sets `pairs` (sorted by key) at every field spec matching each object.
fn set_pairs(ra: &mut [Res], pairs: &[(&Node, &Node)], specs: &[FieldSpec], made: &Node) {
    let mut pairs: Vec<(&Node, &Node)> = pairs.to_vec();
    pairs.sort_by_key(|(k, _)| tree::text_of(k));
    for r in ra.iter_mut() {
        let gvk = r.gvk();
        for (k, v) in &pairs {
            let key = tree::string_from(k);
            let value = tree::string_from(v);
            for spec in specs.iter().filter(|s| s.matches(&gvk)) {
                fieldspec::apply(&mut r.node, spec, Create::Map, made, &mut |n| {
                    if n.is_map() {
                        tree::set(n, key.clone(), value.clone());
                    }
                });
            }
        }
    }
}

fn labels(kust: &Kust, ra: &mut [Res]) {
    if let Some(list) = kust.get("labels") {
        for label in list.items() {
            let Some(pairs) = label.get("pairs") else {
                continue;
            };
            let mut specs: Vec<FieldSpec> = label
                .get("fields")
                .map(|f| f.items().iter().filter_map(FieldSpec::from_node).collect())
                .unwrap_or_default();
            let flag = |k: &str| label.get(k).and_then(Node::as_bool) == Some(true);
            if flag("includeSelectors") {
                fieldspec::merge_all(&mut specs, &DEFAULTS.common_labels);
            } else {
                if flag("includeTemplates") {
                    fieldspec::merge_all(&mut specs, &DEFAULTS.template_labels);
                }
                fieldspec::merge_all(&mut specs, &[FieldSpec::new("metadata/labels", true)]);
            }
            let made = label.clone();
            set_pairs(ra, &tree::string_pairs(pairs), &specs, &made);
        }
    }
    if let Some(entry) = kust.root.entry("commonLabels") {
        set_pairs(
            ra,
            &tree::string_pairs(&entry.value),
            &DEFAULTS.common_labels,
            &entry.key,
        );
    }
}

fn annotations(kust: &Kust, ra: &mut [Res]) {
    if let Some(entry) = kust.root.entry("commonAnnotations") {
        set_pairs(
            ra,
            &tree::string_pairs(&entry.value),
            &DEFAULTS.common_annotations,
            &entry.key,
        );
    }
}

fn replicas(b: &mut Builder<'_>, kust: &Kust, ra: &mut [Res]) {
    let Some(list) = kust.get("replicas") else {
        return;
    };
    for item in list.items() {
        let name = tree::field(item, "name");
        let Some(count) = item.get("count").filter(|c| c.as_i64().is_some()) else {
            b.invalid(item.site_range(), "a replica count must be an integer");
            continue;
        };
        let mut value = count.clone();
        if let Value::Scalar(s) = &mut value.value {
            s.text = count.as_i64().unwrap_or_default().to_string();
            s.style = ScalarStyle::Plain;
        }
        let mut found = false;
        for spec in &DEFAULTS.replicas {
            for r in ra.iter_mut() {
                let named =
                    r.cur_id().name == name || r.prev_ids().iter().any(|id| id.name == name);
                let selected = r.cur_id().gvk.is_selected_by(&spec.gvk)
                    || r.prev_ids()
                        .iter()
                        .any(|id| id.gvk.is_selected_by(&spec.gvk));
                if !named || !selected {
                    continue;
                }
                found = true;
                if !spec.matches(&r.gvk()) {
                    continue;
                }
                fieldspec::apply(&mut r.node, spec, Create::Scalar, count, &mut |n| {
                    if n.as_scalar().is_some() {
                        *n = value.clone();
                    }
                });
            }
        }
        if !found {
            b.invalid(
                item.site_range(),
                format!("no Deployment, ReplicationController, ReplicaSet or StatefulSet is named `{name}`"),
            );
        }
    }
}

/// One `images` entry.
struct Image {
    pattern: Option<regex::Regex>,
    new_name: String,
    new_tag: String,
    digest: String,
    tag_suffix: String,
    /// The node whose range the new image takes.
    source: Node,
}

impl Image {
    fn read(item: &Node) -> Self {
        let name = tree::field(item, "name");
        let source = ["newTag", "digest", "newName", "tagSuffix"]
            .iter()
            .find_map(|k| {
                item.get(k)
                    .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
            })
            .unwrap_or(item)
            .clone();
        Image {
            pattern: regex::Regex::new(&format!(
                "^{name}(:[a-zA-Z0-9_.{{}}-]*)?(@sha256:[a-zA-Z0-9_.{{}}-]*)?$"
            ))
            .ok(),
            new_name: tree::field(item, "newName").to_owned(),
            new_tag: tree::field(item, "newTag").to_owned(),
            digest: tree::field(item, "digest").to_owned(),
            tag_suffix: tree::field(item, "tagSuffix").to_owned(),
            source,
        }
    }

    /// The image reference after this entry, when it applies to `image`.
    fn rewrite(&self, image: &str) -> Option<String> {
        if !self.pattern.as_ref()?.is_match(image) {
            return None;
        }
        let (mut name, mut tag, mut digest) = split_image(image);
        if !self.new_name.is_empty() {
            name.clone_from(&self.new_name);
        }
        if !self.new_tag.is_empty() && !self.digest.is_empty() {
            tag.clone_from(&self.new_tag);
            digest.clone_from(&self.digest);
        } else if !self.new_tag.is_empty() {
            tag.clone_from(&self.new_tag);
            digest.clear();
        } else if !self.digest.is_empty() {
            tag.clear();
            digest.clone_from(&self.digest);
        } else if !self.tag_suffix.is_empty() {
            tag.push_str(&self.tag_suffix);
            digest.clear();
        }
        if !tag.is_empty() {
            name = format!("{name}:{tag}");
        }
        if !digest.is_empty() {
            name = format!("{name}@{digest}");
        }
        Some(name)
    }

    fn update(&self, node: &mut Node) {
        let Some(text) = node.as_scalar().map(|s| s.text.clone()) else {
            return;
        };
        if let Some(new) = self.rewrite(&text) {
            let mut replaced = tree::string(new, self.source.range);
            replaced.alias = self.source.alias;
            *node = replaced;
        }
    }
}

/// kustomize's `image.Split`: name, tag and digest (a registry port is not a tag).
fn split_image(image: &str) -> (String, String, String) {
    let slash = image.find('/').filter(|&i| i > 0).unwrap_or(0);
    let search = &image[slash..];
    let at = search.find('@');
    let colon = search.find(':');
    match (colon, at) {
        (None, None) => (image.to_owned(), String::new(), String::new()),
        (None, Some(d)) => {
            let d = d + slash;
            (
                image[..d].to_owned(),
                String::new(),
                image[d + 1..].to_owned(),
            )
        }
        (Some(c), Some(d)) if d < c => {
            let d = d + slash;
            (
                image[..d].to_owned(),
                String::new(),
                image[d + 1..].to_owned(),
            )
        }
        (Some(c), Some(d)) => {
            let (c, d) = (c + slash, d + slash);
            (
                image[..c].to_owned(),
                image[c + 1..d].to_owned(),
                image[d + 1..].to_owned(),
            )
        }
        (Some(c), None) => {
            let c = c + slash;
            (
                image[..c].to_owned(),
                image[c + 1..].to_owned(),
                String::new(),
            )
        }
    }
}

/// Updates the `image` of every item of every `containers`/`initContainers` list, at any depth.
fn legacy_images(node: &mut Node, image: &Image) {
    let Value::Map(entries) = &mut node.value else {
        if let Value::Seq(items) = &mut node.value {
            for item in items {
                legacy_images(item, image);
            }
        }
        return;
    };
    for e in entries {
        legacy_images(&mut e.value, image);
        if matches!(e.key_str(), Some("containers" | "initContainers"))
            && let Value::Seq(items) = &mut e.value.value
        {
            for item in items {
                if let Some(slot) = tree::get_mut(item, "image") {
                    image.update(slot);
                }
            }
        }
    }
}

fn images(kust: &Kust, ra: &mut [Res]) {
    for key in ["images", "imageTags"] {
        let Some(list) = kust.get(key) else { continue };
        for item in list.items() {
            let image = Image::read(item);
            for r in ra.iter_mut() {
                if r.kind() == "CustomResourceDefinition" {
                    continue;
                }
                // As kustomize: every container list, then the field specs (which visit the
                // workload's containers a second time).
                legacy_images(&mut r.node, &image);
                let gvk = r.gvk();
                for spec in DEFAULTS.images.iter().filter(|s| s.matches(&gvk)) {
                    fieldspec::apply(&mut r.node, spec, Create::Nothing, item, &mut |n| {
                        image.update(n);
                    });
                }
            }
        }
    }
}
