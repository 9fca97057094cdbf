//! Module instances: declarations, the dependency graph, expansion of `count` / `for_each` /
//! `dynamic`, and local module calls.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::rc::Rc;

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::hcl::{self, Attribute, Block, Expr, ExprKind, Syntax, TemplatePart, TraverseOp};

use super::SourceFile;
use super::eval::{Eval, Scope, Shared, iteration};
use super::model::{
    Attr, Backend, Body, CallSite, InstanceKey, Local, ModuleCall, ModuleInstance,
    ModuleSourceKind, Output, ProblemKind, Provider, RequiredProvider, Resource, ResourceMode,
    TerraformSettings, ValueSource, Variable,
};
use super::path;
use super::types::{self, Type};
use super::value::{Map, Value, count, count_f64, sp};

/// A block and whether it was written in the JSON syntax.
pub(crate) struct Decl {
    pub(crate) block: Block,
    pub(crate) json: bool,
}

/// The declarations of one module directory, parsed once and shared by its instances.
#[derive(Default)]
pub(crate) struct Decls {
    variables: Vec<Decl>,
    locals: Vec<Attribute>,
    resources: Vec<Decl>,
    data: Vec<Decl>,
    modules: Vec<Decl>,
    outputs: Vec<Decl>,
    providers: Vec<Decl>,
    terraform: Vec<Decl>,
}

fn file_name(p: &str) -> &str {
    p.rsplit(['/', '\\']).next().unwrap_or(p)
}

/// Whether a file name ends with `suffix` (case-sensitive, as Terraform reads file names).
pub(crate) fn has_suffix(name: &str, suffix: &str) -> bool {
    name.ends_with(suffix)
}

/// Registers a source in the address space, within the source budget.
pub(crate) fn add_source(shared: &mut Shared<'_>, path: &str, text: &str) -> Option<u32> {
    if shared.sources.total_len() + text.len() > shared.limits.max_source_bytes {
        return None;
    }
    shared.sources.add(path, text)
}

/// Parses the `.tf` and `.tf.json` files of a module directory (in file-name order, as Terraform
/// reads them).
pub(crate) fn load(shared: &mut Shared<'_>, files: &[SourceFile], call_range: TextRange) -> Decls {
    let mut files: Vec<&SourceFile> = files
        .iter()
        .filter(|f| {
            let n = file_name(&f.path);
            has_suffix(n, ".tf") || has_suffix(n, ".tf.json")
        })
        .collect();
    files.sort_by(|a, b| file_name(&a.path).cmp(file_name(&b.path)));
    let mut decls = Decls::default();
    for f in files {
        let name = file_name(&f.path);
        let Some(base) = add_source(shared, &f.path, &f.text) else {
            shared.problem(
                ProblemKind::Budget,
                call_range,
                format!("source size budget exhausted: `{}` was not read", f.path),
            );
            continue;
        };
        let stem = name.trim_end_matches(".json").trim_end_matches(".tf");
        if stem == "override" || stem.ends_with("_override") {
            shared.problem(
                ProblemKind::Unsupported,
                TextRange::empty(base),
                format!("override file `{}` is not merged: it is ignored", f.path),
            );
            continue;
        }
        let mut file = if has_suffix(name, ".json") {
            hcl::parse_tf_json(&f.text)
        } else {
            hcl::parse_hcl(&f.text)
        };
        file.shift(base);
        for e in file.errors {
            shared.problem(ProblemKind::Syntax, e.range, e.message);
        }
        let json = file.syntax == Syntax::Json;
        for block in file.body.blocks {
            let decl = |block| Decl { block, json };
            match block.kind.value.as_str() {
                "variable" if block.labels.len() == 1 => decls.variables.push(decl(block)),
                "locals" => decls.locals.extend(block.body.attributes),
                "resource" if block.labels.len() == 2 => decls.resources.push(decl(block)),
                "data" if block.labels.len() == 2 => decls.data.push(decl(block)),
                "module" if block.labels.len() == 1 => decls.modules.push(decl(block)),
                "output" if block.labels.len() == 1 => decls.outputs.push(decl(block)),
                "provider" if block.labels.len() == 1 => decls.providers.push(decl(block)),
                "terraform" => decls.terraform.push(decl(block)),
                _ => {}
            }
        }
    }
    decls
}

/// A value given to a variable, before conversion to its type.
#[derive(Clone)]
pub(crate) enum Input {
    Value(Spanned<Value>, ValueSource),
    /// A `--var` or `TF_VAR_` string: literal for primitive types (and no type), HCL otherwise.
    Text(String, TextRange, ValueSource),
}

/// What the graph orders.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Node {
    Local(usize),
    Resource(usize),
    Module(usize),
}

struct Instance<'s, 'l> {
    shared: &'s mut Shared<'l>,
    decls: Rc<Decls>,
    scope: Scope,
    out: ModuleInstance,
    depth: usize,
    /// Directories of the modules on the call stack, this one included.
    stack: Vec<String>,
    /// Locals, resources and module calls on a dependency cycle (`local.a`, `aws_x.y`).
    cycle: HashSet<String>,
}

/// Evaluates one instance of a module.
#[expect(
    clippy::too_many_arguments,
    reason = "one call site; a struct would only rename them"
)]
pub(crate) fn instantiate(
    shared: &mut Shared<'_>,
    decls: Rc<Decls>,
    dir: &str,
    path_module: &str,
    module_path: &str,
    call: Option<CallSite>,
    inputs: HashMap<String, Input>,
    depth: usize,
    stack: Vec<String>,
) -> ModuleInstance {
    shared.module_instances += 1;
    let scope = Scope {
        path_module: path_module.to_owned(),
        workspace: shared.workspace.clone(),
        ..Scope::default()
    };
    let mut inst = Instance {
        shared,
        decls,
        scope,
        out: ModuleInstance {
            path: module_path.to_owned(),
            dir: dir.to_owned(),
            path_module: path_module.to_owned(),
            call,
            ..ModuleInstance::default()
        },
        depth,
        stack,
        cycle: HashSet::new(),
    };
    inst.run(inputs);
    inst.out
}

