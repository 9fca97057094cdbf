//! Moving a parsed file into a larger address space (see `crate::yaml::YamlFile::shift`): a
//! Terraform module gives each of its files a base offset, so that a range alone tells which
//! file and where.

use cw_diagnostics::TextRange;

use super::ast::{Body, Expr, ExprKind, HclFile, ObjectKey, Template, TemplatePart, TraverseOp};

fn moved(r: &mut TextRange, by: u32) {
    *r = TextRange::new(r.start.saturating_add(by), r.end.saturating_add(by));
}

impl HclFile {
    /// Adds `by` to every range of the file.
    pub fn shift(&mut self, by: u32) {
        if by == 0 {
            return;
        }
        self.body.shift(by);
        for e in &mut self.errors {
            moved(&mut e.range, by);
        }
    }
}

impl Body {
    /// Adds `by` to every range of the body.
    pub fn shift(&mut self, by: u32) {
        for a in &mut self.attributes {
            moved(&mut a.range, by);
            moved(&mut a.name.range, by);
            a.value.shift(by);
        }
        for b in &mut self.blocks {
            moved(&mut b.range, by);
            moved(&mut b.kind.range, by);
            for l in &mut b.labels {
                moved(&mut l.range, by);
            }
            b.body.shift(by);
        }
    }
}

impl Template {
    fn shift(&mut self, by: u32) {
        for part in &mut self.parts {
            match part {
                TemplatePart::Literal(l) => moved(&mut l.range, by),
                TemplatePart::Interpolation(e) => e.shift(by),
                TemplatePart::If(i) => {
                    moved(&mut i.range, by);
                    i.condition.shift(by);
                    i.then.shift(by);
                    i.otherwise.shift(by);
                }
                TemplatePart::For(f) => {
                    moved(&mut f.range, by);
                    if let Some(k) = &mut f.key_var {
                        moved(&mut k.range, by);
                    }
                    moved(&mut f.value_var.range, by);
                    f.collection.shift(by);
                    f.body.shift(by);
                }
            }
        }
    }
}

impl Expr {
    /// Adds `by` to every range of the expression.
    pub fn shift(&mut self, by: u32) {
        moved(&mut self.range, by);
        match &mut self.kind {
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Number(_)
            | ExprKind::String(_)
            | ExprKind::Variable(_) => {}
            ExprKind::Template(t) => t.shift(by),
            ExprKind::Tuple(items) => items.iter_mut().for_each(|i| i.shift(by)),
            ExprKind::Object(items) => {
                for item in items {
                    match &mut item.key {
                        ObjectKey::Ident(i) => moved(&mut i.range, by),
                        ObjectKey::Expr(e) => e.shift(by),
                    }
                    item.value.shift(by);
                }
            }
            ExprKind::Traversal(root, steps) => {
                root.shift(by);
                for s in steps {
                    moved(&mut s.range, by);
                    if let TraverseOp::Index(i) = &mut s.op {
                        i.shift(by);
                    }
                }
            }
            ExprKind::Call(c) => {
                moved(&mut c.name.range, by);
                c.args.iter_mut().for_each(|a| a.shift(by));
            }
            ExprKind::Conditional(c) => {
                c.condition.shift(by);
                c.then.shift(by);
                c.otherwise.shift(by);
            }
            ExprKind::Unary(_, e) | ExprKind::Paren(e) => e.shift(by),
            ExprKind::Binary(_, a, b) => {
                a.shift(by);
                b.shift(by);
            }
            ExprKind::For(f) => {
                if let Some(k) = &mut f.key_var {
                    moved(&mut k.range, by);
                }
                moved(&mut f.value_var.range, by);
                f.collection.shift(by);
                if let Some(k) = &mut f.key {
                    k.shift(by);
                }
                f.value.shift(by);
                if let Some(c) = &mut f.condition {
                    c.shift(by);
                }
            }
        }
    }
}
