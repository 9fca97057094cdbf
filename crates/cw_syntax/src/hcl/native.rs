//! hcl-edit's lossless tree into our AST: ranges on every node, templates with strip markers and
//! `<<-` flushing applied.

use std::ops::Range;

use cw_diagnostics::{Spanned, TextRange};
use hcl_edit::Span as _;
use hcl_edit::expr::{self as ee, Expression, TraversalOperator};
use hcl_edit::structure as es;
use hcl_edit::template as et;

use super::ast::{
    Attribute, BinaryOp, Block, Body, Call, Conditional, Expr, ExprKind, ForExpr, HclError,
    ObjectItem, ObjectKey, Template, TraverseOp, Traverser, UnaryOp,
};
use super::template::{self, Tok};

/// Maps hcl-edit's byte spans (into `src`) to ranges of the file: shifted by `base`, or all set
/// to `fixed` when `src` is not a verbatim slice of the file (a JSON string with escapes).
#[derive(Clone, Copy)]
pub(super) struct Converter<'a> {
    pub(super) src: &'a str,
    pub(super) base: u32,
    pub(super) fixed: Option<TextRange>,
    /// Object keys renamed before parsing (by the offset of the key), with their names: repeated
    /// keys, which Terraform accepts (the last one wins) and hcl-edit rejects.
    pub(super) renamed: &'a [(usize, String)],
}

