//! The build: loading kustomizations, accumulating resources from files, bases, generators and
//! components, running the transformers of each level, then the final steps of the top level
//! (name hashes, name references, local configs, output order).

use std::collections::HashSet;
use std::sync::Arc;

use cw_diagnostics::TextRange;
use cw_syntax::yaml::{Node, ScalarStyle, Value, YamlFile, parse_json, parse_yaml};

use super::resource::{Res, ResId};
use super::{
    Loader, Problem, ProblemKind, Render, Rendered, generate, nameref, transform, tree, value,
};

pub(super) const KUSTOMIZATION_FILES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Kustomizations nested deeper than this are not followed.
const MAX_DEPTH: usize = 64;

/// A loaded kustomization file.
pub(super) struct Kust {
    /// Its directory (normalized, `""` for the scan base).
    pub(super) dir: String,
    pub(super) text: Arc<str>,
    pub(super) base: u32,
    pub(super) root: Node,
}

impl Kust {
    pub(super) fn get(&self, key: &str) -> Option<&Node> {
        self.root.get(key)
    }

    /// The entry of a top-level key, where problems about the field are reported.
    pub(super) fn entry_range(&self, key: &str) -> TextRange {
        self.root
            .entry(key)
            .map_or(self.root.site_range(), cw_syntax::yaml::Entry::range)
    }

    /// A path of the kustomization's directory, relative to the scan base.
    pub(super) fn join(&self, path: &str) -> Option<String> {
        join(&self.dir, path)
    }
}

pub(super) struct Builder<'l> {
    loader: &'l dyn Loader,
    files: Vec<String>,
    file_set: HashSet<String>,
    parse_reported: HashSet<String>,
    pub(super) problems: Vec<Problem>,
    /// The directories being built, outermost first (for cycles).
    stack: Vec<String>,
}

pub(super) fn render(dir: &str, loader: &dyn Loader) -> Render {
    let mut b = Builder {
        loader,
        files: Vec::new(),
        file_set: HashSet::new(),
        parse_reported: HashSet::new(),
        problems: Vec::new(),
        stack: Vec::new(),
    };
    let dir = match dir.strip_prefix('/') {
        // A directory outside the scan base is given absolute: keep it so.
        Some(rest) => join("/", rest).unwrap_or_default(),
        None => join("", dir).unwrap_or_default(),
    };
    let at = TextRange::default();
    let mut resources = Vec::new();
    let mut sort = None;
    if let Some(kust) = b.load_kustomization(&dir, at) {
        // A Component builds on its own too.
        b.stack.push(dir.clone());
        b.accumulate(&kust, &mut resources);
        b.stack.pop();
        sort = kust.get("sortOptions").cloned();
        b.finish(&mut resources);
    }
    order(&mut resources, sort.as_ref());
    Render {
        objects: resources
            .into_iter()
            .map(|r| Rendered {
                object: r.node,
                namespace_set_by: r.namespace_set_by,
            })
            .collect(),
        files: b.files,
        problems: b.problems,
    }
}

/// `dir` joined with `path`, normalized (`.` and `..` resolved, `..` kept above the base).
/// `None` for an absolute path.
pub(super) fn join(dir: &str, path: &str) -> Option<String> {
    if path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in dir.split('/').chain(path.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    Some(if dir.starts_with('/') {
        format!("/{}", joined.trim_start_matches("../"))
    } else {
        joined
    })
}

/// A reference kustomize would fetch from a repository or a URL.
fn is_remote(path: &str) -> bool {
    path.contains("://")
        || path.starts_with("git@")
        || path.starts_with("git::")
        || path.starts_with("github.com/")
        || path.starts_with("gitlab.com/")
        || path.starts_with("bitbucket.org/")
        || path.contains("?ref=")
        || path.contains("?version=")
        || path.contains(".git//")
}

fn kind_of(kust: &Kust) -> &str {
    tree::field(&kust.root, "kind")
}

/// Fields this renderer does not apply.
const NOT_RENDERED: &[(&str, &str)] = &[
    ("helmCharts", "Helm charts are not rendered"),
    (
        "helmChartInflationGenerator",
        "Helm charts are not rendered",
    ),
    ("helmGlobals", "Helm charts are not rendered"),
    ("replacements", "`replacements` are not applied"),
    ("vars", "`vars` are not substituted"),
    (
        "configurations",
        "transformer configurations are not applied",
    ),
    ("crds", "CRD field specs are not applied"),
    ("openapi", "custom OpenAPI schemas are not used"),
    ("transformers", "transformer plugins are not run"),
    ("generators", "generator plugins are not run"),
    ("validators", "validator plugins are not run"),
    ("buildMetadata", "build metadata is not added"),
];

/// Fields that are read (or harmless to ignore).
const KNOWN: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "resources",
    "bases",
    "components",
    "namespace",
    "namePrefix",
    "nameSuffix",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "images",
    "imageTags",
    "replicas",
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "configMapGenerator",
    "secretGenerator",
    "generatorOptions",
    "sortOptions",
];

