//! Terraform's JSON configuration syntax (`*.tf.json`) into the same AST as native HCL.
//!
//! The structure follows Terraform's JSON syntax specification: the root object's properties
//! are block types; a block type with labels nests one object level per label; an array of
//! objects at any of these levels stands for several blocks. Strings in expression positions are
//! templates (`"${var.x}"` is the value of `var.x`); a variable's `default`, `description` and
//! similar literal arguments are taken as written. Properties named `//` are comments.

use cw_diagnostics::{Spanned, TextRange};

use super::ast::{
    Attribute, Block, Body, Expr, ExprKind, HclError, HclFile, ObjectItem, ObjectKey, Syntax,
};
use super::guard;
use super::native::{self, Converter};
use crate::yaml::{self, Node, ScalarStyle, Value};

pub(super) fn parse(text: &str) -> HclFile {
    let parsed = yaml::parse_json(text);
    let mut file = HclFile {
        syntax: Syntax::Json,
        ..HclFile::default()
    };
    file.errors
        .extend(parsed.errors.into_iter().map(|e| HclError {
            range: e.range,
            message: e.message,
        }));
    let Some(doc) = parsed.documents.first() else {
        if file.errors.is_empty() {
            file.errors.push(HclError {
                range: TextRange::empty(0),
                message: "expected a JSON object".to_owned(),
            });
        }
        return file;
    };
    let mut cx = Cx {
        text,
        errors: Vec::new(),
    };
    if doc.root.is_map() {
        file.body = cx.root(&doc.root);
    } else {
        cx.error(
            doc.root.range,
            "the root of a Terraform JSON file must be an object",
        );
    }
    file.errors.extend(cx.errors);
    file
}

/// What a block type's body holds, so that its properties become the right attributes and blocks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Resource,
    Variable,
    Output,
    Module,
    Locals,
    Terraform,
    /// Every property is an expression attribute (providers, backends, lifecycle...).
    Plain,
}

struct Cx<'a> {
    text: &'a str,
    errors: Vec<HclError>,
}

fn is_comment(key: &str) -> bool {
    key == "//"
}

