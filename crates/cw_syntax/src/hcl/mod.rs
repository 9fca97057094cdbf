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
pub fn parse_hcl(text: &str) -> HclFile {
    if let Err(e) = guard::check(text, guard::Start::Body, 0) {
        return HclFile {
            body: Body::default(),
            errors: vec![e],
            syntax: Syntax::Native,
        };
    }
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => HclFile {
            body: Converter {
                src: text,
                base: 0,
                fixed: None,
            }
            .body(&body),
            errors: Vec::new(),
            syntax: Syntax::Native,
        },
        Err(e) => HclFile {
            body: Body::default(),
            errors: vec![native::error(text, &e, 0)],
            syntax: Syntax::Native,
        },
    }
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
