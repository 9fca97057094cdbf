//! `configMapGenerator` and `secretGenerator`, and the name suffix hash.

use cw_diagnostics::TextRange;
use cw_syntax::yaml::{Entry, Node, Value};

use super::build::{Builder, Kust};
use super::resource::{Behavior, Res};
use super::{sha256, tree, value};

/// One key of generated data, with the node that wrote it.
struct Pair {
    key: String,
    value: String,
    key_range: TextRange,
    value_range: TextRange,
}

/// Runs the kustomization's generators and absorbs what they make into `ra`.
pub(super) fn run(b: &mut Builder<'_>, kust: &Kust, ra: &mut Vec<Res>) {
    let options = kust.get("generatorOptions");
    for (key, secret) in [("configMapGenerator", false), ("secretGenerator", true)] {
        let Some(list) = kust.get(key) else { continue };
        for args in list.items() {
            if let Some(res) = generate(b, kust, args, options, secret) {
                absorb(b, ra, res, args.site_range());
            }
        }
    }
}

/// The options of one generator: its own, completed by `generatorOptions`.
struct Options<'a> {
    labels: Vec<(&'a Node, &'a Node)>,
    annotations: Vec<(&'a Node, &'a Node)>,
    disable_hash: bool,
    immutable: Option<&'a Node>,
}

fn options<'a>(local: Option<&'a Node>, global: Option<&'a Node>) -> Options<'a> {
    let pairs = |key: &str| {
        let mut out: Vec<(&Node, &Node)> = local
            .and_then(|l| l.get(key))
            .map(tree::string_pairs)
            .unwrap_or_default();
        for (k, v) in global
            .and_then(|g| g.get(key))
            .map(tree::string_pairs)
            .unwrap_or_default()
        {
            if !out.iter().any(|(o, _)| o.as_scalar() == k.as_scalar()) {
                out.push((k, v));
            }
        }
        out.sort_by_key(|(k, _)| tree::text_of(k));
        out
    };
    let flag = |key: &str| {
        [local, global]
            .into_iter()
            .flatten()
            .filter_map(|o| o.get(key))
            .find(|n| n.as_bool() == Some(true))
    };
    Options {
        labels: pairs("labels"),
        annotations: pairs("annotations"),
        disable_hash: flag("disableNameSuffixHash").is_some(),
        immutable: flag("immutable"),
    }
}

fn generate(
    b: &mut Builder<'_>,
    kust: &Kust,
    args: &Node,
    global: Option<&Node>,
    secret: bool,
) -> Option<Res> {
    let at = args.site_range();
    let Some(name_node) = args
        .get("name")
        .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
    else {
        b.invalid(at, "a generated ConfigMap or Secret needs a `name`");
        return None;
    };
    let pairs = data(b, kust, args)?;
    let mut seen = std::collections::HashSet::new();
    for p in &pairs {
        if !valid_key(&p.key) {
            b.invalid(
                p.key_range,
                format!("`{}` is not a valid ConfigMap or Secret key", p.key),
            );
            return None;
        }
        if !seen.insert(p.key.clone()) {
            b.invalid(p.key_range, format!("the key `{}` is given twice", p.key));
            return None;
        }
    }
    let opts = options(args.get("options"), global);
    let mut metadata = vec![Entry {
        key: tree::string("name", name_node.range),
        value: tree::string_from(name_node),
    }];
    let namespace = args
        .entry("namespace")
        .filter(|e| e.value.as_str().is_some_and(|s| !s.is_empty()));
    if let Some(ns) = namespace {
        metadata.push(Entry {
            key: tree::string("namespace", ns.key.range),
            value: tree::string_from(&ns.value),
        });
    }
    for (key, list) in [("labels", &opts.labels), ("annotations", &opts.annotations)] {
        if list.is_empty() {
            continue;
        }
        let entries = list
            .iter()
            .map(|(k, v)| Entry {
                key: tree::string_from(k),
                value: tree::string_from(v),
            })
            .collect();
        metadata.push(Entry {
            key: tree::string(key, at),
            value: tree::map(entries, at),
        });
    }
    let kind = if secret { "Secret" } else { "ConfigMap" };
    let mut entries = vec![
        Entry {
            key: tree::string("apiVersion", at),
            value: tree::string("v1", at),
        },
        Entry {
            key: tree::string("kind", at),
            value: tree::string(kind, at),
        },
        Entry {
            key: tree::string("metadata", at),
            value: tree::map(metadata, at),
        },
    ];
    if secret {
        let ty = args
            .get("type")
            .filter(|t| t.as_str().is_some_and(|s| !s.is_empty()));
        entries.push(Entry {
            key: tree::string("type", at),
            value: ty.map_or_else(|| tree::string("Opaque", at), tree::string_from),
        });
    }
    let mut sorted = pairs;
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    let data: Vec<Entry> = sorted
        .into_iter()
        .map(|p| Entry {
            key: tree::string(p.key, p.key_range),
            value: tree::string(
                if secret { base64(&p.value) } else { p.value },
                p.value_range,
            ),
        })
        .collect();
    if secret || !data.is_empty() {
        entries.push(Entry {
            key: tree::string("data", at),
            value: tree::map(data, at),
        });
    }
    if let Some(immutable) = opts.immutable {
        entries.push(Entry {
            key: tree::string("immutable", immutable.range),
            value: tree::plain("true", immutable.range),
        });
    }
    let mut res = Res::new(tree::map(entries, at));
    res.needs_hash = !opts.disable_hash;
    res.behavior = match tree::field(args, "behavior") {
        "create" => Behavior::Create,
        "merge" => Behavior::Merge,
        "replace" => Behavior::Replace,
        _ => Behavior::Unspecified,
    };
    res.namespace_set_by = namespace.map(Entry::range);
    Some(res)
}