fn key_of_resource(b: &Block) -> String {
    format!(
        "{}.{}",
        b.label(0).unwrap_or_default(),
        b.label(1).unwrap_or_default()
    )
}

impl<'l> Instance<'_, 'l> {
    fn run(&mut self, inputs: HashMap<String, Input>) {
        let decls = Rc::clone(&self.decls);
        self.declare(&decls);
        self.variables(&decls, inputs);
        let order = self.order(&decls);
        for node in order {
            match node {
                Node::Local(i) => self.local(&decls.locals[i]),
                Node::Resource(i) => self.resource(&decls.resources[i], ResourceMode::Managed),
                Node::Module(i) => self.module(&decls.modules[i]),
            }
        }
        for d in &decls.data {
            self.resource(d, ResourceMode::Data);
        }
        for o in &decls.outputs {
            self.output(o);
        }
        for p in &decls.providers {
            self.provider(p);
        }
        for t in &decls.terraform {
            self.terraform(t);
        }
    }

    fn declare(&mut self, decls: &Decls) {
        let declared = &mut self.scope.declared;
        for v in &decls.variables {
            declared.insert(format!("var.{}", v.block.label(0).unwrap_or_default()));
        }
        for l in &decls.locals {
            declared.insert(format!("local.{}", l.name.value));
        }
        for r in &decls.resources {
            declared.insert(key_of_resource(&r.block));
        }
        for d in &decls.data {
            declared.insert(format!("data.{}", key_of_resource(&d.block)));
        }
        for m in &decls.modules {
            declared.insert(format!("module.{}", m.block.label(0).unwrap_or_default()));
        }
    }

    fn eval(&mut self) -> Eval<'_, 'l> {
        Eval::new(&self.scope, &mut *self.shared)
    }

    /// Evaluates an expression that may use only literals and functions.
    fn constant(shared: &mut Shared<'_>, expr: &Expr) -> Spanned<Value> {
        let scope = Scope {
            restricted: true,
            ..Scope::default()
        };
        Eval::new(&scope, shared).eval_or_unknown(expr)
    }

    fn variables(&mut self, decls: &Decls, mut inputs: HashMap<String, Input>) {
        let is_root = self.out.call.is_none();
        for d in &decls.variables {
            let b = &d.block;
            let name = b.labels[0].clone();
            let body = &b.body;
            let default = body
                .attribute("default")
                .map(|a| Self::constant(self.shared, &a.value));
            let type_attr = body.attribute("type");
            let ty = type_attr.and_then(|a| {
                let shared = &mut *self.shared;
                match types::parse(&a.value, &mut |e| Self::constant(shared, e)) {
                    Ok(t) => Some(t),
                    Err(m) => {
                        self.shared.problem(
                            ProblemKind::Invalid,
                            a.value.range,
                            format!("invalid type: {m}"),
                        );
                        None
                    }
                }
            });
            let flag = |n: &str, dflt: bool| {
                body.attribute(n)
                    .and_then(|a| match a.value.kind {
                        ExprKind::Bool(b) => Some(b),
                        _ => None,
                    })
                    .unwrap_or(dflt)
            };
            let nullable = flag("nullable", true);
            let (mut value, mut source) = match inputs.remove(&name.value) {
                Some(Input::Value(v, s)) => (v, s),
                Some(Input::Text(text, range, s)) => {
                    (self.parse_text(&text, range, ty.as_ref()), s)
                }
                None => {
                    if let Some(v) = &default {
                        (v.clone(), ValueSource::Default)
                    } else {
                        if !is_root {
                            self.shared.problem(
                                ProblemKind::Invalid,
                                self.out.call.as_ref().map_or(name.range, |c| c.range),
                                format!(
                                    "the module call has no value for the required variable `{}`",
                                    name.value
                                ),
                            );
                        }
                        (Eval::unknown(name.range), ValueSource::Unset)
                    }
                }
            };
            if value.value.is_null()
                && !nullable
                && let Some(d) = &default
            {
                value = d.clone();
                source = ValueSource::Default;
            }
            if let Some(ty) = &ty {
                value = match types::convert(value.clone(), ty) {
                    Ok(v) => v,
                    Err(m) => {
                        self.shared.problem(
                            ProblemKind::Invalid,
                            value.range,
                            format!("invalid value for variable `{}`: {m}", name.value),
                        );
                        Eval::unknown(value.range)
                    }
                };
            }
            if source.is_external() {
                self.scope.external_vars.insert(name.value.clone());
            }
            self.scope.vars.insert(name.value.clone(), value.clone());
            self.out.variables.push(Variable {
                name,
                range: b.range,
                default,
                value,
                source,
                sensitive: flag("sensitive", false),
                nullable,
                description: body
                    .attribute("description")
                    .and_then(|a| a.value.as_str())
                    .map(str::to_owned),
                type_range: type_attr.map(|a| a.value.range),
            });
        }
        if let Some(call) = &self.out.call {
            let range = call.range;
            for name in inputs.keys() {
                self.shared.problem(
                    ProblemKind::Invalid,
                    range,
                    format!("the module has no variable named `{name}`"),
                );
            }
        }
    }

    /// A `--var` / `TF_VAR_` string for a variable of type `ty`.
    fn parse_text(&mut self, text: &str, range: TextRange, ty: Option<&Type>) -> Spanned<Value> {
        if !ty.is_some_and(Type::parses_cli_as_hcl) {
            return sp(Value::String(text.to_owned()), range);
        }
        match hcl::parse_expr(text, range.start) {
            Ok(e) => Self::constant(self.shared, &e),
            Err(e) => {
                self.shared.problem(ProblemKind::Syntax, e.range, e.message);
                Eval::unknown(range)
            }
        }
    }

    /// Locals, resources and module calls in dependency order; those on a cycle are reported
    /// and come after the rest, with each other's values unknown.
    fn order(&mut self, decls: &Decls) -> Vec<Node> {
        let mut nodes: Vec<(String, Node, TextRange)> = Vec::new();
        for (i, l) in decls.locals.iter().enumerate() {
            nodes.push((format!("local.{}", l.name.value), Node::Local(i), l.range));
        }
        for (i, r) in decls.resources.iter().enumerate() {
            nodes.push((key_of_resource(&r.block), Node::Resource(i), r.block.range));
        }
        for (i, m) in decls.modules.iter().enumerate() {
            nodes.push((
                format!("module.{}", m.block.label(0).unwrap_or_default()),
                Node::Module(i),
                m.block.range,
            ));
        }
        let index: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, (k, _, _))| (k.as_str(), i))
            .collect();
        let mut deps: Vec<Vec<usize>> = Vec::with_capacity(nodes.len());
        for (_, node, _) in &nodes {
            let mut refs = HashSet::new();
            match node {
                Node::Local(i) => collect(&decls.locals[*i].value, &mut Vec::new(), &mut refs),
                Node::Resource(i) => {
                    collect_body(&decls.resources[*i].block.body, &mut Vec::new(), &mut refs);
                }
                Node::Module(i) => {
                    collect_body(&decls.modules[*i].block.body, &mut Vec::new(), &mut refs);
                }
            }
            let mut d: Vec<usize> = refs
                .iter()
                .filter_map(|r| index.get(r.as_str()).copied())
                .collect();
            d.sort_unstable();
            d.dedup();
            deps.push(d);
        }
        let n = nodes.len();
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut pending: Vec<usize> = deps.iter().map(Vec::len).collect();
        for (i, d) in deps.iter().enumerate() {
            for &j in d {
                dependents[j].push(i);
            }
        }
        let mut done = vec![false; n];
        let mut order = Vec::with_capacity(n);
        kahn(
            &mut pending,
            &dependents,
            &mut done,
            &mut order,
            (0..n).filter(|&i| deps[i].is_empty()).collect(),
        );
        if order.len() < n {
            // Drop, from the rest, what no other remaining node depends on (it only sits
            // downstream of a cycle); what is left is on a cycle.
            let mut rest: HashSet<usize> = (0..n).filter(|&i| !done[i]).collect();
            loop {
                let drop: Vec<usize> = rest
                    .iter()
                    .copied()
                    .filter(|&i| !dependents[i].iter().any(|j| rest.contains(j)))
                    .collect();
                if drop.is_empty() {
                    break;
                }
                for i in drop {
                    rest.remove(&i);
                }
            }
            let mut on_cycle: Vec<usize> = rest.into_iter().collect();
            on_cycle.sort_unstable();
            let names: Vec<&str> = on_cycle.iter().map(|&i| nodes[i].0.as_str()).collect();
            let listed = names.join(", ");
            for &i in &on_cycle {
                self.shared.problem(
                    ProblemKind::Cycle,
                    nodes[i].2,
                    format!(
                        "`{}` is part of a dependency cycle ({listed}): its value is unknown",
                        nodes[i].0
                    ),
                );
                self.cycle.insert(nodes[i].0.clone());
                done[i] = true;
                order.push(i);
            }
            let starts: VecDeque<usize> = on_cycle
                .iter()
                .flat_map(|&i| dependents[i].clone())
                .filter(|&j| !done[j])
                .collect();
            for &i in &on_cycle {
                for &j in &dependents[i] {
                    pending[j] = pending[j].saturating_sub(1);
                }
            }
            let starts = starts.into_iter().filter(|&j| pending[j] == 0).collect();
            kahn(&mut pending, &dependents, &mut done, &mut order, starts);
            // Anything still left depends on nodes left out above: evaluate it last.
            order.extend((0..n).filter(|&i| !done[i]));
        }
        order.into_iter().map(|i| nodes[i].1).collect()
    }

    fn local(&mut self, attr: &Attribute) {
        let value = if self.cycle.contains(&format!("local.{}", attr.name.value)) {
            Eval::unknown(attr.value.range)
        } else {
            self.eval().eval_or_unknown(&attr.value)
        };
        self.scope
            .locals
            .insert(attr.name.value.clone(), value.clone());
        self.out.locals.push(Local {
            name: attr.name.clone(),
            range: attr.range,
            value,
        });
    }

    /// The instance keys `count` / `for_each` give; `None` when unknown.
    #[expect(clippy::type_complexity, reason = "a local triple")]
    fn expansion(
        &mut self,
        body: &hcl::Body,
    ) -> (
        Option<
            Vec<(
                InstanceKey,
                Option<Spanned<Value>>,
                Option<(Spanned<Value>, Spanned<Value>)>,
            )>,
        >,
        Option<Spanned<Value>>,
        Option<Spanned<Value>>,
    ) {
        let max = self.shared.limits.max_instances;
        if let Some(a) = body.attribute("count") {
            let v = self.eval().eval_or_unknown(&a.value);
            let keys = match &v.value {
                Value::Number(n) if *n >= 0.0 && n.fract() == 0.0 && *n <= count_f64(max) => {
                    #[expect(
                        clippy::cast_possible_truncation,
                        clippy::cast_sign_loss,
                        reason = "checked"
                    )]
                    let n = *n as usize;
                    Some(
                        (0..n)
                            .map(|i| {
                                (
                                    InstanceKey::Index(i as u64),
                                    Some(sp(count(i), v.range)),
                                    None,
                                )
                            })
                            .collect(),
                    )
                }
                Value::Number(n) if *n > count_f64(max) => {
                    self.shared.problem(
                        ProblemKind::Budget,
                        a.value.range,
                        format!("more than {max} instances: their number is treated as unknown"),
                    );
                    None
                }
                Value::Unknown | Value::Partial(_) => None,
                _ => {
                    self.shared.problem(
                        ProblemKind::Invalid,
                        a.value.range,
                        "`count` must be a whole number, not negative",
                    );
                    None
                }
            };
            return (keys, Some(v), None);
        }
        if let Some(a) = body.attribute("for_each") {
            let v = self.eval().eval_or_unknown(&a.value);
            let keys = match &v.value {
                Value::Map(m) if m.len() > max => {
                    self.shared.problem(
                        ProblemKind::Budget,
                        a.value.range,
                        format!("more than {max} instances: their keys are treated as unknown"),
                    );
                    None
                }
                Value::Map(m) => Some(
                    m.iter()
                        .map(|(k, e)| {
                            (
                                InstanceKey::Key(k.clone()),
                                None,
                                Some((sp(Value::String(k.clone()), e.range), e.clone())),
                            )
                        })
                        .collect(),
                ),
                Value::List(items) if items.iter().any(|i| !i.value.is_known()) => None,
                Value::List(items)
                    if !items.iter().all(|i| matches!(i.value, Value::String(_))) =>
                {
                    self.shared.problem(
                        ProblemKind::Invalid,
                        a.value.range,
                        "`for_each` must be a map or a set of strings",
                    );
                    None
                }
                Value::List(items) if items.len() > max => {
                    self.shared.problem(
                        ProblemKind::Budget,
                        a.value.range,
                        format!("more than {max} instances: their keys are treated as unknown"),
                    );
                    None
                }
                Value::List(items) => Some(
                    super::funcs::to_set(items.clone())
                        .into_iter()
                        .map(|e| {
                            let k = e.value.as_str().unwrap_or_default().to_owned();
                            (InstanceKey::Key(k), None, Some((e.clone(), e)))
                        })
                        .collect(),
                ),
                Value::Unknown | Value::Partial(_) => None,
                _ => {
                    self.shared.problem(
                        ProblemKind::Invalid,
                        a.value.range,
                        "`for_each` must be a map or a set of strings",
                    );
                    None
                }
            };
            return (keys, None, Some(v));
        }
        (Some(vec![(InstanceKey::None, None, None)]), None, None)
    }

    fn resource(&mut self, d: &Decl, mode: ResourceMode) {
        let b = &d.block;
        let (kind, name) = (b.labels[0].clone(), b.labels[1].clone());
        let (keys, count, for_each) = self.expansion(&b.body);
        let known = keys.is_some();
        let keys = keys.unwrap_or_else(|| {
            let unknown = Eval::unknown(b.range);
            vec![(
                InstanceKey::Unknown,
                Some(unknown.clone()),
                Some((unknown.clone(), unknown)),
            )]
        });
        let provider = b.body.attribute("provider").map(|a| {
            let text = a.value.as_traversal_path().map_or_else(
                || a.value.as_str().unwrap_or_default().to_owned(),
                |p| p.join("."),
            );
            Spanned::new(text, a.value.range)
        });
        let depends_on = b
            .body
            .attribute("depends_on")
            .map(|a| traversal_strings(&a.value))
            .unwrap_or_default();
        let prefix = if mode == ResourceMode::Data {
            "data."
        } else {
            ""
        };
        let mut instances: Vec<(InstanceKey, Spanned<Value>)> = Vec::new();
        for (key, index, each) in keys {
            self.scope.count_index = if count.is_some() { index } else { None };
            self.scope.each = if for_each.is_some() { each } else { None };
            let body = {
                let mut ev = Eval::new(&self.scope, self.shared);
                eval_body(&mut ev, &b.body, d.json, BodyKind::Resource)
            };
            let local = format!("{prefix}{}.{}{key}", kind.value, name.value);
            let address = if self.out.path.is_empty() {
                local
            } else {
                format!("{}.{local}", self.out.path)
            };
            instances.push((key.clone(), reference_value(&body, b.range)));
            let r = Resource {
                address,
                mode,
                kind: kind.clone(),
                name: name.clone(),
                key,
                range: b.range,
                body,
                count: count.clone(),
                for_each: for_each.clone(),
                provider: provider.clone(),
                depends_on: depends_on.clone(),
                module: self.out.path.clone(),
            };
            match mode {
                ResourceMode::Managed => self.out.resources.push(r),
                ResourceMode::Data => self.out.data.push(r),
            }
        }
        self.scope.count_index = None;
        self.scope.each = None;
        if mode == ResourceMode::Data {
            return;
        }
        let value = if !known || self.cycle.contains(&key_of_resource(b)) {
            Eval::unknown(b.range)
        } else {
            collect_instances(instances, count.is_some(), for_each.is_some(), b.range)
        };
        self.scope
            .resources
            .entry(kind.value)
            .or_default()
            .insert(name.value, value);
    }

    fn module(&mut self, d: &Decl) {
        let b = &d.block;
        let name = b.labels[0].clone();
        let source = b.body.attribute("source").and_then(|a| {
            a.value
                .as_str()
                .map(|s| Spanned::new(s.to_owned(), a.value.range))
        });
        let version = b.body.attribute("version").and_then(|a| {
            a.value
                .as_str()
                .map(|s| Spanned::new(s.to_owned(), a.value.range))
        });
        let kind = match &source {
            Some(s) if path::is_local_source(&s.value) => {
                ModuleSourceKind::Local(path::join(&self.out.path_module, &s.value))
            }
            Some(_) => ModuleSourceKind::Remote,
            None => ModuleSourceKind::Missing,
        };
        let (keys, count, for_each) = self.expansion(&b.body);
        self.out.module_calls.push(ModuleCall {
            name: name.clone(),
            source: source.clone(),
            version,
            kind: kind.clone(),
            range: b.range,
            count: count.clone(),
            for_each: for_each.clone(),
        });
        let value =
            self.module_instances(d, &name, &kind, keys, count.is_some(), for_each.is_some());
        let value = if self.cycle.contains(&format!("module.{}", name.value)) {
            Eval::unknown(b.range)
        } else {
            value
        };
        self.scope.modules.insert(name.value, value);
    }

    #[expect(clippy::type_complexity, reason = "the expansion triple")]
    fn module_instances(
        &mut self,
        d: &Decl,
        name: &Spanned<String>,
        kind: &ModuleSourceKind,
        keys: Option<
            Vec<(
                InstanceKey,
                Option<Spanned<Value>>,
                Option<(Spanned<Value>, Spanned<Value>)>,
            )>,
        >,
        counted: bool,
        each: bool,
    ) -> Spanned<Value> {
        let b = &d.block;
        let range = b.range;
        let child_path_module = match kind {
            ModuleSourceKind::Local(p) => p.clone(),
            ModuleSourceKind::Remote => {
                let key = call_key(&self.out.path, &name.value);
                if let Some(dir) = self.shared.loader.remote_module_dir(&key) {
                    dir
                } else {
                    self.shared.problem(ProblemKind::NotRendered, range, format!("module `{}` has a remote source, which is not fetched: its outputs are unknown", name.value));
                    return Eval::unknown(range);
                }
            }
            ModuleSourceKind::Missing => {
                self.shared.problem(
                    ProblemKind::Invalid,
                    range,
                    format!("module `{}` has no `source`", name.value),
                );
                return Eval::unknown(range);
            }
        };
        let dir = path::join(&self.shared.root_dir, &child_path_module);
        if self.stack.contains(&dir) {
            self.shared.problem(
                ProblemKind::NotRendered,
                range,
                format!(
                    "module `{}` calls itself (through `{dir}`): its outputs are unknown",
                    name.value
                ),
            );
            return Eval::unknown(range);
        }
        if self.depth + 1 > self.shared.limits.max_module_depth {
            self.shared.problem(
                ProblemKind::Budget,
                range,
                format!(
                    "modules nested deeper than {} levels are not rendered",
                    self.shared.limits.max_module_depth
                ),
            );
            return Eval::unknown(range);
        }
        let decls = if let Some(d) = self.shared.decls.get(&dir) {
            d.clone()
        } else {
            let loaded = self
                .shared
                .loader
                .module_files(&dir)
                .map(|files| Rc::new(load(self.shared, &files, range)));
            self.shared.decls.insert(dir.clone(), loaded.clone());
            loaded
        };
        let Some(decls) = decls else {
            self.shared.problem(
                ProblemKind::NotRendered,
                range,
                format!(
                    "module `{}`: directory `{dir}` not found: its outputs are unknown",
                    name.value
                ),
            );
            return Eval::unknown(range);
        };
        let known = keys.is_some();
        let keys = keys.unwrap_or_else(|| {
            let unknown = Eval::unknown(range);
            vec![(
                InstanceKey::Unknown,
                Some(unknown.clone()),
                Some((unknown.clone(), unknown)),
            )]
        });
        let mut values: Vec<(InstanceKey, Spanned<Value>)> = Vec::new();
        for (key, index, each_kv) in keys {
            if self.shared.module_instances >= self.shared.limits.max_module_instances {
                self.shared.problem(
                    ProblemKind::Budget,
                    range,
                    format!(
                        "more than {} module instances: the rest are not rendered",
                        self.shared.limits.max_module_instances
                    ),
                );
                return Eval::unknown(range);
            }
            self.scope.count_index = if counted { index } else { None };
            self.scope.each = if each { each_kv } else { None };
            let mut inputs = HashMap::new();
            for a in &b.body.attributes {
                if matches!(
                    a.name.value.as_str(),
                    "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
                ) {
                    continue;
                }
                let v = self.eval().eval_or_unknown(&a.value);
                inputs.insert(
                    a.name.value.clone(),
                    Input::Value(v, ValueSource::ModuleArgument),
                );
            }
            self.scope.count_index = None;
            self.scope.each = None;
            let path = format!(
                "{}{}module.{}{key}",
                self.out.path,
                if self.out.path.is_empty() { "" } else { "." },
                name.value
            );
            let mut stack = self.stack.clone();
            stack.push(dir.clone());
            let call = CallSite {
                name: name.clone(),
                key: key.clone(),
                range,
                remote: *kind == ModuleSourceKind::Remote
                    || self.out.call.as_ref().is_some_and(|c| c.remote),
            };
            let child = instantiate(
                self.shared,
                Rc::clone(&decls),
                &dir,
                &child_path_module,
                &path,
                Some(call),
                inputs,
                self.depth + 1,
                stack,
            );
            let outputs: Map = child
                .outputs
                .iter()
                .map(|o| (o.name.value.clone(), o.value.clone()))
                .collect();
            values.push((key, sp(Value::Map(outputs), range)));
            self.out.children.push(child);
        }
        if !known {
            return Eval::unknown(range);
        }
        collect_instances(values, counted, each, range)
    }

    fn output(&mut self, d: &Decl) {
        let b = &d.block;
        let value = match b.body.attribute("value") {
            Some(a) => self.eval().eval_or_unknown(&a.value),
            None => sp(Value::Null, b.range),
        };
        self.out.outputs.push(Output {
            name: b.labels[0].clone(),
            range: b.range,
            value,
            sensitive: matches!(
                b.body.attribute("sensitive").map(|a| &a.value.kind),
                Some(ExprKind::Bool(true))
            ),
        });
    }

    fn provider(&mut self, d: &Decl) {
        let b = &d.block;
        let body = {
            let mut ev = Eval::new(&self.scope, self.shared);
            eval_body(&mut ev, &b.body, d.json, BodyKind::Plain)
        };
        let alias = body
            .attr("alias")
            .and_then(|v| v.value.as_str())
            .map(str::to_owned);
        self.out.providers.push(Provider {
            name: b.labels[0].clone(),
            alias,
            range: b.range,
            body,
        });
    }

    fn terraform(&mut self, d: &Decl) {
        let b = &d.block;
        let body = {
            let mut ev = Eval::new(&self.scope, self.shared);
            eval_body(&mut ev, &b.body, false, BodyKind::Plain)
        };
        let mut required_providers = Vec::new();
        for rp in body.blocks("required_providers") {
            for a in &rp.body.attrs {
                let (source, version) = match &a.value.value {
                    Value::Map(m) => (m.get("source").cloned(), m.get("version").cloned()),
                    Value::String(_) => (None, Some(a.value.clone())),
                    _ => (None, None),
                };
                required_providers.push(RequiredProvider {
                    name: a.name.clone(),
                    source,
                    version,
                    range: a.range,
                });
            }
        }
        let backend = body.blocks("backend").next().map(|bk| Backend {
            kind: bk
                .labels
                .first()
                .cloned()
                .unwrap_or_else(|| Spanned::new(String::new(), bk.range)),
            body: bk.body.clone(),
            range: bk.range,
        });
        let cloud = body.blocks("cloud").next().cloned();
        self.out.terraform.push(TerraformSettings {
            range: b.range,
            required_version: body.attr("required_version").cloned(),
            required_providers,
            backend,
            cloud,
            body,
        });
    }
}

