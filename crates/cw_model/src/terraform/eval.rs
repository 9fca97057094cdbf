//! The expression evaluator: three-valued (known, unknown, error), with the range of origin
//! kept on every value.
//!
//! An *error* is what Terraform would reject (a missing key, a type mismatch, a failed function
//! call); `try()` and `can()` catch it, and elsewhere it becomes an unknown value plus a problem.
//! What this evaluator cannot decide (a provider-computed attribute, an unimplemented function, an
//! exhausted budget) is *unknown*, never an error, so that `try()` does not pick a fallback that
//! Terraform would not pick.

use std::collections::{BTreeMap, HashMap, HashSet};

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::hcl::{
    BinaryOp, Expr, ExprKind, ForExpr, ObjectKey, Template, TemplatePart, TraverseOp, Traverser,
    UnaryOp,
};
use regex::Regex;

use super::Loader;
use super::model::{Limits, Problem, ProblemKind};
use super::source::SourceMap;
use super::types::parse_number;
use super::value::{Map, Value, count, count_f64, equals, number_to_string, sp};

/// A key (or index) and a value, as a `for` iterates them.
pub(crate) type Pair = (Spanned<Value>, Spanned<Value>);

/// Deepest value a reference may yield (deeper values come only from pathological inputs and
/// would make recursive walks expensive).
const MAX_VALUE_DEPTH: usize = 200;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EvalError {
    pub(crate) range: TextRange,
    pub(crate) message: String,
}

pub(crate) type Res = Result<Spanned<Value>, EvalError>;

pub(crate) fn err(range: TextRange, message: impl Into<String>) -> EvalError {
    EvalError {
        range,
        message: message.into(),
    }
}

/// The names an expression can refer to in one module instance.
#[derive(Default)]
pub(crate) struct Scope {
    pub(crate) vars: HashMap<String, Spanned<Value>>,
    /// Variables given outside the configuration ([`super::ValueSource::is_external`]): a reference
    /// to one takes the reference's range.
    pub(crate) external_vars: HashSet<String>,
    pub(crate) locals: HashMap<String, Spanned<Value>>,
    pub(crate) modules: HashMap<String, Spanned<Value>>,
    /// Managed resources by type, then name: an instance object, a list or map of them, or
    /// unknown.
    pub(crate) resources: HashMap<String, HashMap<String, Spanned<Value>>>,
    /// Everything declared, evaluated or not (a reference into a cycle reads as unknown; a
    /// reference to something undeclared is reported).
    pub(crate) declared: HashSet<String>,
    pub(crate) path_module: String,
    pub(crate) workspace: String,
    pub(crate) count_index: Option<Spanned<Value>>,
    pub(crate) each: Option<(Spanned<Value>, Spanned<Value>)>,
    /// Only functions and bound names are allowed (variable defaults, `.tfvars`, template files).
    pub(crate) restricted: bool,
}

/// State shared by every evaluation of one run.
pub(crate) struct Shared<'l> {
    pub(crate) loader: &'l dyn Loader,
    pub(crate) root_dir: String,
    pub(crate) problems: Vec<Problem>,
    pub(crate) fuel: u64,
    fuel_reported: bool,
    regexes: HashMap<String, Option<Regex>>,
    pub(crate) sources: SourceMap,
    /// Parsed template files by path (`None` when missing or invalid).
    pub(crate) templates: HashMap<String, Option<Expr>>,
    pub(crate) template_depth: usize,
    pub(crate) limits: Limits,
    pub(crate) workspace: String,
    pub(crate) module_instances: usize,
    /// Parsed module directories (`None`: not found).
    pub(crate) decls: HashMap<String, Option<std::rc::Rc<super::module::Decls>>>,
}

impl<'l> Shared<'l> {
    pub(crate) fn new(
        loader: &'l dyn Loader,
        root_dir: &str,
        workspace: &str,
        limits: Limits,
    ) -> Self {
        Self {
            loader,
            root_dir: root_dir.to_owned(),
            problems: Vec::new(),
            fuel: limits.fuel,
            fuel_reported: false,
            regexes: HashMap::new(),
            sources: SourceMap::default(),
            templates: HashMap::new(),
            template_depth: 0,
            limits,
            workspace: workspace.to_owned(),
            module_instances: 0,
            decls: HashMap::new(),
        }
    }