/// The key/value pairs of a generator: `envs` (and `env`), then `literals`, then `files`.
fn data(b: &mut Builder<'_>, kust: &Kust, args: &Node) -> Option<Vec<Pair>> {
    let mut out = Vec::new();
    let env_files: Vec<&Node> = args
        .get("envs")
        .map_or(&[][..], Node::items)
        .iter()
        .chain(args.get("env").filter(|n| !n.is_null()))
        .collect();
    for item in env_files {
        let text = item.as_str().unwrap_or_default();
        let (loaded, _) = load_source(b, kust, item, text)?;
        out.extend(env_pairs(b, &loaded.text, loaded.base)?);
    }
    for item in args.get("literals").map_or(&[][..], Node::items) {
        let text = item.as_str().unwrap_or_default();
        let Some((k, v)) = text.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            b.invalid(
                item.site_range(),
                format!("invalid literal `{text}`, expected key=value"),
            );
            return None;
        };
        let value = remove_quotes(v);
        let (key_range, value_range) = literal_ranges(item, k.len(), value.len(), v.len());
        out.push(Pair {
            key: k.to_owned(),
            value: value.to_owned(),
            key_range,
            value_range,
        });
    }
    for item in args.get("files").map_or(&[][..], Node::items) {
        let source = item.as_str().unwrap_or_default();
        let (key, path) = match source.matches('=').count() {
            0 => (
                source.rsplit('/').next().unwrap_or(source).to_owned(),
                source,
            ),
            1 if !source.starts_with('=') && !source.ends_with('=') => {
                let (k, p) = source.split_once('=').unwrap_or_default();
                (k.to_owned(), p)
            }
            _ => {
                b.invalid(
                    item.site_range(),
                    format!("invalid file source `{source}`, expected [key=]path"),
                );
                return None;
            }
        };
        let (loaded, _) = load_source(b, kust, item, path)?;
        let len = loaded.text.len() as u32;
        out.push(Pair {
            key,
            value: loaded.text.to_string(),
            key_range: item.site_range(),
            value_range: TextRange::new(loaded.base, loaded.base + len),
        });
    }
    Some(out)
}

/// Ranges of a `key=value` literal item's parts, when its source maps onto its text.
fn literal_ranges(
    item: &Node,
    key_len: usize,
    value_len: usize,
    raw_len: usize,
) -> (TextRange, TextRange) {
    let whole = item.site_range();
    let text_len = item.as_scalar().map_or(0, |s| s.text.len());
    let quote = match item.as_scalar().map(|s| s.style) {
        Some(cw_syntax::yaml::ScalarStyle::Plain) => 0,
        Some(
            cw_syntax::yaml::ScalarStyle::SingleQuoted | cw_syntax::yaml::ScalarStyle::DoubleQuoted,
        ) => 1,
        _ => return (whole, whole),
    };
    if item.alias.is_some() || whole.len() as usize != text_len + 2 * quote {
        return (whole, whole);
    }
    let start = whole.start + quote as u32;
    let key = TextRange::new(start, start + key_len as u32);
    let value_start = start + key_len as u32 + 1;
    let inner = (raw_len - value_len) / 2;
    let value = TextRange::new(
        value_start + inner as u32,
        value_start + (inner + value_len) as u32,
    );
    (key, value)
}