impl Converter<'_> {
    /// The name a renamed object key had, by its span.
    fn original_key(&self, span: Option<Range<usize>>) -> Option<String> {
        let start = span?.start;
        self.renamed
            .iter()
            .find(|(at, _)| *at == start)
            .map(|(_, name)| name.clone())
    }

    pub(super) fn range(&self, span: Option<Range<usize>>) -> TextRange {
        if let Some(fixed) = self.fixed {
            return fixed;
        }
        match span {
            Some(r) if r.start <= r.end && r.end <= self.src.len() => {
                TextRange::from_usize(r.start, r.end).shift(self.base)
            }
            _ => TextRange::empty(self.base),
        }
    }

    pub(super) fn body(&self, body: &es::Body) -> Body {
        let mut out = Body::default();
        for structure in body {
            match structure {
                es::Structure::Attribute(a) => out.attributes.push(self.attribute(a)),
                es::Structure::Block(b) => out.blocks.push(self.block(b)),
            }
        }
        out
    }

    fn attribute(&self, a: &es::Attribute) -> Attribute {
        Attribute {
            name: Spanned::new(a.key.as_str().to_owned(), self.range(a.key.span())),
            value: self.expr(&a.value),
            range: self.range(a.span()),
        }
    }

    fn block(&self, b: &es::Block) -> Block {
        Block {
            kind: Spanned::new(b.ident.as_str().to_owned(), self.range(b.ident.span())),
            labels: b
                .labels
                .iter()
                .map(|l| Spanned::new(l.as_str().to_owned(), self.range(l.span())))
                .collect(),
            body: self.body(&b.body),
            range: self.range(b.span()),
        }
    }

    pub(super) fn expr(&self, e: &Expression) -> Expr {
        let range = self.range(e.span());
        let kind = match e {
            Expression::Null(_) => ExprKind::Null,
            Expression::Bool(b) => ExprKind::Bool(*b.value()),
            Expression::Number(n) => ExprKind::Number(n.value().as_f64().unwrap_or(f64::NAN)),
            Expression::String(s) => ExprKind::String(s.value().clone()),
            Expression::Array(items) => {
                ExprKind::Tuple(items.iter().map(|i| self.expr(i)).collect())
            }
            Expression::Object(object) => ExprKind::Object(
                object
                    .iter()
                    .map(|(key, value)| ObjectItem {
                        key: match key {
                            ee::ObjectKey::Ident(i) => ObjectKey::Ident(Spanned::new(
                                self.original_key(i.span())
                                    .unwrap_or_else(|| i.as_str().to_owned()),
                                self.range(i.span()),
                            )),
                            ee::ObjectKey::Expression(k) => {
                                let mut e = self.expr(k);
                                if let Some(name) = self.original_key(k.span()) {
                                    e.kind = ExprKind::String(name);
                                }
                                ObjectKey::Expr(e)
                            }
                        },
                        value: self.expr(value.expr()),
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => {
                let mut toks = Vec::new();
                self.flatten(t, false, &mut toks);
                template::strip(&mut toks);
                template_kind(template::build(toks))
            }
            Expression::HeredocTemplate(h) => {
                let mut toks = Vec::new();
                self.flatten(&h.template, true, &mut toks);
                template::strip(&mut toks);
                if h.indent().is_some() || self.is_flush_heredoc(e) {
                    template::flush(&mut toks);
                }
                template_kind(template::build(toks))
            }
            Expression::Parenthesis(p) => ExprKind::Paren(Box::new(self.expr(p.inner()))),
            Expression::Variable(v) => ExprKind::Variable(v.as_str().to_owned()),
            Expression::Conditional(c) => ExprKind::Conditional(Box::new(Conditional {
                condition: self.expr(&c.cond_expr),
                then: self.expr(&c.true_expr),
                otherwise: self.expr(&c.false_expr),
            })),
            Expression::FuncCall(call) => ExprKind::Call(Box::new(Call {
                name: Spanned::new(
                    call.name.name.as_str().to_owned(),
                    self.range(call.name.name.span()),
                ),
                namespace: call
                    .name
                    .namespace
                    .iter()
                    .map(|n| n.as_str().to_owned())
                    .collect(),
                args: call.args.iter().map(|a| self.expr(a)).collect(),
                expand_final: call.args.expand_final(),
            })),
            Expression::Traversal(t) => ExprKind::Traversal(
                Box::new(self.expr(&t.expr)),
                t.operators
                    .iter()
                    .map(|op| Traverser {
                        range: self.range(op.span()),
                        op: match op.value() {
                            TraversalOperator::AttrSplat(_) => TraverseOp::AttrSplat,
                            TraversalOperator::FullSplat(_) => TraverseOp::FullSplat,
                            TraversalOperator::GetAttr(name) => {
                                TraverseOp::Attr(name.as_str().to_owned())
                            }
                            TraversalOperator::Index(i) => TraverseOp::Index(self.expr(i)),
                            TraversalOperator::LegacyIndex(i) => {
                                #[expect(
                                    clippy::cast_precision_loss,
                                    reason = "an index beyond 2^53 is out of range anyway"
                                )]
                                let n = *i.value() as f64;
                                TraverseOp::Index(Expr::new(
                                    ExprKind::Number(n),
                                    self.range(i.span()),
                                ))
                            }
                        },
                    })
                    .collect(),
            ),
            Expression::UnaryOp(u) => ExprKind::Unary(
                match u.operator.value() {
                    ee::UnaryOperator::Neg => UnaryOp::Neg,
                    ee::UnaryOperator::Not => UnaryOp::Not,
                },
                Box::new(self.expr(&u.expr)),
            ),
            Expression::BinaryOp(b) => ExprKind::Binary(
                binary(*b.operator.value()),
                Box::new(self.expr(&b.lhs_expr)),
                Box::new(self.expr(&b.rhs_expr)),
            ),
            Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
                key_var: f
                    .intro
                    .key_var
                    .as_ref()
                    .map(|k| Spanned::new(k.as_str().to_owned(), self.range(k.span()))),
                value_var: Spanned::new(
                    f.intro.value_var.as_str().to_owned(),
                    self.range(f.intro.value_var.span()),
                ),
                collection: self.expr(&f.intro.collection_expr),
                key: f.key_expr.as_ref().map(|k| self.expr(k)),
                value: self.expr(&f.value_expr),
                grouping: f.grouping,
                condition: f.cond.as_ref().map(|c| self.expr(&c.expr)),
            })),
        };
        Expr::new(kind, range)
    }

    /// A template file: split into lines like a heredoc, without the indentation removal.
    pub(super) fn template_file(&self, t: &et::Template) -> Expr {
        let mut toks = Vec::new();
        self.flatten(t, true, &mut toks);
        template::strip(&mut toks);
        Expr::new(
            template_kind(template::build(toks)),
            TextRange::empty(self.base),
        )
    }

    /// `<<-` written in the source (hcl-edit records an indent only when it removed one).
    fn is_flush_heredoc(&self, e: &Expression) -> bool {
        self.fixed.is_none()
            && e.span()
                .and_then(|r| self.src.get(r.start..))
                .is_some_and(|s| s.starts_with("<<-"))
    }

    /// The template as a flat token stream, literals split into lines in a heredoc. Heredoc
    /// literals are read again from the source, since hcl-edit has already (partly) dedented them.
    fn flatten(&self, t: &et::Template, heredoc: bool, out: &mut Vec<Tok>) {
        for element in t {
            match element {
                et::Element::Literal(lit) => {
                    let span = lit.span();
                    let raw = match (&span, heredoc && self.fixed.is_none()) {
                        (Some(r), true) => self.src.get(r.clone()),
                        _ => None,
                    };
                    let range = self.range(span);
                    match raw {
                        Some(raw) => template::push_literal(out, raw, range, true, true, true),
                        None => template::push_literal(
                            out,
                            lit.value(),
                            range,
                            heredoc,
                            false,
                            self.fixed.is_none() && range.len() as usize == lit.value().len(),
                        ),
                    }
                }
                et::Element::Interpolation(i) => out.push(Tok::Interp {
                    expr: self.expr(&i.expr),
                    strip: (i.strip.strip_start(), i.strip.strip_end()),
                }),
                et::Element::Directive(d) => match d.as_ref() {
                    et::Directive::If(d) => {
                        out.push(Tok::If {
                            condition: self.expr(&d.if_expr.cond_expr),
                            strip: strip(d.if_expr.strip),
                            range: self.range(d.span()),
                        });
                        self.flatten(&d.if_expr.template, heredoc, out);
                        if let Some(e) = &d.else_expr {
                            out.push(Tok::Else {
                                strip: strip(e.strip),
                            });
                            self.flatten(&e.template, heredoc, out);
                        }
                        out.push(Tok::EndIf {
                            strip: strip(d.endif_expr.strip),
                        });
                    }
                    et::Directive::For(d) => {
                        let f = &d.for_expr;
                        out.push(Tok::For {
                            key_var: f
                                .key_var
                                .as_ref()
                                .map(|k| Spanned::new(k.as_str().to_owned(), self.range(k.span()))),
                            value_var: Spanned::new(
                                f.value_var.as_str().to_owned(),
                                self.range(f.value_var.span()),
                            ),
                            collection: self.expr(&f.collection_expr),
                            strip: strip(f.strip),
                            range: self.range(d.span()),
                        });
                        self.flatten(&f.template, heredoc, out);
                        out.push(Tok::EndFor {
                            strip: strip(d.endfor_expr.strip),
                        });
                    }
                },
            }
        }
    }
}