    pub(crate) fn problem(
        &mut self,
        kind: ProblemKind,
        range: TextRange,
        message: impl Into<String>,
    ) {
        self.problems.push(Problem {
            kind,
            range,
            message: message.into(),
        });
    }

    /// Takes `amount` from the budget; `false` (once reported) when it is exhausted.
    pub(crate) fn charge(&mut self, amount: u64, range: TextRange) -> bool {
        if self.fuel >= amount {
            self.fuel -= amount;
            return true;
        }
        self.fuel = 0;
        if !self.fuel_reported {
            self.fuel_reported = true;
            self.problem(
                ProblemKind::Budget,
                range,
                "evaluation budget exhausted: the remaining values are unknown",
            );
        }
        false
    }

    /// The compiled regex for `pattern` (compiled once per distinct pattern).
    pub(crate) fn regex(&mut self, pattern: &str) -> Result<Regex, String> {
        if let Some(r) = self.regexes.get(pattern) {
            return r
                .clone()
                .ok_or_else(|| format!("invalid regular expression {pattern:?}"));
        }
        let compiled = regex::RegexBuilder::new(pattern)
            .size_limit(1 << 20)
            .build()
            .ok();
        self.regexes.insert(pattern.to_owned(), compiled.clone());
        compiled.ok_or_else(|| format!("invalid regular expression {pattern:?}"))
    }
}

pub(crate) struct Eval<'a, 'l> {
    pub(crate) scope: &'a Scope,
    pub(crate) shared: &'a mut Shared<'l>,
    /// `for` variables, `dynamic` iterators, template-file variables: innermost last.
    pub(crate) bindings: Vec<(String, Spanned<Value>)>,
    /// The resources and data sources referenced so far (`aws_s3_bucket.b`, `data.x.y`), in
    /// order: [`super::Attr::refs`] takes those of each argument.
    pub(crate) refs: Vec<String>,
}

impl<'a, 'l> Eval<'a, 'l> {
    pub(crate) fn new(scope: &'a Scope, shared: &'a mut Shared<'l>) -> Self {
        Self {
            scope,
            shared,
            bindings: Vec::new(),
            refs: Vec::new(),
        }
    }

    pub(crate) fn unknown(range: TextRange) -> Spanned<Value> {
        sp(Value::Unknown, range)
    }

    /// Evaluates `expr`; an error becomes an unknown value and a problem.
    pub(crate) fn eval_or_unknown(&mut self, expr: &Expr) -> Spanned<Value> {
        match self.eval(expr) {
            Ok(v) => v,
            Err(e) => {
                self.shared
                    .problem(ProblemKind::Invalid, e.range, e.message);
                Self::unknown(expr.range)
            }
        }
    }