fn load_source(
    b: &mut Builder<'_>,
    kust: &Kust,
    item: &Node,
    path: &str,
) -> Option<(super::Loaded, String)> {
    let Some(joined) = kust.join(path) else {
        b.invalid(
            item.site_range(),
            format!("absolute path `{path}` is not followed"),
        );
        return None;
    };
    let Some(loaded) = b.load(&joined) else {
        b.invalid(item.site_range(), format!("`{path}` does not exist"));
        return None;
    };
    Some((loaded, joined))
}

/// The pairs of an env file: `KEY=value` lines; blank lines and `#` comments skipped; a line
/// without `=` is a key with an empty value.
fn env_pairs(b: &mut Builder<'_>, text: &str, base: u32) -> Option<Vec<Pair>> {
    let mut out = Vec::new();
    let mut offset = 0usize;
    for (i, raw) in text.split('\n').enumerate() {
        let line_start = offset;
        offset += raw.len() + 1;
        let mut line = raw.strip_suffix('\r').unwrap_or(raw);
        let mut start = line_start;
        if i == 0
            && let Some(rest) = line.strip_prefix('\u{feff}')
        {
            start += 3;
            line = rest;
        }
        let trimmed = line.trim_start();
        start += line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (key, value) = trimmed.split_once('=').unwrap_or((trimmed, ""));
        let key_range = TextRange::from_usize(start, start + key.len()).shift(base);
        if !valid_env_name(key) {
            b.invalid(
                key_range,
                format!("`{key}` is not a valid environment variable name"),
            );
            return None;
        }
        let value_start = start + key.len() + usize::from(trimmed.len() > key.len());
        out.push(Pair {
            key: key.to_owned(),
            value: value.to_owned(),
            key_range,
            value_range: TextRange::from_usize(value_start, value_start + value.len()).shift(base),
        });
    }
    Some(out)
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 253
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn valid_env_name(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '_' | '.'))
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Removes one pair of matching surrounding quotes.
fn remove_quotes(s: &str) -> &str {
    let bytes = s.as_bytes();
    if bytes.len() >= 2 && bytes[0] == bytes[bytes.len() - 1] && matches!(bytes[0], b'"' | b'\'') {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

/// The length of kustomize's base64 lines.
const LINE: usize = 70;

/// Base64 as kustomize writes Secret data: standard alphabet, padded, and broken into lines of
/// 70 characters (each ending with a line break) once longer than that.
fn base64(s: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = s.as_bytes();
    let mut enc = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                enc.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                enc.push('=');
            }
        }
    }
    let lines = enc.len() / LINE + 1;
    if lines <= 1 {
        return enc;
    }
    let mut out = String::with_capacity(enc.len() + lines);
    for chunk in enc.as_bytes().chunks(LINE) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Adds a generated object: created, or merged into (or replacing) the one of the same id.
fn absorb(b: &mut Builder<'_>, ra: &mut Vec<Res>, mut res: Res, at: TextRange) {
    let id = res.cur_id();
    let matches: Vec<usize> = ra
        .iter()
        .enumerate()
        .filter(|(_, r)| r.any_id_is(&id))
        .map(|(i, _)| i)
        .collect();
    match (matches.as_slice(), res.behavior) {
        ([], Behavior::Merge | Behavior::Replace) => b.invalid(
            at,
            format!(
                "{} `{}` does not exist; cannot merge or replace",
                id.gvk.kind, id.name
            ),
        ),
        ([], _) => ra.push(res),
        ([i], Behavior::Merge | Behavior::Replace) => {
            let old = std::mem::replace(&mut ra[*i], Res::new(Node::default_map()));
            merge_meta(&mut res, &old);
            if res.behavior == Behavior::Merge {
                for key in ["data", "binaryData"] {
                    merge_data(&mut res.node, &old.node, key, at);
                }
            }
            res.behavior = old.behavior;
            ra[*i] = res;
        }
        ([_], _) => b.invalid(
            at,
            format!(
                "{} `{}` already exists; its behavior must be merge or replace",
                id.gvk.kind, id.name
            ),
        ),
        _ => b.invalid(
            at,
            format!("several objects could take {} `{}`", id.gvk.kind, id.name),
        ),
    }
}