impl Builder<'_> {
    pub(super) fn invalid(&mut self, range: TextRange, message: impl Into<String>) {
        self.problem(ProblemKind::Invalid, range, message);
    }

    fn not_rendered(&mut self, range: TextRange, message: impl Into<String>) {
        self.problem(ProblemKind::NotRendered, range, message);
    }

    fn problem(&mut self, kind: ProblemKind, range: TextRange, message: impl Into<String>) {
        let problem = Problem {
            kind,
            range,
            message: message.into(),
        };
        if !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }

    /// Reads a file through the loader (recording it).
    pub(super) fn load(&mut self, path: &str) -> Option<super::Loaded> {
        let loaded = self.loader.load(path).ok()?;
        if self.file_set.insert(path.to_owned()) {
            self.files.push(path.to_owned());
        }
        Some(loaded)
    }

    /// Parses a loaded file (JSON for `.json`, else YAML) into the global address space,
    /// reporting its syntax errors once.
    pub(super) fn parse(&mut self, path: &str, loaded: &super::Loaded) -> YamlFile {
        let mut file = if path.to_ascii_lowercase().ends_with(".json") {
            parse_json(&loaded.text)
        } else {
            parse_yaml(&loaded.text)
        };
        file.shift(loaded.base);
        if self.parse_reported.insert(path.to_owned()) {
            for e in &file.errors {
                self.problem(ProblemKind::Parse, e.range, e.message.clone());
            }
        }
        file
    }

    /// Loads the kustomization of `dir`; `at` is the entry that refers to it.
    fn load_kustomization(&mut self, dir: &str, at: TextRange) -> Option<Kust> {
        let mut found: Vec<(String, super::Loaded)> = Vec::new();
        for name in KUSTOMIZATION_FILES {
            let path = join(dir, name).unwrap_or_default();
            if let Ok(loaded) = self.loader.load(&path) {
                found.push((path, loaded));
            }
        }
        let shown = if dir.is_empty() { "." } else { dir };
        if found.len() > 1 {
            self.invalid(
                at,
                format!("`{shown}` has more than one kustomization file"),
            );
            return None;
        }
        let Some((path, loaded)) = found.pop() else {
            self.invalid(
                at,
                format!(
                    "`{shown}` holds no kustomization.yaml, kustomization.yml or Kustomization"
                ),
            );
            return None;
        };
        if self.file_set.insert(path.clone()) {
            self.files.push(path.clone());
        }
        let mut file = self.parse(&path, &loaded);
        let root = match file.documents.len() {
            0 => None,
            _ => Some(file.documents.swap_remove(0).root),
        };
        let Some(root) = root.filter(Node::is_map) else {
            if file.errors.is_empty() {
                self.invalid(
                    TextRange::empty(loaded.base),
                    format!("`{path}` is not a kustomization: it holds no mapping"),
                );
            }
            return None;
        };
        let kust = Kust {
            dir: dir.to_owned(),
            text: loaded.text,
            base: loaded.base,
            root,
        };
        self.check_fields(&kust);
        Some(kust)
    }

    fn check_fields(&mut self, kust: &Kust) {
        let kind = kind_of(kust).to_owned();
        let api_version = tree::field(&kust.root, "apiVersion").to_owned();
        if !matches!(kind.as_str(), "" | "Kustomization" | "Component") {
            self.invalid(
                kust.entry_range("kind"),
                "kind should be Kustomization or Component",
            );
        }
        let required = if kind == "Component" {
            "kustomize.config.k8s.io/v1alpha1"
        } else {
            "kustomize.config.k8s.io/v1beta1"
        };
        if !api_version.is_empty() && api_version != required {
            self.invalid(
                kust.entry_range("apiVersion"),
                format!("apiVersion should be {required}"),
            );
        }
        let mut issues = Vec::new();
        for e in kust.root.entries() {
            let Some(key) = e.key_str() else { continue };
            if let Some((_, why)) = NOT_RENDERED.iter().find(|(k, _)| *k == key) {
                if !e.value.is_null() {
                    issues.push((ProblemKind::NotRendered, e.range(), (*why).to_owned()));
                }
            } else if !KNOWN.contains(&key) {
                issues.push((
                    ProblemKind::Invalid,
                    e.key.site_range(),
                    format!("unknown kustomization field `{key}`"),
                ));
            }
        }
        for (kind, range, message) in issues {
            self.problem(kind, range, message);
        }
    }

    /// Builds a directory's kustomization (`component`: into `ra`, else on its own and then
    /// appended to `ra`).
    fn directory(&mut self, dir: &str, at: TextRange, component: bool, ra: &mut Vec<Res>) {
        if self.stack.iter().any(|d| d == dir) {
            let shown = if dir.is_empty() { "." } else { dir };
            self.invalid(at, format!("cycle: `{shown}` includes itself"));
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.invalid(
                at,
                format!("kustomizations nested more than {MAX_DEPTH} levels deep"),
            );
            return;
        }
        let Some(kust) = self.load_kustomization(dir, at) else {
            return;
        };
        let is_component = kind_of(&kust) == "Component";
        if component && !is_component {
            self.invalid(
                at,
                format!("`{dir}` is not a Component (its kind should be Component)"),
            );
            return;
        }
        if !component && is_component {
            self.invalid(
                at,
                format!("`{dir}` is a Component: list it under `components`"),
            );
            return;
        }
        self.stack.push(dir.to_owned());
        if component {
            self.accumulate(&kust, ra);
        } else {
            let mut own = Vec::new();
            self.accumulate(&kust, &mut own);
            self.append_all(ra, own, at);
        }
        self.stack.pop();
    }

    /// Appends resources, rejecting an id that is already there.
    fn append_all(&mut self, ra: &mut Vec<Res>, more: Vec<Res>, at: TextRange) {
        for r in more {
            let id = r.cur_id();
            if ra.iter().any(|o| o.cur_id() == id) {
                self.invalid(
                    at,
                    format!(
                        "{} `{}` is defined twice (may not add a resource with an already registered id)",
                        id.gvk.kind, id.name
                    ),
                );
                continue;
            }
            ra.push(r);
        }
    }

    /// Everything one kustomization does, in kustomize's order.
    fn accumulate(&mut self, kust: &Kust, ra: &mut Vec<Res>) {
        for key in ["resources", "bases"] {
            let items: Vec<Node> = kust
                .get(key)
                .map(|n| n.items().to_vec())
                .unwrap_or_default();
            for item in &items {
                self.resource_entry(kust, item, ra);
            }
        }
        generate::run(self, kust, ra);
        let components: Vec<Node> = kust
            .get("components")
            .map(|n| n.items().to_vec())
            .unwrap_or_default();
        for item in &components {
            let Some(path) = item.as_str() else { continue };
            let at = item.site_range();
            if is_remote(path) {
                self.not_rendered(at, format!("remote component `{path}` is not fetched"));
                continue;
            }
            let Some(dir) = kust.join(path) else {
                self.not_rendered(at, format!("absolute path `{path}` is not followed"));
                continue;
            };
            self.directory(&dir, at, true, ra);
        }
        transform::run(self, kust, ra);
    }

    fn resource_entry(&mut self, kust: &Kust, item: &Node, ra: &mut Vec<Res>) {
        let at = item.site_range();
        let Some(path) = item.as_str() else {
            self.invalid(at, "a resource must be a path");
            return;
        };
        let Some(joined) = kust.join(path) else {
            self.not_rendered(at, format!("absolute path `{path}` is not followed"));
            return;
        };
        if self.loader.is_dir(&joined) {
            self.directory(&joined, at, false, ra);
            return;
        }
        if let Some(loaded) = self.load(&joined) {
            let file = self.parse(&joined, &loaded);
            let objects = self.objects(file);
            self.append_all(ra, objects.into_iter().map(Res::new).collect(), at);
        } else if is_remote(path) {
            self.not_rendered(at, format!("remote resource `{path}` is not fetched"));
        } else {
            self.invalid(at, format!("`{path}` does not exist"));
        }
    }

    /// The objects of a parsed resource file (lists expanded), checked as kustomize does.
    pub(super) fn objects(&mut self, file: YamlFile) -> Vec<Node> {
        let mut out = Vec::new();
        let mut queue: std::collections::VecDeque<Node> =
            file.documents.into_iter().map(|d| d.root).collect();
        while let Some(root) = queue.pop_front() {
            if tree::is_empty_object(&root) {
                continue;
            }
            if !root.is_map() {
                self.invalid(root.site_range(), "a resource must be a mapping");
                continue;
            }
            let kind = tree::field(&root, "kind");
            if kind.is_empty() {
                self.invalid(root.site_range(), "a resource has no `kind`");
                continue;
            }
            if kind.ends_with("List") && root.get("items").is_some() {
                let mut root = root;
                if let Some(items) = tree::get_mut(&mut root, "items")
                    && let Value::Seq(items) =
                        std::mem::replace(&mut items.value, Value::Seq(Vec::new()))
                {
                    queue.extend(items);
                }
                continue;
            }
            if root
                .path(&["metadata", "name"])
                .and_then(Node::as_str)
                .is_none_or(str::is_empty)
            {
                self.invalid(root.site_range(), "a resource has no `metadata.name`");
                continue;
            }
            out.push(root);
        }
        out
    }

    /// Parses a kustomization string that holds YAML (an inline patch) so that its ranges point
    /// into the kustomization: the source of a literal block scalar (or of a plain or quoted
    /// scalar written without escapes) is parsed in place; otherwise the scalar's text is
    /// parsed and every range is the scalar's.
    pub(super) fn parse_inline(&mut self, kust: &Kust, node: &Node) -> YamlFile {
        let Some(scalar) = node.as_scalar() else {
            return YamlFile::default();
        };
        if node.alias.is_none()
            && let Some((start, raw)) = raw_source(kust, node)
        {
            let mut file = parse_yaml(raw);
            file.shift(kust.base + start);
            if !file.errors.is_empty() {
                for e in &file.errors {
                    self.problem(ProblemKind::Parse, e.range, e.message.clone());
                }
                return file;
            }
            let expected = parse_yaml(&scalar.text);
            let same = expected.documents.len() == file.documents.len()
                && expected
                    .documents
                    .iter()
                    .zip(&file.documents)
                    .all(|(a, b)| value::equal(&a.root, &b.root));
            if same && expected.errors.is_empty() {
                return file;
            }
        }
        let mut file = parse_yaml(&scalar.text);
        for d in &mut file.documents {
            collapse(&mut d.root, node);
            d.range = node.range;
        }
        for e in &mut file.errors {
            e.range = node.range;
        }
        for e in &file.errors {
            self.invalid(node.site_range(), format!("inline patch: {}", e.message));
        }
        file
    }

    /// The top level's final steps.
    fn finish(&mut self, resources: &mut Vec<Res>) {
        for r in resources.iter_mut() {
            if r.needs_hash {
                let hash = generate::hash(&r.node);
                r.store_previous_id();
                if let Some(name) = tree::path_mut(&mut r.node, &["metadata", "name"])
                    && let Value::Scalar(s) = &mut name.value
                {
                    s.text = format!("{}-{hash}", s.text);
                }
            }
        }
        nameref::fix(self, resources);
        resources.retain(|r| {
            r.annotation("config.kubernetes.io/local-config")
                .is_none_or(|v| v == "false")
        });
        for r in resources.iter_mut() {
            // kustomize rewrites every object's annotations as strings at the end, and drops
            // them when there are none.
            if let Some(meta) = tree::get_mut(&mut r.node, "metadata") {
                match meta.get("annotations") {
                    Some(a) if tree::is_empty_object(a) => {
                        tree::remove(meta, "annotations");
                    }
                    Some(_) => {
                        if let Some(Value::Map(entries)) =
                            tree::get_mut(meta, "annotations").map(|a| &mut a.value)
                        {
                            tree::stringify(entries);
                        }
                    }
                    None => {}
                }
            }
        }
    }
}