impl Cx<'_> {
    fn error(&mut self, range: TextRange, message: &str) {
        self.errors.push(HclError {
            range,
            message: message.to_owned(),
        });
    }

    fn root(&mut self, root: &Node) -> Body {
        let mut body = Body::default();
        for entry in root.entries() {
            let Some(key) = entry.key_str() else { continue };
            if is_comment(key) {
                continue;
            }
            let (labels, kind) = match key {
                "resource" | "data" | "ephemeral" => (2, Kind::Resource),
                "module" => (1, Kind::Module),
                "provider" | "check" => (1, Kind::Plain),
                "variable" => (1, Kind::Variable),
                "output" => (1, Kind::Output),
                "locals" => (0, Kind::Locals),
                "terraform" => (0, Kind::Terraform),
                _ => (0, Kind::Plain),
            };
            let ident = Spanned::new(key.to_owned(), entry.key.range);
            self.blocks(
                &ident,
                &entry.value,
                labels,
                kind,
                &mut Vec::new(),
                &mut body,
            );
        }
        body
    }

    /// Blocks of type `ident` written as `value`, with `labels` labels still to read.
    fn blocks(
        &mut self,
        ident: &Spanned<String>,
        value: &Node,
        labels: usize,
        kind: Kind,
        read: &mut Vec<Spanned<String>>,
        out: &mut Body,
    ) {
        match &value.value {
            Value::Seq(items) => {
                for item in items {
                    self.blocks(ident, item, labels, kind, read, out);
                }
            }
            Value::Map(entries) if labels > 0 => {
                for entry in entries {
                    let Some(label) = entry.key_str() else {
                        continue;
                    };
                    if is_comment(label) {
                        continue;
                    }
                    read.push(Spanned::new(label.to_owned(), entry.key.range));
                    self.blocks(ident, &entry.value, labels - 1, kind, read, out);
                    read.pop();
                }
            }
            Value::Map(_) => {
                let body = self.body(value, kind);
                out.blocks.push(Block {
                    kind: ident.clone(),
                    labels: read.clone(),
                    body,
                    range: ident.range.cover(value.range),
                });
            }
            Value::Scalar(_) => self.error(
                value.range,
                &format!("`{}` must be a JSON object", ident.value),
            ),
        }
    }

    fn body(&mut self, node: &Node, kind: Kind) -> Body {
        let mut body = Body::default();
        for entry in node.entries() {
            let Some(key) = entry.key_str() else { continue };
            if is_comment(key) {
                continue;
            }
            let ident = Spanned::new(key.to_owned(), entry.key.range);
            let v = &entry.value;
            match (kind, key) {
                (Kind::Resource, "lifecycle" | "connection")
                | (Kind::Variable, "validation")
                | (Kind::Output, "precondition" | "postcondition")
                | (Kind::Terraform, "required_providers" | "cloud") => {
                    self.blocks(&ident, v, 0, Kind::Plain, &mut Vec::new(), &mut body);
                }
                (Kind::Resource, "provisioner") | (Kind::Terraform, "backend") => {
                    self.blocks(&ident, v, 1, Kind::Plain, &mut Vec::new(), &mut body);
                }
                (Kind::Resource, "dynamic") => self.dynamic(&ident, v, &mut body),
                (Kind::Variable, "default" | "description" | "sensitive" | "nullable")
                | (Kind::Output, "description" | "sensitive")
                | (Kind::Module, "source" | "version")
                | (Kind::Terraform, "required_version") => {
                    body.attributes
                        .push(self.attribute(ident, v, Mode::Literal));
                }
                (Kind::Variable, "type") => {
                    body.attributes
                        .push(self.attribute(ident, v, Mode::Expression));
                }
                (
                    _,
                    "depends_on"
                    | "provider"
                    | "providers"
                    | "ignore_changes"
                    | "replace_triggered_by",
                ) => {
                    body.attributes
                        .push(self.attribute(ident, v, Mode::Traversals));
                }
                _ => body
                    .attributes
                    .push(self.attribute(ident, v, Mode::Template)),
            }
        }
        body
    }

    /// `"dynamic": {"ingress": {"for_each": ..., "iterator": "x", "content": {...}}}`.
    fn dynamic(&mut self, ident: &Spanned<String>, value: &Node, out: &mut Body) {
        match &value.value {
            Value::Seq(items) => {
                for item in items {
                    self.dynamic(ident, item, out);
                }
            }
            Value::Map(entries) => {
                for entry in entries {
                    let Some(label) = entry.key_str() else {
                        continue;
                    };
                    if is_comment(label) {
                        continue;
                    }
                    let mut body = Body::default();
                    for prop in entry.value.entries() {
                        let Some(key) = prop.key_str() else { continue };
                        let pident = Spanned::new(key.to_owned(), prop.key.range);
                        match key {
                            "content" => self.blocks(
                                &pident,
                                &prop.value,
                                0,
                                Kind::Resource,
                                &mut Vec::new(),
                                &mut body,
                            ),
                            "iterator" => body.attributes.push(self.attribute(
                                pident,
                                &prop.value,
                                Mode::Traversals,
                            )),
                            _ if is_comment(key) => {}
                            _ => body.attributes.push(self.attribute(
                                pident,
                                &prop.value,
                                Mode::Template,
                            )),
                        }
                    }
                    out.blocks.push(Block {
                        kind: ident.clone(),
                        labels: vec![Spanned::new(label.to_owned(), entry.key.range)],
                        body,
                        range: entry.key.range.cover(entry.value.range),
                    });
                }
            }
            Value::Scalar(_) => self.error(value.range, "`dynamic` must be a JSON object"),
        }
    }

    fn attribute(&mut self, name: Spanned<String>, value: &Node, mode: Mode) -> Attribute {
        let range = name.range.cover(value.range);
        Attribute {
            value: self.expr(value, mode),
            name,
            range,
        }
    }

    fn expr(&mut self, node: &Node, mode: Mode) -> Expr {
        let range = node.range;
        let kind = match &node.value {
            Value::Scalar(s) if s.style == ScalarStyle::JsonString => {
                return self.string(&s.text, range, mode);
            }
            Value::Scalar(s) => match s.text.as_str() {
                "null" => ExprKind::Null,
                "true" => ExprKind::Bool(true),
                "false" => ExprKind::Bool(false),
                n => ExprKind::Number(n.parse().unwrap_or(f64::NAN)),
            },
            Value::Seq(items) => {
                ExprKind::Tuple(items.iter().map(|i| self.expr(i, mode)).collect())
            }
            Value::Map(entries) => ExprKind::Object(
                entries
                    .iter()
                    .filter(|e| e.key_str().is_some_and(|k| !is_comment(k)))
                    .map(|e| ObjectItem {
                        key: ObjectKey::Expr(Expr::new(
                            ExprKind::String(e.key_str().unwrap_or_default().to_owned()),
                            e.key.range,
                        )),
                        value: self.expr(&e.value, mode),
                    })
                    .collect(),
            ),
        };
        Expr::new(kind, range)
    }

    /// A JSON string: literal text, a template, or an expression.
    fn string(&mut self, value: &str, range: TextRange, mode: Mode) -> Expr {
        let literal = || Expr::new(ExprKind::String(value.to_owned()), range);
        if mode == Mode::Literal
            || (mode == Mode::Template && !value.contains("${") && !value.contains("%{"))
        {
            return literal();
        }
        // Where the string's content sits in the file, when it is written without escapes.
        let inner = TextRange::new(
            (range.start + 1).min(range.end),
            range.end.saturating_sub(1).max(range.start),
        );
        let verbatim = inner.slice(self.text) == value;
        let conv = Converter {
            src: value,
            base: inner.start,
            fixed: (!verbatim).then_some(range),
            renamed: &[],
        };
        let start = match mode {
            Mode::Template => guard::Start::Template,
            _ => guard::Start::Expr,
        };
        if let Err(mut err) = guard::check(value, start, inner.start) {
            if !verbatim {
                err.range = range;
            }
            if mode != Mode::Traversals {
                self.errors.push(err);
            }
            return literal();
        }
        match mode {
            Mode::Template => match hcl_edit::parser::parse_template(value) {
                Ok(t) => {
                    let mut expr = conv.expr(&hcl_edit::expr::Expression::StringTemplate(t.into()));
                    expr.range = if verbatim { inner } else { range };
                    expr
                }
                Err(e) => {
                    let mut err = native::error(value, &e, inner.start);
                    if !verbatim {
                        err.range = range;
                    }
                    self.errors.push(err);
                    literal()
                }
            },
            Mode::Expression | Mode::Traversals => match hcl_edit::parser::parse_expr(value) {
                Ok(e) => {
                    let mut expr = conv.expr(&e);
                    if verbatim {
                        expr.range = inner;
                    } else {
                        expr.range = range;
                    }
                    expr
                }
                Err(e) if mode == Mode::Expression => {
                    let mut err = native::error(value, &e, inner.start);
                    if !verbatim {
                        err.range = range;
                    }
                    self.errors.push(err);
                    literal()
                }
                Err(_) => literal(),
            },
            Mode::Literal => literal(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Taken as written (`default`, `description`).
    Literal,
    /// Strings are templates (most arguments).
    Template,
    /// Strings are expressions (`type`).
    Expression,
    /// Strings are references when they parse as one (`depends_on`, `provider`), else literal.
    Traversals,
}