fn kahn(
    pending: &mut [usize],
    dependents: &[Vec<usize>],
    done: &mut [bool],
    order: &mut Vec<usize>,
    start: VecDeque<usize>,
) {
    let mut queue = start;
    while let Some(i) = queue.pop_front() {
        if done[i] {
            continue;
        }
        done[i] = true;
        order.push(i);
        for &j in &dependents[i] {
            pending[j] = pending[j].saturating_sub(1);
            if pending[j] == 0 && !done[j] {
                queue.push_back(j);
            }
        }
    }
}

/// The value a reference to a resource or module sees, from its instances.
fn collect_instances(
    instances: Vec<(InstanceKey, Spanned<Value>)>,
    counted: bool,
    each: bool,
    range: TextRange,
) -> Spanned<Value> {
    if counted {
        sp(
            Value::List(instances.into_iter().map(|(_, v)| v).collect()),
            range,
        )
    } else if each {
        sp(
            Value::Map(
                instances
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            if let InstanceKey::Key(k) = k {
                                k
                            } else {
                                String::new()
                            },
                            v,
                        )
                    })
                    .collect(),
            ),
            range,
        )
    } else {
        instances
            .into_iter()
            .next()
            .map_or_else(|| Eval::unknown(range), |(_, v)| v)
    }
}

