//! YAML and JSON with spans: one spanned tree for both, built from saphyr-parser events (YAML) and
//! jsonc-parser (JSON). Multi-document, anchors and aliases resolved, merge keys (`<<`) applied,
//! duplicate keys reported (not fatal), tags kept (`!Ref`, `!reference`).
//!
//! Scalars keep their text as written (after unquoting and folding): `on`, `yes` and `0644` stay
//! strings, and [`Scalar::as_bool_yaml11`] / [`Scalar::as_i64`] read them the way Kubernetes does.

mod comments;
mod json;
mod load;
mod mapping;
mod node;
mod shift;

pub use node::*;

/// Parses a YAML stream. Never fails and never panics: a syntax error is recorded in
/// [`YamlFile::errors`] at its position and ends the parse, keeping the documents before it.
///
/// - A stream with no content (empty, or only comments) has no documents; `---` alone is one
///   document whose root is null.
/// - Aliases are copies of the anchored node (see [`Node::alias`]). Copies are budgeted against
///   "billion laughs": past about ten times the nodes written in the file (at least 100k, at most
///   1M copied nodes), later aliases read as null and an error says so.
/// - Merge keys follow YAML 1.1: `<<: *a` or `<<: [*a, *b]` adds the keys the mapping lacks
///   (written keys win, earlier merged mappings win), and the `<<` entry is dropped.
/// - Of two entries with the same key the later stays (and [`Node::get`] finds it); the pair is in
///   [`YamlFile::duplicate_keys`].
/// - Collections nested deeper than 512 levels stop the parse with an error.
/// - Comments are found by scanning the source (saphyr drops them): see [`YamlFile::comments`].
pub fn parse_yaml(text: &str) -> YamlFile {
    load::parse(text)
}

/// Parses JSON (with JSONC comments and trailing commas) into one document. Never fails and never
/// panics: a syntax error is recorded in [`YamlFile::errors`] and the file has no document.
/// Strings are [`ScalarStyle::JsonString`]; numbers, `true`, `false` and `null` are
/// [`ScalarStyle::JsonLiteral`] with their text as written.
pub fn parse_json(text: &str) -> YamlFile {
    json::parse(text)
}

#[cfg(test)]
mod tests;
