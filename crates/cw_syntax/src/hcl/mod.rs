//! HCL with spans: Terraform's native syntax (`*.tf`, `*.tfvars`) through hcl-edit, and its JSON
//! syntax (`*.tf.json`) through our JSON parser, both into one AST ([`Body`], [`Block`],
//! [`Attribute`], [`Expr`]) with a byte range on every block, attribute and expression.
//!
//! Parsing never fails and never panics: a syntax error is recorded in [`HclFile::errors`] with
//! its exact position, and the body is then empty. hcl-edit bounds nesting (64 levels of
//! brackets, blocks and templates; 128 chained binary operators), so neither parsing nor a
//! recursive walk of the tree can overflow the stack. A linear pre-scan (`guard`) rejects the
//! rare invalid input on which hcl-edit's backtracking would take exponential time.

mod ast;
mod guard;
mod json;
mod native;
mod shift;
mod template;

pub use ast::*;

use cw_diagnostics::TextRange;
use native::Converter;

/// Parses a native-syntax file (`.tf`, `.tfvars`).
///
/// Terraform accepts an object constructor that repeats a key (the last value wins); hcl-edit
/// rejects it. Such a key is renamed in a copy of the text to a name of the same length before
/// parsing again, and given its name back in the tree, so ranges stay exact and the evaluator
/// sees both items in order.
pub fn parse_hcl(text: &str) -> HclFile {
    if let Err(e) = guard::check(text, guard::Start::Body, 0) {
        return HclFile {
            body: Body::default(),
            errors: vec![e],
            syntax: Syntax::Native,
        };
    }
    let mut renamed: Vec<(usize, String)> = Vec::new();
    let mut patched: Option<String> = None;
    // Each round renames one key; a file with more repeated keys than this is reported.
    for _ in 0..64 {
        let src = patched.as_deref().unwrap_or(text);
        let err = match hcl_edit::parser::parse_body(src) {
            Ok(body) => {
                return HclFile {
                    body: Converter {
                        src,
                        base: 0,
                        fixed: None,
                        renamed: &renamed,
                    }
                    .body(&body),
                    errors: Vec::new(),
                    syntax: Syntax::Native,
                };
            }
            Err(e) => e,
        };
        let at = err.location().offset();
        let attempt = renamed.iter().filter(|(o, _)| *o == at).count();
        match (
            err.message().contains("redefined object key"),
            rename_key(src, at, attempt),
        ) {
            (true, Some((name, patch))) => {
                // A retry at the same key (the new name collided) keeps the first name.
                let first = attempt == 0;
                renamed.push((at, if first { name } else { String::new() }));
                patched = Some(patch);
            }
            _ => {
                return HclFile {
                    body: Body::default(),
                    errors: vec![native::error(text, &err, 0)],
                    syntax: Syntax::Native,
                };
            }
        }
    }
    HclFile {
        body: Body::default(),
        errors: vec![HclError {
            range: TextRange::empty(0),
            message: "too many repeated object keys".to_owned(),
        }],
        syntax: Syntax::Native,
    }
}

/// The key at `at` (an identifier or a string without escapes) and the text with that key
/// replaced by a name of the same length (the `attempt`-th candidate, should one collide).
fn rename_key(text: &str, at: usize, attempt: usize) -> Option<(String, String)> {
    // `Z`, then digits: unlikely as a real key, and a valid identifier of any length.
    const FIRST: &[u8] = b"ZQXJKVWY";
    let rest = text.get(at..)?;
    let (name, start, len) = if let Some(quoted) = rest.strip_prefix('"') {
        let end = quoted.find(['"', '\\', '$', '%', '\n'])?;
        if !quoted[end..].starts_with('"') {
            return None;
        }
        (&quoted[..end], at + 1, end)
    } else {
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        (&rest[..len], at, len)
    };
    if len == 0 {
        return None;
    }
    let first = *FIRST.get(attempt)?;
    let mut placeholder = String::with_capacity(len);
    placeholder.push(char::from(first));
    for i in 1..len {
        placeholder.push(char::from(b'0' + u8::try_from(i % 10).unwrap_or(0)));
    }
    let mut patched = String::with_capacity(text.len());
    patched.push_str(&text[..start]);
    patched.push_str(&placeholder);
    patched.push_str(&text[start + len..]);
    Some((name.to_owned(), patched))
}

/// Parses a JSON-syntax file (`.tf.json`); see [`Syntax::Json`].
pub fn parse_tf_json(text: &str) -> HclFile {
    json::parse(text)
}

/// Parses one expression (a `--var` value, a `TF_VAR_` value), with ranges starting at `base`.
pub fn parse_expr(text: &str, base: u32) -> Result<Expr, HclError> {
    guard::check(text, guard::Start::Expr, base)?;
    match hcl_edit::parser::parse_expr(text) {
        Ok(e) => Ok(Converter {
            src: text,
            base,
            fixed: None,
            renamed: &[],
        }
        .expr(&e)),
        Err(e) => Err(native::error(text, &e, base)),
    }
}

/// Parses a template file (`templatefile()`): literal text with interpolations and directives.
/// As in Terraform, each line of literal text is a token of its own for the strip markers.
pub fn parse_template(text: &str, base: u32) -> Result<Expr, HclError> {
    guard::check(text, guard::Start::Template, base)?;
    match hcl_edit::parser::parse_template(text) {
        Ok(t) => {
            let conv = Converter {
                src: text,
                base,
                fixed: None,
                renamed: &[],
            };
            let mut expr = conv.template_file(&t);
            expr.range = TextRange::from_usize(0, text.len()).shift(base);
            Ok(expr)
        }
        Err(e) => Err(native::error(text, &e, base)),
    }
}

#[cfg(test)]
mod tests;