trait DefaultMap {
    fn default_map() -> Node;
}

impl DefaultMap for Node {
    fn default_map() -> Node {
        tree::map(Vec::new(), TextRange::default())
    }
}

/// kustomize's `CopyMergeMetaDataFieldsFrom`: labels and annotations merged (the new ones win),
/// name, namespace and the build history taken from the old object.
fn merge_meta(new: &mut Res, old: &Res) {
    let at = new.node.range;
    for key in ["labels", "annotations"] {
        let old_map = old.node.path(&["metadata", key]).cloned();
        let Some(old_map) = old_map.filter(Node::is_map) else {
            continue;
        };
        let Some(meta) = new.metadata_mut(at) else {
            return;
        };
        let Some(target) = tree::map_at(meta, key, at) else {
            continue;
        };
        for e in old_map.entries() {
            if let Some(k) = e.key_str()
                && target.get(k).is_none()
            {
                tree::set(target, e.key.clone(), e.value.clone());
            }
        }
    }
    let name = old.node.path(&["metadata", "name"]).cloned();
    let namespace = old
        .node
        .entry("metadata")
        .and_then(|m| m.value.entry("namespace"))
        .cloned();
    if let Some(meta) = new.metadata_mut(at) {
        if let Some(name) = name
            && let Some(slot) = tree::get_mut(meta, "name")
        {
            *slot = name;
        }
        tree::remove(meta, "namespace");
        if let Some(ns) = namespace {
            tree::set(meta, ns.key, ns.value);
        }
    }
    new.previous.clone_from(&old.previous);
    new.prefixes.clone_from(&old.prefixes);
    new.suffixes.clone_from(&old.suffixes);
    new.needs_hash = old.needs_hash && new.needs_hash;
    new.namespace_set_by = old.namespace_set_by;
}

fn merge_data(new: &mut Node, old: &Node, key: &str, at: TextRange) {
    let Some(old_map) = old.get(key).filter(|m| m.is_map()) else {
        return;
    };
    let Some(target) = tree::map_at(new, key, at) else {
        return;
    };
    let mut merged: Vec<Entry> = Vec::new();
    for e in old_map.entries() {
        if e.key_str().is_some_and(|k| target.get(k).is_none()) {
            merged.push(e.clone());
        }
    }
    if let Value::Map(entries) = &mut target.value {
        entries.extend(merged);
        entries.sort_by(|a, b| a.key_str().cmp(&b.key_str()));
    }
}

/// kustomize's name suffix hash of a generated object: the SHA-256 of a JSON encoding of its
/// kind, type and data (the name is not part of it), the first ten hex digits with `0`, `1`,
/// `3`, `a` and `e` replaced so that the suffix cannot read as a number or a word.
pub(super) fn hash(node: &Node) -> String {
    let kind = tree::field(node, "kind");
    let mut json = String::new();
    let field = |json: &mut String, key: &str| match node.get(key) {
        None => json.push_str("\"\""),
        Some(v) if v.as_scalar().is_some() => value::json_string(json, &tree::text_of(v)),
        Some(v) => value::json(json, v),
    };
    match kind {
        "ConfigMap" | "Secret" => {
            // Keys in sorted order, as Go's json.Marshal of a map writes them.
            let extra = if kind == "ConfigMap" {
                "binaryData"
            } else {
                "stringData"
            };
            let has_extra = node.get(extra).is_some_and(Node::is_map);
            let mut keys = vec!["data", "kind", "name"];
            if kind == "Secret" {
                keys.push("type");
            }
            if has_extra {
                keys.push(extra);
            }
            keys.sort_unstable();
            json.push('{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    json.push(',');
                }
                value::json_string(&mut json, key);
                json.push(':');
                match *key {
                    "kind" => value::json_string(&mut json, kind),
                    "name" => json.push_str("\"\""),
                    key => field(&mut json, key),
                }
            }
            json.push('}');
        }
        _ => value::json(&mut json, node),
    }
    let digest = sha256::digest(json.as_bytes());
    digest
        .iter()
        .flat_map(|b| [b >> 4, b & 15])
        .take(10)
        .map(|d| match d {
            0 => 'g',
            1 => 'h',
            3 => 'k',
            10 => 'm',
            14 => 't',
            d => char::from_digit(u32::from(d), 16).unwrap_or('0'),
        })
        .collect()
}
