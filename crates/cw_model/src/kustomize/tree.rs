//! Small helpers to read and edit the spanned tree in place.

use cw_diagnostics::TextRange;
use cw_syntax::yaml::{Entry, Node, Scalar, ScalarStyle, Value};

/// A string scalar that kustomize wrote (its text is a string whatever it looks like).
pub(super) fn string(text: impl Into<String>, range: TextRange) -> Node {
    Node {
        value: Value::Scalar(Scalar {
            text: text.into(),
            style: ScalarStyle::DoubleQuoted,
        }),
        range,
        tag: None,
        alias: None,
    }
}

/// A plain scalar (a number, a boolean) that kustomize wrote.
pub(super) fn plain(text: impl Into<String>, range: TextRange) -> Node {
    Node {
        value: Value::Scalar(Scalar {
            text: text.into(),
            style: ScalarStyle::Plain,
        }),
        range,
        tag: None,
        alias: None,
    }
}

pub(super) fn map(entries: Vec<Entry>, range: TextRange) -> Node {
    Node {
        value: Value::Map(entries),
        range,
        tag: None,
        alias: None,
    }
}

/// A copy of a kustomization scalar as the string kustomize reads it (`~` and an empty plain
/// scalar are `""`), keeping where it is written.
pub(super) fn string_from(node: &Node) -> Node {
    let text = text_of(node);
    let style = match node.as_scalar().map(|s| s.style) {
        Some(style @ (ScalarStyle::SingleQuoted | ScalarStyle::Literal | ScalarStyle::Folded)) => {
            style
        }
        _ => ScalarStyle::DoubleQuoted,
    };
    Node {
        value: Value::Scalar(Scalar { text, style }),
        range: node.range,
        tag: None,
        alias: node.alias,
    }
}

/// The text of a scalar as a Go string field reads it: `""` for null, the text otherwise; `""`
/// for a collection.
pub(super) fn text_of(node: &Node) -> String {
    node.as_str().unwrap_or_default().to_owned()
}

/// The text of a scalar field (`""` when absent or not a string).
pub(super) fn field<'a>(node: &'a Node, key: &str) -> &'a str {
    node.get(key).and_then(Node::as_str).unwrap_or_default()
}

/// The value of `key`, mutable (the last entry with that key, as [`Node::get`]).
pub(super) fn get_mut<'a>(node: &'a mut Node, key: &str) -> Option<&'a mut Node> {
    match &mut node.value {
        Value::Map(entries) => entries
            .iter_mut()
            .rev()
            .find(|e| e.key_str() == Some(key))
            .map(|e| &mut e.value),
        _ => None,
    }
}

/// Follows mapping keys, mutably.
pub(super) fn path_mut<'a>(node: &'a mut Node, keys: &[&str]) -> Option<&'a mut Node> {
    keys.iter().try_fold(node, |n, k| get_mut(n, k))
}

/// Sets `key` to `value`: replaces the value of an existing entry (keeping its key node) or
/// appends the entry. Does nothing on a node that is not a mapping.
pub(super) fn set(node: &mut Node, key: Node, value: Node) {
    let Value::Map(entries) = &mut node.value else {
        return;
    };
    let name = key.as_scalar().map(|s| s.text.clone());
    if let Some(e) = entries
        .iter_mut()
        .rev()
        .find(|e| name.is_some() && e.key_str() == name.as_deref())
    {
        e.value = value;
    } else {
        entries.push(Entry { key, value });
    }
}

/// Removes every entry with key `key`; returns the last one removed.
pub(super) fn remove(node: &mut Node, key: &str) -> Option<Entry> {
    let Value::Map(entries) = &mut node.value else {
        return None;
    };
    let mut removed = None;
    let mut i = 0;
    while i < entries.len() {
        if entries[i].key_str() == Some(key) {
            removed = Some(entries.remove(i));
        } else {
            i += 1;
        }
    }
    removed
}

/// The mapping at `key`, created (with `range`) when missing or null. `None` when the value is
/// something else.
pub(super) fn map_at<'a>(node: &'a mut Node, key: &str, range: TextRange) -> Option<&'a mut Node> {
    let present = node.get(key).is_some_and(|v| v.is_map() || v.is_null());
    if !present {
        if node.get(key).is_some() || !node.is_map() {
            return None;
        }
        set(node, string(key, range), map(Vec::new(), range));
    }
    let value = get_mut(node, key)?;
    if value.is_null() {
        value.value = Value::Map(Vec::new());
    }
    Some(value)
}

/// Whether a node is absent, null or an empty mapping.
pub(super) fn is_empty_object(node: &Node) -> bool {
    node.is_null() || matches!(&node.value, Value::Map(m) if m.is_empty())
}

/// The string pairs of a mapping of scalars (`commonLabels`, `labels[].pairs`...), as
/// `(key node, value node)`.
pub(super) fn string_pairs(node: &Node) -> Vec<(&Node, &Node)> {
    node.entries()
        .iter()
        .filter(|e| e.key.as_scalar().is_some() && e.value.as_scalar().is_some())
        .map(|e| (&e.key, &e.value))
        .collect()
}

/// The labels (or annotations) of an object as key/text pairs.
pub(super) fn string_map(node: Option<&Node>) -> Vec<(String, String)> {
    node.map(|n| {
        n.entries()
            .iter()
            .filter_map(|e| Some((e.key_str()?.to_owned(), text_of(&e.value))))
            .collect()
    })
    .unwrap_or_default()
}

/// Rewrites the scalar values of a mapping's entries as strings with their text as written
/// (`null` becomes the text `null`), as kustomize does when it rewrites labels or annotations.
pub(super) fn stringify(entries: &mut [Entry]) {
    for e in entries {
        if let Some(s) = e.value.as_scalar() {
            let mut value = string(s.text.clone(), e.value.range);
            value.alias = e.value.alias;
            e.value = value;
        }
    }
}