fn strip(s: et::Strip) -> (bool, bool) {
    (s.strip_start(), s.strip_end())
}

fn template_kind(t: Template) -> ExprKind {
    ExprKind::Template(t)
}

fn binary(op: ee::BinaryOperator) -> BinaryOp {
    use ee::BinaryOperator as B;
    match op {
        B::Eq => BinaryOp::Eq,
        B::NotEq => BinaryOp::NotEq,
        B::LessEq => BinaryOp::LessEq,
        B::GreaterEq => BinaryOp::GreaterEq,
        B::Less => BinaryOp::Less,
        B::Greater => BinaryOp::Greater,
        B::Plus => BinaryOp::Plus,
        B::Minus => BinaryOp::Minus,
        B::Mul => BinaryOp::Mul,
        B::Div => BinaryOp::Div,
        B::Mod => BinaryOp::Mod,
        B::And => BinaryOp::And,
        B::Or => BinaryOp::Or,
    }
}

/// An hcl-edit parse error as a range (one character, or empty at the end) and a message.
pub(super) fn error(text: &str, err: &hcl_edit::parser::Error, base: u32) -> HclError {
    let offset = err.location().offset().min(text.len());
    let mut start = offset;
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let end = text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    let message = match err.message() {
        "" => "invalid HCL".to_owned(),
        m => m.to_owned(),
    };
    HclError {
        range: TextRange::from_usize(start, end).shift(base),
        message,
    }
}
