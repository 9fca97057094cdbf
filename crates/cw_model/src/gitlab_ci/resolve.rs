//! From the written files to the configuration GitLab runs, in GitLab's order: included files
//! merged under the main file, then `extends`, then `!reference` tags.
//!
//! Nodes are moved or cloned, never rebuilt, so every value keeps the range where it is written.

use std::collections::HashMap;

use cw_diagnostics::Spanned;
use cw_syntax::yaml::{Entry, Node, Value, YamlFile};

use super::config_root;

/// GitLab's limit for `extends` chains and nested `!reference` tags.
const MAX_NESTING: usize = 10;

pub(crate) const REFERENCE_TAG: &str = "!reference";

#[derive(Clone, Debug, Default)]
pub(super) struct Resolved {
    /// The configuration after includes, `extends` and `!reference`, when it differs from the
    /// main file's.
    pub(super) root: Option<Node>,
    /// Jobs whose `extends` (at any depth) names a template that is not defined, or a cycle.
    pub(super) incomplete: HashMap<String, Vec<Spanned<String>>>,
}

pub(super) fn resolve(main: &YamlFile, includes: &[(String, YamlFile)]) -> Resolved {
    let main_root = config_root(main);
    let included: Vec<&Node> = includes
        .iter()
        .filter_map(|(_, y)| config_root(y))
        .collect();
    let has_extends = |root: &Node| {
        root.entries()
            .iter()
            .any(|e| e.value.get("extends").is_some())
    };
    let needed =
        !included.is_empty() || main_root.is_some_and(|r| has_extends(r) || has_reference(r));
    if !needed {
        return Resolved::default();
    }
    let mut root = match main_root {
        Some(r) => Node {
            value: Value::Map(Vec::new()),
            range: r.range,
            tag: None,
            alias: None,
        },
        None => return Resolved::default(),
    };
    for file in included.into_iter().chain(main_root) {
        let mut file = file.clone();
        if let Value::Map(entries) = &mut file.value {
            entries.retain(|e| e.key_str() != Some("include"));
        }
        deep_merge(&mut root, file);
    }
    let incomplete = apply_extends(&mut root);
    if has_reference(&root) {
        root = resolved_copy(&root, &root, 0);
    }
    Resolved {
        root: Some(root),
        incomplete,
    }
}

/// Merges `over` into `base` as Ruby's `Hash#deep_merge` does: two mappings are merged key by
/// key (the key and value of `over` win, recursively); anything else is replaced by `over`.
pub(super) fn deep_merge(base: &mut Node, over: Node) {
    if !(base.is_map() && over.is_map()) {
        *base = over;
        return;
    }
    let Node {
        value,
        range,
        tag,
        alias,
    } = over;
    base.range = range;
    base.tag = tag;
    base.alias = alias;
    let (Value::Map(entries), Value::Map(over_entries)) = (&mut base.value, value) else {
        return;
    };
    for e in over_entries {
        let at = e
            .key_str()
            .and_then(|k| entries.iter().position(|b| b.key_str() == Some(k)));
        match at {
            Some(i) => {
                let Entry { key, value } = e;
                entries[i].key = key;
                deep_merge(&mut entries[i].value, value);
            }
            None => entries.push(e),
        }
    }
}

/// Applies `extends` to every top-level mapping that has it. Returns the jobs whose chain names
/// an undefined template or a cycle, with those names.
fn apply_extends(root: &mut Node) -> HashMap<String, Vec<Spanned<String>>> {
    let mut incomplete = HashMap::new();
    let mut done: Vec<(usize, Node)> = Vec::new();
    for (i, e) in root.entries().iter().enumerate() {
        if !e.value.is_map() || e.value.get("extends").is_none() {
            continue;
        }
        let Some(name) = e.key_str() else { continue };
        let mut stack = vec![name.to_string()];
        let mut missing = Vec::new();
        let node = extended(root, &e.value, &mut stack, &mut missing);
        if !missing.is_empty() {
            incomplete.insert(name.to_string(), missing);
        }
        done.push((i, node));
    }
    if let Value::Map(entries) = &mut root.value {
        for (i, node) in done {
            entries[i].value = node;
        }
    }
    incomplete
}

/// `job` with its `extends` applied: the templates merged in order (a later one over an earlier
/// one), then the job over them. `stack` holds the names being extended (cycle guard).
fn extended(
    root: &Node,
    job: &Node,
    stack: &mut Vec<String>,
    missing: &mut Vec<Spanned<String>>,
) -> Node {
    let bases: Vec<&Node> = match job.get("extends") {
        Some(n) if n.is_seq() => n.items().iter().collect(),
        Some(n) => vec![n],
        None => Vec::new(),
    };
    if bases.is_empty() {
        return job.clone();
    }
    let mut out = Node {
        value: Value::Map(Vec::new()),
        range: job.range,
        tag: None,
        alias: None,
    };
    for base in bases {
        let Some(name) = base.as_str() else {
            continue;
        };
        let target = root.get(name).filter(|t| t.is_map());
        match target {
            Some(t) if !stack.iter().any(|s| s == name) && stack.len() <= MAX_NESTING => {
                stack.push(name.to_string());
                let node = extended(root, t, stack, missing);
                stack.pop();
                deep_merge(&mut out, node);
            }
            _ => missing.push(Spanned::new(name.to_string(), base.site_range())),
        }
    }
    deep_merge(&mut out, job.clone());
    out
}

/// Whether a `!reference` tag appears anywhere under `node`.
fn has_reference(node: &Node) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.tag.as_deref() == Some(REFERENCE_TAG) {
            return true;
        }
        stack.extend(n.children());
    }
    false
}

/// A copy of `node` where each `!reference [key, key...]` whose target `root` defines is replaced
/// by (a resolved copy of) the target; the others stay as written (unknown to readers).
fn resolved_copy(node: &Node, root: &Node, depth: usize) -> Node {
    if node.tag.as_deref() == Some(REFERENCE_TAG) {
        if depth < MAX_NESTING
            && let Some(target) = reference_target(node, root)
        {
            return resolved_copy(target, root, depth + 1);
        }
        return node.clone();
    }
    let value = match &node.value {
        Value::Scalar(s) => Value::Scalar(s.clone()),
        Value::Seq(items) => Value::Seq(
            items
                .iter()
                .map(|n| resolved_copy(n, root, depth))
                .collect(),
        ),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|e| Entry {
                    key: e.key.clone(),
                    value: resolved_copy(&e.value, root, depth),
                })
                .collect(),
        ),
    };
    Node {
        value,
        range: node.range,
        tag: node.tag.clone(),
        alias: node.alias,
    }
}

/// The node a `!reference [.setup, script]` points at: a top-level key, then keys below it.
fn reference_target<'a>(node: &Node, root: &'a Node) -> Option<&'a Node> {
    let mut keys = node.items().iter();
    let first = keys.next()?.as_str()?;
    let mut target = root.get(first)?;
    for k in keys {
        target = target.get(k.as_str()?)?;
    }
    Some(target)
}

/// Whether `node` is a `!reference` that could not be resolved.
pub(crate) fn is_unresolved(node: &Node) -> bool {
    node.tag.as_deref() == Some(REFERENCE_TAG)
}
