//! What happens to a mapping once all its entries are read: duplicate keys (YAML and JSON) and
//! merge keys (YAML only).

use std::collections::{HashMap, HashSet};

use super::{DuplicateKey, Entry, Node, ScalarStyle, Value, YamlError};

/// Above this many entries, duplicates are found with a hash map instead of a scan.
const LINEAR_SCAN_MAX: usize = 16;

/// `<<` written plain (`"<<"` is an ordinary key), untagged or tagged `!!merge`.
fn is_merge_key(key: &Node) -> bool {
    key.as_scalar()
        .is_some_and(|s| s.style == ScalarStyle::Plain && s.text == "<<")
        && key.tag.as_deref().is_none_or(|t| t == "!!merge")
}

/// The key that duplicates are looked for by (not a merge key in YAML).
fn key_of(e: &Entry, yaml: bool) -> Option<&str> {
    if yaml && is_merge_key(&e.key) {
        None
    } else {
        e.key_str()
    }
}

/// Drops the earlier of two entries with the same scalar key (the later value wins, as in most
/// loaders) and records the pair. Keys are compared by text: `a`, `'a'` and `"a"` are one key.
/// With `yaml`, merge keys (`<<`) are left alone: [`apply_merges`] consumes them.
pub(super) fn remove_duplicates(entries: &mut Vec<Entry>, yaml: bool, out: &mut Vec<DuplicateKey>) {
    if entries.len() < 2 {
        return;
    }
    // (earlier index, later index) pairs.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    if entries.len() <= LINEAR_SCAN_MAX {
        for (j, later) in entries.iter().enumerate().skip(1) {
            let Some(key) = key_of(later, yaml) else {
                continue;
            };
            // The nearest earlier entry with this key (any before it was paired already).
            if let Some(i) = (0..j)
                .rev()
                .find(|&i| key_of(&entries[i], yaml) == Some(key))
            {
                pairs.push((i, j));
            }
        }
    } else {
        let mut latest: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
        for (j, e) in entries.iter().enumerate() {
            let Some(key) = key_of(e, yaml) else { continue };
            if let Some(i) = latest.insert(key, j) {
                pairs.push((i, j));
            }
        }
    }
    if pairs.is_empty() {
        return;
    }
    let mut dropped = vec![false; entries.len()];
    for &(i, j) in &pairs {
        dropped[i] = true;
        out.push(DuplicateKey {
            key: entries[j].key_str().unwrap_or_default().to_owned(),
            first: entries[i].key.site_range(),
            duplicate: entries[j].key.site_range(),
        });
    }
    let mut index = 0;
    entries.retain(|_| {
        let keep = !dropped[index];
        index += 1;
        keep
    });
}

/// Applies YAML 1.1 merge keys: `<<: *base` or `<<: [*a, *b]` adds the entries of the merged
/// mappings whose keys the mapping does not have. Keys written in the mapping win wherever they
/// are; among merged mappings the earlier wins. The merged entries take the place of the (first)
/// `<<` entry, which is dropped. A `<<` whose value is not a mapping or a list of mappings is an
/// error and stays as an ordinary entry.
pub(super) fn apply_merges(entries: &mut Vec<Entry>, errors: &mut Vec<YamlError>) {
    if !entries.iter().any(|e| is_merge_key(&e.key)) {
        return;
    }
    let mut present: HashSet<String> = entries
        .iter()
        .filter(|e| !is_merge_key(&e.key))
        .filter_map(|e| e.key_str().map(str::to_owned))
        .collect();
    let mut out = Vec::with_capacity(entries.len());
    let mut merged = Vec::new();
    let mut merged_at = None;
    for entry in entries.drain(..) {
        let valid = is_merge_key(&entry.key)
            && match &entry.value.value {
                Value::Map(_) => true,
                Value::Seq(items) => items.iter().all(Node::is_map),
                Value::Scalar(_) => false,
            };
        if !valid {
            if is_merge_key(&entry.key) {
                errors.push(YamlError {
                    range: entry.value.site_range(),
                    message:
                        "the value of a merge key `<<` must be a mapping or a list of mappings"
                            .to_owned(),
                });
            }
            out.push(entry);
            continue;
        }
        merged_at.get_or_insert(out.len());
        let sources = match entry.value.value {
            Value::Map(map) => vec![map],
            Value::Seq(items) => items
                .into_iter()
                .filter_map(|n| match n.value {
                    Value::Map(map) => Some(map),
                    _ => None,
                })
                .collect(),
            Value::Scalar(_) => Vec::new(),
        };
        for source in sources {
            for e in source {
                let new = e.key_str().is_none_or(|k| present.insert(k.to_owned()));
                if new {
                    merged.push(e);
                }
            }
        }
    }
    if let Some(at) = merged_at {
        out.splice(at..at, merged);
    }
    *entries = out;
}