    pub(crate) fn eval(&mut self, expr: &Expr) -> Res {
        let range = expr.range;
        if !self.shared.charge(1, range) {
            return Ok(Self::unknown(range));
        }
        let v = match &expr.kind {
            ExprKind::Null => Value::Null,
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Number(n) => Value::Number(*n),
            ExprKind::String(s) => Value::String(s.clone()),
            ExprKind::Paren(inner) => return self.eval(inner),
            ExprKind::Template(t) => return self.template(t, range),
            ExprKind::Tuple(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.eval(item)?);
                }
                Value::List(out)
            }
            ExprKind::Object(items) => {
                let mut out = Map::new();
                let mut unknown = false;
                for item in items {
                    let key = match &item.key {
                        ObjectKey::Ident(i) => Some(i.value.clone()),
                        ObjectKey::Expr(k) => self.key_string(k)?,
                    };
                    let value = self.eval(&item.value)?;
                    match key {
                        Some(k) => {
                            out.insert(k, value);
                        }
                        None => unknown = true,
                    }
                }
                if unknown {
                    Value::Unknown
                } else {
                    Value::Map(out)
                }
            }
            ExprKind::Variable(name) => return self.root(name, &[], range),
            ExprKind::Traversal(root, steps) => return self.traversal(root, steps, range),
            ExprKind::Call(call) => return super::funcs::call(self, call, range),
            ExprKind::Conditional(c) => {
                let cond = self.eval(&c.condition)?;
                return match to_bool(&cond)? {
                    Some(true) => self.eval(&c.then),
                    Some(false) => self.eval(&c.otherwise),
                    None => Ok(Self::unknown(range)),
                };
            }
            ExprKind::Unary(op, operand) => {
                let v = self.eval(operand)?;
                match op {
                    UnaryOp::Neg => match to_number(&v)? {
                        Some(n) => Value::Number(-n),
                        None => Value::Unknown,
                    },
                    UnaryOp::Not => match to_bool(&v)? {
                        Some(b) => Value::Bool(!b),
                        None => Value::Unknown,
                    },
                }
            }
            ExprKind::Binary(op, a, b) => {
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                binary(*op, &a, &b, range)?
            }
            ExprKind::For(f) => return self.for_expr(f, range),
        };
        Ok(sp(v, range))
    }

    /// An object key: a string (numbers and bools converted); `None` when unknown.
    fn key_string(&mut self, k: &Expr) -> Result<Option<String>, EvalError> {
        // A parenthesized bare name, or any other expression, is evaluated.
        let v = self.eval(k)?;
        match v.value {
            Value::String(s) => Ok(Some(s)),
            Value::Number(n) => Ok(Some(number_to_string(n))),
            Value::Bool(b) => Ok(Some(b.to_string())),
            Value::Unknown | Value::Partial(_) => Ok(None),
            Value::Null => Err(err(k.range, "object key must not be null")),
            _ => Err(err(k.range, "object key must be a string")),
        }
    }

    fn template(&mut self, t: &Template, range: TextRange) -> Res {
        if let [TemplatePart::Interpolation(e)] = t.parts.as_slice() {
            return self.eval(e);
        }
        let mut out = String::new();
        let known = self.template_parts(&t.parts, &mut out)?;
        if !known {
            return Ok(Self::unknown(range));
        }
        Ok(sp(Value::String(out), range))
    }

    /// Appends the rendering of `parts` to `out`; `false` when some part is unknown.
    fn template_parts(
        &mut self,
        parts: &[TemplatePart],
        out: &mut String,
    ) -> Result<bool, EvalError> {
        let mut known = true;
        for part in parts {
            match part {
                TemplatePart::Literal(l) => out.push_str(&l.value),
                TemplatePart::Interpolation(e) => {
                    let v = self.eval(e)?;
                    match template_string(&v.value) {
                        Ok(Some(s)) => {
                            if !self.shared.charge(s.len() as u64, e.range) {
                                return Ok(false);
                            }
                            out.push_str(&s);
                        }
                        Ok(None) => known = false,
                        Err(m) => return Err(err(e.range, m)),
                    }
                }
                TemplatePart::If(i) => {
                    let cond = self.eval(&i.condition)?;
                    match to_bool(&cond)? {
                        Some(true) => known &= self.template_parts(&i.then.parts, out)?,
                        Some(false) => known &= self.template_parts(&i.otherwise.parts, out)?,
                        None => known = false,
                    }
                }
                TemplatePart::For(f) => {
                    let coll = self.eval(&f.collection)?;
                    let Some(pairs) = iteration(&coll)? else {
                        known = false;
                        continue;
                    };
                    for (k, v) in pairs {
                        if !self.shared.charge(1, f.range) {
                            return Ok(false);
                        }
                        let n = self.bindings.len();
                        if let Some(kv) = &f.key_var {
                            self.bindings.push((kv.value.clone(), k));
                        }
                        self.bindings.push((f.value_var.value.clone(), v));
                        let r = self.template_parts(&f.body.parts, out);
                        self.bindings.truncate(n);
                        known &= r?;
                        if !known {
                            return Ok(false);
                        }
                    }
                }
            }
        }
        Ok(known)
    }

    fn for_expr(&mut self, f: &ForExpr, range: TextRange) -> Res {
        let coll = self.eval(&f.collection)?;
        let Some(pairs) = iteration(&coll)? else {
            return Ok(Self::unknown(range));
        };
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Spanned<Value>> = BTreeMap::new();
        let mut groups: BTreeMap<String, (Vec<Spanned<Value>>, TextRange)> = BTreeMap::new();
        let mut unknown = false;
        for (k, v) in pairs {
            if !self.shared.charge(1, range) {
                return Ok(Self::unknown(range));
            }
            let n = self.bindings.len();
            if let Some(kv) = &f.key_var {
                self.bindings.push((kv.value.clone(), k));
            }
            self.bindings.push((f.value_var.value.clone(), v));
            let r = self.for_item(f, &mut list, &mut map, &mut groups);
            self.bindings.truncate(n);
            unknown |= !r?;
        }
        if unknown {
            return Ok(Self::unknown(range));
        }
        let v = if f.key.is_none() {
            Value::List(list)
        } else if f.grouping {
            Value::Map(
                groups
                    .into_iter()
                    .map(|(k, (items, r))| (k, sp(Value::List(items), r)))
                    .collect(),
            )
        } else {
            Value::Map(map)
        };
        Ok(sp(v, range))
    }

    /// One element of a `for`; `false` when its condition or key is unknown.
    fn for_item(
        &mut self,
        f: &ForExpr,
        list: &mut Vec<Spanned<Value>>,
        map: &mut Map,
        groups: &mut BTreeMap<String, (Vec<Spanned<Value>>, TextRange)>,
    ) -> Result<bool, EvalError> {
        if let Some(cond) = &f.condition {
            let c = self.eval(cond)?;
            match to_bool(&c)? {
                Some(true) => {}
                Some(false) => return Ok(true),
                None => return Ok(false),
            }
        }
        match &f.key {
            None => list.push(self.eval(&f.value)?),
            Some(key_expr) => {
                let Some(key) = self.key_string(key_expr)? else {
                    return Ok(false);
                };
                let value = self.eval(&f.value)?;
                if f.grouping {
                    groups
                        .entry(key)
                        .or_insert_with(|| (Vec::new(), value.range))
                        .0
                        .push(value);
                } else {
                    match map.entry(key) {
                        std::collections::btree_map::Entry::Occupied(e) => {
                            return Err(err(
                                key_expr.range,
                                format!(
                                    "duplicate object key {:?}; add `...` after the value to group values by key",
                                    e.key()
                                ),
                            ));
                        }
                        std::collections::btree_map::Entry::Vacant(e) => {
                            e.insert(value);
                        }
                    }
                }
            }
        }
        Ok(true)
    }

    fn traversal(&mut self, root: &Expr, steps: &[Traverser], range: TextRange) -> Res {
        if let ExprKind::Variable(name) = &root.kind {
            return self.root(name, steps, range);
        }
        let v = self.eval(root)?;
        self.traverse(v, steps, range)
    }

    /// A bound name, or a reference rooted at `var`, `local`, a resource type...
    fn root(&mut self, name: &str, steps: &[Traverser], range: TextRange) -> Res {
        if let Some((_, v)) = self.bindings.iter().rev().find(|(n, _)| n == name) {
            let v = v.clone();
            return self.traverse(v, steps, range);
        }
        let attr = |i: usize| match steps.get(i).map(|s| &s.op) {
            Some(TraverseOp::Attr(a)) => Some(a.as_str()),
            _ => None,
        };
        if self.scope.restricted {
            return Err(err(
                range,
                format!(
                    "`{name}` cannot be used here: only literal values and functions are allowed"
                ),
            ));
        }
        let (value, used) = match name {
            "var" | "local" | "module" => {
                let Some(item) = attr(0) else {
                    return Ok(self.invalid(range, format!("`{name}` must be followed by a name")));
                };
                let table = match name {
                    "var" => &self.scope.vars,
                    "local" => &self.scope.locals,
                    _ => &self.scope.modules,
                };
                match table.get(item) {
                    Some(v) if name == "var" && self.scope.external_vars.contains(item) => {
                        (respan(v.clone(), range), 1)
                    }
                    Some(v) => (v.clone(), 1),
                    None => return Ok(self.undeclared(&format!("{name}.{item}"), range)),
                }
            }
            "data" => {
                let (Some(t), Some(n)) = (attr(0), attr(1)) else {
                    return Ok(self.invalid(range, "`data` must be followed by a type and a name"));
                };
                let key = format!("data.{t}.{n}");
                if !self.scope.declared.contains(&key) {
                    return Ok(self.undeclared(&key, range));
                }
                self.refs.push(key);
                return Ok(Self::unknown(range));
            }
            "path" => match attr(0) {
                Some("module") => (sp(Value::String(self.scope.path_module.clone()), range), 1),
                Some("root" | "cwd") => (sp(Value::String(".".to_owned()), range), 1),
                _ => return Ok(self.invalid(range, "unknown `path` attribute")),
            },
            "terraform" => match attr(0) {
                Some("workspace") => (sp(Value::String(self.scope.workspace.clone()), range), 1),
                _ => return Ok(Self::unknown(range)),
            },
            "count" => match (attr(0), &self.scope.count_index) {
                (Some("index"), Some(i)) => (sp(i.value.clone(), range), 1),
                _ => {
                    return Ok(self.invalid(
                        range,
                        "`count.index` is only available where `count` is set",
                    ));
                }
            },
            "each" => {
                match (attr(0), &self.scope.each) {
                    (Some("key"), Some((k, _))) => (sp(k.value.clone(), range), 1),
                    (Some("value"), Some((_, v))) => (v.clone(), 1),
                    _ => return Ok(self.invalid(
                        range,
                        "`each.key` and `each.value` are only available where `for_each` is set",
                    )),
                }
            }
            "self" => return Ok(Self::unknown(range)),
            resource_type => {
                let Some(rname) = attr(0) else {
                    return Ok(self.invalid(range, format!("unknown name `{resource_type}`")));
                };
                match self
                    .scope
                    .resources
                    .get(resource_type)
                    .and_then(|m| m.get(rname))
                {
                    Some(v) => {
                        self.refs.push(format!("{resource_type}.{rname}"));
                        (v.clone(), 1)
                    }
                    None => return Ok(self.undeclared(&format!("{resource_type}.{rname}"), range)),
                }
            }
        };
        let (weight, depth) = value.value.weight();
        if depth > MAX_VALUE_DEPTH {
            self.shared.problem(
                ProblemKind::Budget,
                range,
                format!("value nested deeper than {MAX_VALUE_DEPTH} levels: read as unknown"),
            );
            return Ok(Self::unknown(range));
        }
        if !self.shared.charge(weight, range) {
            return Ok(Self::unknown(range));
        }
        self.traverse(value, &steps[used..], range)
    }

    fn invalid(&mut self, range: TextRange, message: impl Into<String>) -> Spanned<Value> {
        self.shared.problem(ProblemKind::Invalid, range, message);
        Self::unknown(range)
    }

    /// A reference to something not evaluated: part of a cycle (already reported) or undeclared.
    fn undeclared(&mut self, what: &str, range: TextRange) -> Spanned<Value> {
        if !self.scope.declared.contains(what) {
            self.shared.problem(
                ProblemKind::Invalid,
                range,
                format!("reference to undeclared `{what}`"),
            );
        }
        Self::unknown(range)
    }

    /// Applies traversal steps; splats apply the steps after them to every element.
    pub(crate) fn traverse(
        &mut self,
        mut value: Spanned<Value>,
        steps: &[Traverser],
        range: TextRange,
    ) -> Res {
        let mut i = 0;
        while i < steps.len() {
            let step = &steps[i];
            match &step.op {
                TraverseOp::Attr(name) => value = get_attr(value, name, step.range, range)?,
                TraverseOp::Index(e) => {
                    let key = self.eval(e)?;
                    value = index(value, &key, step.range, range)?;
                }
                TraverseOp::AttrSplat | TraverseOp::FullSplat => {
                    let full = step.op == TraverseOp::FullSplat;
                    let end = if full {
                        steps.len()
                    } else {
                        steps[i + 1..]
                            .iter()
                            .position(|s| !matches!(s.op, TraverseOp::Attr(_)))
                            .map_or(steps.len(), |p| i + 1 + p)
                    };
                    let rest = &steps[i + 1..end];
                    let items = match value.value {
                        Value::Null => Vec::new(),
                        Value::Unknown => return Ok(Self::unknown(range)),
                        Value::List(items) => items,
                        other => vec![sp(other, value.range)],
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        out.push(self.traverse(item, rest, range)?);
                    }
                    value = sp(Value::List(out), range);
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        Ok(value)
    }
}

fn get_attr(value: Spanned<Value>, name: &str, step: TextRange, whole: TextRange) -> Res {
    match value.value {
        Value::Map(mut m) => m.remove(name).ok_or_else(|| {
            err(
                step,
                format!("this object does not have an attribute named {name:?}"),
            )
        }),
        Value::Partial(mut m) => Ok(m.remove(name).unwrap_or_else(|| Eval::unknown(whole))),
        Value::Unknown => Ok(Eval::unknown(whole)),
        Value::Null => Err(err(
            step,
            format!("attempt to get attribute {name:?} from a null value"),
        )),
        other => Err(err(
            step,
            format!("cannot get attribute {name:?} of a {}", other.type_name()),
        )),
    }
}

fn index(value: Spanned<Value>, key: &Spanned<Value>, step: TextRange, whole: TextRange) -> Res {
    if matches!(key.value, Value::Unknown | Value::Partial(_)) {
        return match value.value {
            Value::Null => Err(err(step, "attempt to index a null value")),
            _ => Ok(Eval::unknown(whole)),
        };
    }
    match value.value {
        Value::List(mut items) => {
            let n = match &key.value {
                Value::Number(n) => *n,
                Value::String(s) => {
                    parse_number(s).ok_or_else(|| err(step, "a list index must be a number"))?
                }
                _ => return Err(err(step, "a list index must be a number")),
            };
            if n.fract() != 0.0 || n < 0.0 || n >= count_f64(items.len()) {
                return Err(err(
                    step,
                    format!(
                        "index {} out of range for a list of {} elements",
                        number_to_string(n),
                        items.len()
                    ),
                ));
            }
            #[expect(clippy::cast_sign_loss, reason = "checked non-negative and in range")]
            let i = n as usize;
            Ok(items.swap_remove(i))
        }
        Value::Map(mut m) => {
            let k = key_of(&key.value).ok_or_else(|| err(step, "a map key must be a string"))?;
            m.remove(&k)
                .ok_or_else(|| err(step, format!("the map has no element for the key {k:?}")))
        }
        Value::Partial(mut m) => {
            let k = key_of(&key.value).ok_or_else(|| err(step, "a key must be a string"))?;
            Ok(m.remove(&k).unwrap_or_else(|| Eval::unknown(whole)))
        }
        Value::Unknown => Ok(Eval::unknown(whole)),
        Value::Null => Err(err(step, "attempt to index a null value")),
        other => Err(err(step, format!("cannot index a {}", other.type_name()))),
    }
}

fn key_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(number_to_string(*n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The (key, value) pairs a `for` iterates: index and element for a list, key and value for a
/// map. `None` when the collection is unknown.
pub(crate) fn iteration(coll: &Spanned<Value>) -> Result<Option<Vec<Pair>>, EvalError> {
    match &coll.value {
        Value::List(items) => Ok(Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (sp(count(i), v.range), v.clone()))
                .collect(),
        )),
        Value::Map(m) => Ok(Some(
            m.iter()
                .map(|(k, v)| (sp(Value::String(k.clone()), v.range), v.clone()))
                .collect(),
        )),
        Value::Unknown | Value::Partial(_) => Ok(None),
        Value::Null => Err(err(coll.range, "cannot iterate over a null value")),
        other => Err(err(
            coll.range,
            format!("cannot iterate over a {}", other.type_name()),
        )),
    }
}

/// A value as a template interpolation renders it; `Ok(None)` when unknown.
fn template_string(v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(n) => Ok(Some(number_to_string(*n))),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Unknown | Value::Partial(_) => Ok(None),
        Value::Null => Err("cannot include a null value in a string template".to_owned()),
        _ => Err(format!(
            "cannot include a {} in a string template",
            v.type_name()
        )),
    }
}

/// A condition: `Ok(None)` when unknown.
pub(crate) fn to_bool(v: &Spanned<Value>) -> Result<Option<bool>, EvalError> {
    match &v.value {
        Value::Bool(b) => Ok(Some(*b)),
        Value::String(s) if s == "true" => Ok(Some(true)),
        Value::String(s) if s == "false" => Ok(Some(false)),
        Value::Unknown | Value::Partial(_) => Ok(None),
        Value::Null => Err(err(v.range, "a bool is required, got null")),
        other => Err(err(
            v.range,
            format!("a bool is required, got {}", other.type_name()),
        )),
    }
}

pub(crate) fn to_number(v: &Spanned<Value>) -> Result<Option<f64>, EvalError> {
    match &v.value {
        Value::Number(n) => Ok(Some(*n)),
        Value::String(s) => parse_number(s)
            .map(Some)
            .ok_or_else(|| err(v.range, format!("a number is required, got {s:?}"))),
        Value::Unknown | Value::Partial(_) => Ok(None),
        Value::Null => Err(err(v.range, "a number is required, got null")),
        other => Err(err(
            v.range,
            format!("a number is required, got {}", other.type_name()),
        )),
    }
}

fn binary(
    op: BinaryOp,
    a: &Spanned<Value>,
    b: &Spanned<Value>,
    range: TextRange,
) -> Result<Value, EvalError> {
    Ok(match op {
        BinaryOp::Eq | BinaryOp::NotEq => match equals(&a.value, &b.value) {
            Some(eq) => Value::Bool(eq == (op == BinaryOp::Eq)),
            None => Value::Unknown,
        },
        BinaryOp::And | BinaryOp::Or => match (to_bool(a)?, to_bool(b)?) {
            (Some(x), Some(y)) => Value::Bool(if op == BinaryOp::And { x && y } else { x || y }),
            _ => Value::Unknown,
        },
        arithmetic => {
            let (Some(x), Some(y)) = (to_number(a)?, to_number(b)?) else {
                return Ok(Value::Unknown);
            };
            if y == 0.0 && matches!(arithmetic, BinaryOp::Div | BinaryOp::Mod) {
                return Err(err(range, "division by zero"));
            }
            match arithmetic {
                BinaryOp::Plus => Value::Number(x + y),
                BinaryOp::Minus => Value::Number(x - y),
                BinaryOp::Mul => Value::Number(x * y),
                BinaryOp::Div => Value::Number(x / y),
                BinaryOp::Mod => Value::Number(x % y),
                BinaryOp::Less => Value::Bool(x < y),
                BinaryOp::LessEq => Value::Bool(x <= y),
                BinaryOp::Greater => Value::Bool(x > y),
                _ => Value::Bool(x >= y),
            }
        }
    })
}

/// `v` with every range in it replaced by `range`.
fn respan(v: Spanned<Value>, range: TextRange) -> Spanned<Value> {
    let map = |m: Map| -> Map { m.into_iter().map(|(k, v)| (k, respan(v, range))).collect() };
    let value = match v.value {
        Value::List(items) => Value::List(items.into_iter().map(|i| respan(i, range)).collect()),
        Value::Map(m) => Value::Map(map(m)),
        Value::Partial(m) => Value::Partial(map(m)),
        other => other,
    };
    Spanned::new(value, range)
}
