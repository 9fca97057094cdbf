//! JSON (and JSONC) into the same spanned tree as YAML, through jsonc-parser's AST.
//!
//! Accepted: JSON plus what JSONC editors accept, `//` and `/* */` comments and trailing commas.
//! JSON5 extensions (single quotes, unquoted keys, hex numbers, `NaN`...) are errors, since the
//! tools that read these files (CloudFormation, Terraform, kubectl) reject them.

use cw_diagnostics::TextRange;
use jsonc_parser::ast;
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

use super::mapping::remove_duplicates;
use super::{Document, DuplicateKey, Entry, Node, Scalar, ScalarStyle, Value, YamlError, YamlFile};

pub(super) fn parse(text: &str) -> YamlFile {
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Separate,
        tokens: false,
    };
    let options = ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let mut out = YamlFile::default();
    match jsonc_parser::parse_to_ast(text, &collect, &options) {
        Ok(result) => {
            if let Some(comments) = result.comments {
                // Each run of comments is stored under two keys (the token before and after).
                let mut ranges: Vec<TextRange> = comments
                    .values()
                    .flat_map(|run| run.iter().map(|c| to_range(c.range())))
                    .collect();
                ranges.sort_unstable();
                ranges.dedup();
                out.comments = ranges;
            }
            if let Some(value) = result.value {
                let root = node(value, &mut out.duplicate_keys);
                let range = root.range;
                out.documents.push(Document { root, range });
            }
        }
        Err(error) => {
            let message = error.kind().to_string();
            let mut chars = message.chars();
            let message = match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => message,
            };
            let range = to_range(error.range());
            let range = TextRange::new(
                range.start.min(text.len() as u32),
                range.end.min(text.len() as u32),
            );
            out.errors.push(YamlError { range, message });
        }
    }
    out
}

fn to_range(range: jsonc_parser::common::Range) -> TextRange {
    TextRange::from_usize(range.start, range.end.max(range.start))
}

fn scalar(text: String, style: ScalarStyle, range: jsonc_parser::common::Range) -> Node {
    Node {
        value: Value::Scalar(Scalar { text, style }),
        range: to_range(range),
        tag: None,
        alias: None,
    }
}

/// Recursion is bounded by jsonc-parser's nesting limit (512).
fn node(value: ast::Value<'_>, duplicates: &mut Vec<DuplicateKey>) -> Node {
    match value {
        ast::Value::StringLit(s) => scalar(s.value.into_owned(), ScalarStyle::JsonString, s.range),
        ast::Value::NumberLit(n) => scalar(n.value.to_owned(), ScalarStyle::JsonLiteral, n.range),
        ast::Value::BooleanLit(b) => scalar(b.value.to_string(), ScalarStyle::JsonLiteral, b.range),
        ast::Value::NullKeyword(n) => scalar("null".to_owned(), ScalarStyle::JsonLiteral, n.range),
        ast::Value::Array(array) => Node {
            value: Value::Seq(
                array
                    .elements
                    .into_iter()
                    .map(|v| node(v, duplicates))
                    .collect(),
            ),
            range: to_range(array.range),
            tag: None,
            alias: None,
        },
        ast::Value::Object(object) => {
            let mut entries: Vec<Entry> = object
                .properties
                .into_iter()
                .map(|prop| {
                    let key = match prop.name {
                        ast::ObjectPropName::String(s) => {
                            scalar(s.value.into_owned(), ScalarStyle::JsonString, s.range)
                        }
                        ast::ObjectPropName::Word(w) => {
                            scalar(w.value.to_owned(), ScalarStyle::JsonLiteral, w.range)
                        }
                    };
                    Entry {
                        key,
                        value: node(prop.value, duplicates),
                    }
                })
                .collect();
            remove_duplicates(&mut entries, false, duplicates);
            Node {
                value: Value::Map(entries),
                range: to_range(object.range),
                tag: None,
                alias: None,
            }
        }
    }
}