/// A resource instance (or nested block) as references see it: its written arguments and blocks
/// known, everything else computed.
fn reference_value(body: &Body, range: TextRange) -> Spanned<Value> {
    let mut m = Map::new();
    for a in &body.attrs {
        m.insert(a.name.value.clone(), a.value.clone());
    }
    let mut blocks: BTreeMap<&str, Vec<Spanned<Value>>> = BTreeMap::new();
    for b in &body.blocks {
        blocks
            .entry(b.kind.value.as_str())
            .or_default()
            .push(reference_value(&b.body, b.range));
    }
    for (k, items) in blocks {
        m.entry(k.to_owned())
            .or_insert_with(|| sp(Value::List(items), range));
    }
    for k in &body.unknown_blocks {
        m.insert(k.value.clone(), Eval::unknown(k.range));
    }
    sp(Value::Partial(m), range)
}

fn traversal_strings(e: &Expr) -> Vec<Spanned<String>> {
    match &e.kind {
        ExprKind::Tuple(items) => items
            .iter()
            .map(|i| {
                let text = i.as_traversal_path().map_or_else(
                    || i.as_str().unwrap_or_default().to_owned(),
                    |p| p.join("."),
                );
                Spanned::new(text, i.range)
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// A resource or data body: meta-arguments kept apart.
    Resource,
    /// A block nested in a resource: `dynamic` blocks expanded, every argument kept.
    Nested,
    Plain,
}

/// Evaluates a body: arguments, nested blocks, `dynamic` blocks expanded.
pub(crate) fn eval_body(
    ev: &mut Eval<'_, '_>,
    body: &hcl::Body,
    json: bool,
    kind: BodyKind,
) -> Body {
    let mut out = Body::default();
    for a in &body.attributes {
        if kind == BodyKind::Resource
            && matches!(
                a.name.value.as_str(),
                "count" | "for_each" | "provider" | "depends_on"
            )
        {
            continue;
        }
        let mark = ev.refs.len();
        let value = ev.eval_or_unknown(&a.value);
        let refs = ev.refs.split_off(mark);
        out.attrs.push(Attr {
            name: a.name.clone(),
            value,
            range: a.range,
            refs,
        });
    }
    for b in &body.blocks {
        match b.kind.value.as_str() {
            "dynamic" if b.labels.len() == 1 => dynamic(ev, b, json, &mut out),
            "lifecycle" if kind == BodyKind::Resource => {
                let mut lifecycle = Body::default();
                for a in &b.body.attributes {
                    let value = if matches!(
                        a.name.value.as_str(),
                        "ignore_changes" | "replace_triggered_by"
                    ) {
                        references_as_strings(&a.value)
                    } else {
                        ev.eval_or_unknown(&a.value)
                    };
                    lifecycle.attrs.push(Attr {
                        name: a.name.clone(),
                        value,
                        range: a.range,
                        refs: Vec::new(),
                    });
                }
                for inner in &b.body.blocks {
                    let body = eval_body(ev, &inner.body, json, BodyKind::Plain);
                    lifecycle.blocks.push(nested(inner, body));
                }
                out.blocks.push(nested(b, lifecycle));
            }
            _ => {
                let inner_kind = if kind == BodyKind::Plain {
                    BodyKind::Plain
                } else {
                    BodyKind::Nested
                };
                let body = eval_body(ev, &b.body, json, inner_kind);
                out.blocks.push(nested(b, body));
            }
        }
    }
    if json {
        let synthesized = json_blocks(&out.attrs);
        out.blocks.extend(synthesized);
    }
    out
}

fn nested(b: &Block, body: Body) -> super::model::NestedBlock {
    super::model::NestedBlock {
        kind: b.kind.clone(),
        labels: b.labels.clone(),
        body,
        range: b.range,
    }
}

/// `ignore_changes = [tags, all]` as strings (these are references, not values).
fn references_as_strings(e: &Expr) -> Spanned<Value> {
    let one = |i: &Expr| {
        let text = i.as_traversal_path().map_or_else(
            || i.as_str().unwrap_or_default().to_owned(),
            |p| p.join("."),
        );
        sp(Value::String(text), i.range)
    };
    match &e.kind {
        ExprKind::Tuple(items) => sp(Value::List(items.iter().map(one).collect()), e.range),
        _ => one(e),
    }
}

/// In the JSON syntax an object-valued argument may be a nested block (only the provider's
/// schema tells): it is both an argument and a block.
fn json_blocks(attrs: &[Attr]) -> Vec<super::model::NestedBlock> {
    fn block(name: &Spanned<String>, m: &Map, range: TextRange) -> super::model::NestedBlock {
        let attrs: Vec<Attr> = m
            .iter()
            .map(|(k, v)| Attr {
                name: Spanned::new(k.clone(), v.range),
                value: v.clone(),
                range: v.range,
                refs: Vec::new(),
            })
            .collect();
        let blocks = json_blocks(&attrs);
        super::model::NestedBlock {
            kind: name.clone(),
            labels: Vec::new(),
            body: Body {
                attrs,
                blocks,
                unknown_blocks: Vec::new(),
            },
            range,
        }
    }
    let mut out = Vec::new();
    for a in attrs {
        match &a.value.value {
            Value::Map(m) => out.push(block(&a.name, m, a.value.range)),
            Value::List(items)
                if !items.is_empty() && items.iter().all(|i| matches!(i.value, Value::Map(_))) =>
            {
                for i in items {
                    if let Value::Map(m) = &i.value {
                        out.push(block(&a.name, m, i.range));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `dynamic "x" { for_each = ..., iterator = it, labels = [...], content { ... } }`.
fn dynamic(ev: &mut Eval<'_, '_>, b: &Block, json: bool, out: &mut Body) {
    let Some(label) = b.labels.first() else {
        return;
    };
    let iterator = b
        .body
        .attribute("iterator")
        .and_then(|a| a.value.as_traversal_path())
        .and_then(|p| (p.len() == 1).then(|| p[0].to_owned()))
        .unwrap_or_else(|| label.value.clone());
    let Some(for_each) = b.body.attribute("for_each") else {
        ev.shared.problem(
            ProblemKind::Invalid,
            b.range,
            "a `dynamic` block needs `for_each`",
        );
        return;
    };
    let coll = ev.eval_or_unknown(&for_each.value);
    let pairs = match iteration(&coll) {
        Ok(Some(p)) => p,
        Ok(None) => {
            out.unknown_blocks.push(label.clone());
            return;
        }
        Err(e) => {
            ev.shared.problem(ProblemKind::Invalid, e.range, e.message);
            out.unknown_blocks.push(label.clone());
            return;
        }
    };
    let content = b.body.blocks_of("content").next();
    for (k, v) in pairs {
        let mut it = Map::new();
        it.insert("key".to_owned(), k);
        it.insert("value".to_owned(), v);
        ev.bindings
            .push((iterator.clone(), sp(Value::Map(it), b.range)));
        let labels = match b.body.attribute("labels") {
            Some(a) => match ev.eval_or_unknown(&a.value).value {
                Value::List(items) => items
                    .into_iter()
                    .map(|i| Spanned::new(i.value.as_str().unwrap_or_default().to_owned(), i.range))
                    .collect(),
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        let body = content
            .map(|c| eval_body(ev, &c.body, json, BodyKind::Nested))
            .unwrap_or_default();
        ev.bindings.pop();
        out.blocks.push(super::model::NestedBlock {
            kind: label.clone(),
            labels,
            body,
            range: b.range,
        });
    }
}

// ---- references, for ordering ----

/// The names an expression refers to (`local.x`, `module.m`, `aws_s3_bucket.b`, `data.t.n`),
/// `bound` names (`for` variables, `dynamic` iterators) excluded.
fn collect(e: &Expr, bound: &mut Vec<String>, out: &mut HashSet<String>) {
    match &e.kind {
        ExprKind::Null
        | ExprKind::Bool(_)
        | ExprKind::Number(_)
        | ExprKind::String(_)
        | ExprKind::Variable(_) => {}
        ExprKind::Template(t) => collect_template(&t.parts, bound, out),
        ExprKind::Tuple(items) => items.iter().for_each(|i| collect(i, bound, out)),
        ExprKind::Object(items) => {
            for item in items {
                if let hcl::ObjectKey::Expr(k) = &item.key {
                    collect(k, bound, out);
                }
                collect(&item.value, bound, out);
            }
        }
        ExprKind::Traversal(root, steps) => {
            if let ExprKind::Variable(name) = &root.kind {
                if !bound.contains(name) {
                    let attr = |i: usize| match steps.get(i).map(|s| &s.op) {
                        Some(TraverseOp::Attr(a)) => Some(a.as_str()),
                        _ => None,
                    };
                    match name.as_str() {
                        "var" | "count" | "each" | "self" | "path" | "terraform" => {}
                        "local" | "module" => {
                            if let Some(a) = attr(0) {
                                out.insert(format!("{name}.{a}"));
                            }
                        }
                        "data" => {
                            if let (Some(t), Some(n)) = (attr(0), attr(1)) {
                                out.insert(format!("data.{t}.{n}"));
                            }
                        }
                        other => {
                            if let Some(a) = attr(0) {
                                out.insert(format!("{other}.{a}"));
                            }
                        }
                    }
                }
            } else {
                collect(root, bound, out);
            }
            for s in steps {
                if let TraverseOp::Index(i) = &s.op {
                    collect(i, bound, out);
                }
            }
        }
        ExprKind::Call(c) => c.args.iter().for_each(|a| collect(a, bound, out)),
        ExprKind::Conditional(c) => {
            collect(&c.condition, bound, out);
            collect(&c.then, bound, out);
            collect(&c.otherwise, bound, out);
        }
        ExprKind::Unary(_, e) | ExprKind::Paren(e) => collect(e, bound, out),
        ExprKind::Binary(_, a, b) => {
            collect(a, bound, out);
            collect(b, bound, out);
        }
        ExprKind::For(f) => {
            collect(&f.collection, bound, out);
            let n = bound.len();
            if let Some(k) = &f.key_var {
                bound.push(k.value.clone());
            }
            bound.push(f.value_var.value.clone());
            if let Some(k) = &f.key {
                collect(k, bound, out);
            }
            collect(&f.value, bound, out);
            if let Some(c) = &f.condition {
                collect(c, bound, out);
            }
            bound.truncate(n);
        }
    }
}

fn collect_template(parts: &[TemplatePart], bound: &mut Vec<String>, out: &mut HashSet<String>) {
    for p in parts {
        match p {
            TemplatePart::Literal(_) => {}
            TemplatePart::Interpolation(e) => collect(e, bound, out),
            TemplatePart::If(i) => {
                collect(&i.condition, bound, out);
                collect_template(&i.then.parts, bound, out);
                collect_template(&i.otherwise.parts, bound, out);
            }
            TemplatePart::For(f) => {
                collect(&f.collection, bound, out);
                let n = bound.len();
                if let Some(k) = &f.key_var {
                    bound.push(k.value.clone());
                }
                bound.push(f.value_var.value.clone());
                collect_template(&f.body.parts, bound, out);
                bound.truncate(n);
            }
        }
    }
}

fn collect_body(body: &hcl::Body, bound: &mut Vec<String>, out: &mut HashSet<String>) {
    for a in &body.attributes {
        if matches!(
            a.name.value.as_str(),
            "depends_on" | "provider" | "providers"
        ) {
            continue;
        }
        collect(&a.value, bound, out);
    }
    for b in &body.blocks {
        match b.kind.value.as_str() {
            "lifecycle" => {}
            "dynamic" => {
                let iterator = b
                    .body
                    .attribute("iterator")
                    .and_then(|a| a.value.as_traversal_path())
                    .and_then(|p| p.first().map(|s| (*s).to_owned()))
                    .or_else(|| b.label(0).map(str::to_owned))
                    .unwrap_or_default();
                if let Some(f) = b.body.attribute("for_each") {
                    collect(&f.value, bound, out);
                }
                bound.push(iterator);
                for inner in &b.body.blocks {
                    collect_body(&inner.body, bound, out);
                }
                if let Some(l) = b.body.attribute("labels") {
                    collect(&l.value, bound, out);
                }
                bound.pop();
            }
            _ => collect_body(&b.body, bound, out),
        }
    }
}

/// The key `terraform init` gives a module call in `modules.json`: the call names from the root,
/// without instance keys (`module.eks["a"].module.kms` calling `x` gives `eks.kms.x`).
fn call_key(parent_path: &str, name: &str) -> String {
    let mut names: Vec<&str> = Vec::new();
    let mut rest = parent_path;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['[', '.']).unwrap_or(after.len());
        names.push(&after[..end]);
        rest = &after[end..];
        if rest.starts_with('[') {
            rest = skip_key(rest);
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    names.push(name);
    names.join(".")
}

/// The text after an instance key (`["a.b"]`, `[0]`) at the start of `text`.
fn skip_key(text: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            ']' if !in_string => return &text[i + 1..],
            _ => {}
        }
    }
    ""
}

#[cfg(test)]
mod call_key_tests {
    use super::call_key;

    #[test]
    fn call_keys_drop_instance_keys() {
        assert_eq!(call_key("", "vpc"), "vpc");
        assert_eq!(call_key("module.eks", "kms"), "eks.kms");
        assert_eq!(
            call_key("module.eks[\"a.b]\"].module.node[0]", "x"),
            "eks.node.x"
        );
    }
}