/// Where a scalar's text is written verbatim in the kustomization: `(offset in the file, text)`.
fn raw_source<'k>(kust: &'k Kust, node: &Node) -> Option<(u32, &'k str)> {
    let scalar = node.as_scalar()?;
    let start = node.range.start.checked_sub(kust.base)? as usize;
    let end = node.range.end.checked_sub(kust.base)? as usize;
    let source = kust.text.get(start..end)?;
    match scalar.style {
        ScalarStyle::Literal => {
            let body = source.find('\n')? + 1;
            Some(((start + body) as u32, &source[body..]))
        }
        ScalarStyle::Plain if source == scalar.text => Some((start as u32, source)),
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
            if source.len() >= 2 && source[1..source.len() - 1] == scalar.text =>
        {
            Some(((start + 1) as u32, &source[1..source.len() - 1]))
        }
        _ => None,
    }
}

/// Gives every node of a tree the range (and alias) of `at`.
fn collapse(node: &mut Node, at: &Node) {
    node.range = at.range;
    node.alias = at.alias;
    match &mut node.value {
        Value::Scalar(_) => {}
        Value::Seq(items) => items.iter_mut().for_each(|n| collapse(n, at)),
        Value::Map(entries) => entries.iter_mut().for_each(|e| {
            collapse(&mut e.key, at);
            collapse(&mut e.value, at);
        }),
    }
}

/// kustomize's default order of kinds.
const ORDER_FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];
const ORDER_LAST: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

struct SortKey {
    rank: (u8, usize),
    gvk: String,
    namespace: bool,
    core_group: bool,
    id: String,
    index: usize,
}

/// Output order: kustomize's legacy order unless `sortOptions` asks for `fifo` or other lists.
fn order(resources: &mut Vec<Res>, sort: Option<&Node>) {
    let strings = |n: Option<&Node>| -> Option<Vec<String>> {
        n.map(|n| {
            n.items()
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect()
        })
    };
    let (first, last) = match sort {
        Some(s) if tree::field(s, "order") == "fifo" => return,
        Some(s) => {
            let legacy = s.get("legacySortOptions");
            (
                strings(legacy.and_then(|l| l.get("orderFirst"))),
                strings(legacy.and_then(|l| l.get("orderLast"))),
            )
        }
        None => (None, None),
    };
    let first = first.unwrap_or_else(|| ORDER_FIRST.iter().map(|s| (*s).to_owned()).collect());
    let last = last.unwrap_or_else(|| ORDER_LAST.iter().map(|s| (*s).to_owned()).collect());
    // The kinds listed first, then the others, then the kinds listed last.
    let rank = |kind: &str| -> (u8, usize) {
        if let Some(i) = first.iter().position(|k| k == kind) {
            return (0, i);
        }
        last.iter()
            .position(|k| k == kind)
            .map_or((1, 0), |i| (2, i))
    };
    let gvk_string = |id: &ResId| {
        let or = |s: &str, d: &str| {
            if s.is_empty() {
                d.to_owned()
            } else {
                s.to_owned()
            }
        };
        format!(
            "{}_{}_{}",
            or(&id.gvk.group, "~G"),
            or(&id.gvk.version, "~V"),
            or(&id.gvk.kind, "~K")
        )
    };
    let id_string = |r: &Res, id: &ResId| {
        let or = |s: &str, d: &str| {
            if s.is_empty() {
                d.to_owned()
            } else {
                s.to_owned()
            }
        };
        format!(
            "{}.{}.{}|{}|{}",
            or(&id.gvk.kind, "[noKind]"),
            or(&id.gvk.version, "[noVer]"),
            or(&id.gvk.group, "[noGrp]"),
            or(r.namespace(), "~X"),
            or(&id.name, "~N")
        )
    };
    let mut keyed: Vec<SortKey> = resources
        .iter()
        .enumerate()
        .map(|(index, r)| {
            let id = r.cur_id();
            SortKey {
                rank: rank(&id.gvk.kind),
                gvk: gvk_string(&id),
                namespace: id.gvk.kind == "Namespace",
                core_group: id.gvk.group.is_empty(),
                id: id_string(r, &id),
                index,
            }
        })
        .collect();
    keyed.sort_by(|a, b| {
        a.rank
            .cmp(&b.rank)
            .then_with(|| {
                // kustomize puts core Namespaces after other groups' Namespace kinds.
                if a.gvk != b.gvk && a.namespace && b.namespace && (a.core_group || b.core_group) {
                    b.gvk.cmp(&a.gvk)
                } else {
                    a.gvk.cmp(&b.gvk)
                }
            })
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut taken: Vec<Option<Res>> = resources.drain(..).map(Some).collect();
    resources.extend(keyed.into_iter().filter_map(|k| taken[k.index].take()));
}
