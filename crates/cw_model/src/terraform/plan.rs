//! A Terraform plan in JSON (`terraform show -json plan.out`) as an [`Evaluation`]: the planned
//! values of every resource are a second input to the same cloud models, next to the HCL.
//!
//! - `planned_values` gives each resource instance's values, module by module; nested blocks are
//!   lists of objects, read as nested blocks.
//! - What is known only after apply is missing from `planned_values` and marked in
//!   `resource_changes[].change.after_unknown`: such an attribute is [`Value::Unknown`].
//! - `null` is an argument that is not set ([`crate::aws::Field::Absent`] downstream).
//! - `configuration` holds each argument's `references`: they become [`Attr::refs`], so a
//!   companion resource (`aws_s3_bucket_versioning`) is linked to its parent even though the id
//!   it names is unknown in the plan.
//!
//! Ranges point into the plan file. A plan that does not parse is one CW001 problem; a JSON file
//! that is not a plan yields no resources.

use std::collections::HashMap;

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::yaml::{self, Node, ScalarStyle, parse_json};

use super::model::{
    Attr, Body, Evaluation, InstanceKey, ModuleInstance, NestedBlock, Problem, ProblemKind,
    Resource, ResourceMode,
};
use super::source::SourceMap;
use super::value::{Map, Value};

/// Whether a JSON text is a Terraform plan, by a look at its first bytes: `terraform show -json`
/// writes `format_version` and `terraform_version` first, and a plan has `planned_values`.
pub fn looks_like_plan(text: &str) -> bool {
    let head = text.get(..text.len().min(512)).unwrap_or(text);
    head.trim_start().starts_with('{')
        && head.contains("\"format_version\"")
        && head.contains("\"terraform_version\"")
        && text.contains("\"planned_values\"")
}

/// Reads a plan. Never fails and never panics: what is missing or malformed is absent.
pub fn evaluate_plan(path: &str, text: &str) -> Evaluation {
    let mut sources = SourceMap::default();
    let mut problems = Vec::new();
    let mut root = ModuleInstance {
        dir: ".".to_owned(),
        path_module: ".".to_owned(),
        ..ModuleInstance::default()
    };
    let Some(base) = sources.add(path, text) else {
        return Evaluation {
            root,
            problems,
            sources,
        };
    };
    let file = parse_json(text);
    for e in &file.errors {
        problems.push(Problem {
            kind: ProblemKind::Syntax,
            range: e.range.shift(base),
            message: e.message.clone(),
        });
    }
    if let Some(doc) = file.documents.first().map(|d| &d.root)
        && let Some(planned) = doc.get("planned_values").and_then(|p| p.get("root_module"))
    {
        let unknown = after_unknown(doc);
        let refs = configuration_refs(doc);
        let plan = Plan {
            unknown: &unknown,
            refs: &refs,
            base,
        };
        plan.module(planned, "", &mut root);
    }
    Evaluation {
        root,
        problems,
        sources,
    }
}

/// `resource_changes[].change.after_unknown` by resource address.
fn after_unknown(doc: &Node) -> HashMap<&str, &Node> {
    doc.get("resource_changes")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|c| {
            let address = c.get("address")?.as_str()?;
            Some((address, c.get("change")?.get("after_unknown")?))
        })
        .collect()
}

/// The references of each argument in `configuration`, by module path without instance keys
/// (`module.app.module.db`, `""` for the root) and resource address within the module, then by
/// argument name: module-local resource addresses (`aws_s3_bucket.logs`).
type ConfigRefs = HashMap<(String, String), HashMap<String, Vec<String>>>;

fn configuration_refs(doc: &Node) -> ConfigRefs {
    let mut out = ConfigRefs::new();
    let mut stack: Vec<(String, &Node)> = Vec::new();
    if let Some(root) = doc.get("configuration").and_then(|c| c.get("root_module")) {
        stack.push((String::new(), root));
    }
    while let Some((path, module)) = stack.pop() {
        for r in module.get("resources").map(Node::items).unwrap_or_default() {
            let (Some(address), Some(expressions)) = (
                r.get("address").and_then(Node::as_str),
                r.get("expressions"),
            ) else {
                continue;
            };
            let by_arg = expressions
                .pairs()
                .map(|(arg, e)| {
                    let mut refs: Vec<String> = Vec::new();
                    for r in e.get("references").map(Node::items).unwrap_or_default() {
                        if let Some(local) = r.as_str().and_then(local_resource)
                            && !refs.contains(&local)
                        {
                            refs.push(local);
                        }
                    }
                    (arg.to_owned(), refs)
                })
                .collect();
            out.insert((path.clone(), address.to_owned()), by_arg);
        }
        if let Some(calls) = module.get("module_calls") {
            for (name, call) in calls.pairs() {
                if let Some(child) = call.get("module") {
                    let child_path = if path.is_empty() {
                        format!("module.{name}")
                    } else {
                        format!("{path}.module.{name}")
                    };
                    stack.push((child_path, child));
                }
            }
        }
    }
    out
}

/// `aws_s3_bucket.logs` from a reference to a resource (`aws_s3_bucket.logs.id`,
/// `aws_s3_bucket.logs[0]`, `data.aws_iam_policy_document.p.json`); `None` for variables, locals,
/// module outputs and the like.
pub(super) fn local_resource(reference: &str) -> Option<String> {
    let head = |s: &str| s.split(['.', '[']).next().unwrap_or("").to_owned();
    let (data, rest) = match reference.strip_prefix("data.") {
        Some(rest) => (true, rest),
        None => (false, reference),
    };
    let (kind, rest) = rest.split_once('.')?;
    if !data
        && matches!(
            kind,
            "var" | "local" | "module" | "each" | "count" | "path" | "terraform" | "self"
        )
    {
        return None;
    }
    let name = head(rest);
    if name.is_empty() {
        return None;
    }
    Some(if data {
        format!("data.{kind}.{name}")
    } else {
        format!("{kind}.{name}")
    })
}

struct Plan<'a> {
    unknown: &'a HashMap<&'a str, &'a Node>,
    refs: &'a ConfigRefs,
    base: u32,
}

impl Plan<'_> {
    fn range(&self, node: &Node) -> TextRange {
        node.range.shift(self.base)
    }

    /// Reads a `planned_values` module (`root_module` or a `child_modules` entry) into `out`.
    fn module(&self, node: &Node, path: &str, out: &mut ModuleInstance) {
        let config_path = strip_keys(path);
        for r in node.get("resources").map(Node::items).unwrap_or_default() {
            if let Some(resource) = self.resource(r, path, &config_path) {
                match resource.mode {
                    ResourceMode::Managed => out.resources.push(resource),
                    ResourceMode::Data => out.data.push(resource),
                }
            }
        }
        for child in node
            .get("child_modules")
            .map(Node::items)
            .unwrap_or_default()
        {
            let Some(address) = child.get("address").and_then(Node::as_str) else {
                continue;
            };
            let mut instance = ModuleInstance {
                path: address.to_owned(),
                dir: address.to_owned(),
                path_module: address.to_owned(),
                ..ModuleInstance::default()
            };
            self.module(child, address, &mut instance);
            out.children.push(instance);
        }
    }

    fn resource(&self, node: &Node, module: &str, config_path: &str) -> Option<Resource> {
        let address = node.get("address")?.as_str()?;
        let kind = node.get("type")?;
        let name = node.get("name")?;
        let mode = match node.get("mode").and_then(Node::as_str) {
            Some("data") => ResourceMode::Data,
            _ => ResourceMode::Managed,
        };
        let key = match node.get("index") {
            None => InstanceKey::None,
            Some(i) => match &i.value {
                yaml::Value::Scalar(s) if s.style == ScalarStyle::JsonString => {
                    InstanceKey::Key(s.text.clone())
                }
                yaml::Value::Scalar(s) => s
                    .text
                    .parse()
                    .map_or(InstanceKey::Unknown, InstanceKey::Index),
                _ => InstanceKey::Unknown,
            },
        };
        let local = address
            .strip_prefix(module)
            .map_or(address, |a| a.strip_prefix('.').unwrap_or(a));
        let local_config = local.find('[').map_or(local, |i| &local[..i]);
        let refs = self
            .refs
            .get(&(config_path.to_owned(), local_config.to_owned()));
        let body = match node.get("values") {
            Some(values) => self.body(values, self.unknown.get(address).copied(), refs),
            None => Body::default(),
        };
        Some(Resource {
            address: address.to_owned(),
            mode,
            kind: Spanned::new(kind.as_str()?.to_owned(), self.range(kind)),
            name: Spanned::new(name.as_str()?.to_owned(), self.range(name)),
            key,
            range: self.range(node),
            body,
            count: None,
            for_each: None,
            provider: None,
            depends_on: Vec::new(),
            module: module.to_owned(),
        })
    }

    /// A body from an object of values: lists of objects are nested blocks, the rest arguments;
    /// what `unknown` marks `true` is an unknown argument.
    fn body(
        &self,
        values: &Node,
        unknown: Option<&Node>,
        refs: Option<&HashMap<String, Vec<String>>>,
    ) -> Body {
        let mut body = Body::default();
        for entry in values.entries() {
            let Some(name) = entry.key.as_str() else {
                continue;
            };
            let v = &entry.value;
            let unknown_here = unknown.and_then(|u| u.get(name));
            let blocks = v.items();
            if !blocks.is_empty()
                && blocks
                    .iter()
                    .all(|b| matches!(b.value, yaml::Value::Map(_)))
            {
                for (i, b) in blocks.iter().enumerate() {
                    let inner = unknown_here.and_then(|u| u.items().get(i));
                    body.blocks.push(NestedBlock {
                        kind: Spanned::new(name.to_owned(), self.range(&entry.key)),
                        labels: Vec::new(),
                        body: self.body(b, inner, None),
                        range: self.range(b),
                    });
                }
                continue;
            }
            body.attrs.push(Attr {
                name: Spanned::new(name.to_owned(), self.range(&entry.key)),
                value: self.value(v, unknown_here),
                range: self.range(&entry.key).cover(self.range(v)),
                refs: refs.and_then(|r| r.get(name)).cloned().unwrap_or_default(),
            });
        }
        // Arguments known only after apply are missing from the values. One the configuration
        // does not write is computed by the provider: not set, as in the HCL.
        if let Some(u) = unknown {
            for entry in u.entries() {
                let Some(name) = entry.key.as_str() else {
                    continue;
                };
                if is_true(&entry.value)
                    && values.get(name).is_none()
                    && refs.is_none_or(|r| r.contains_key(name))
                {
                    let range = self.range(&entry.key).cover(self.range(&entry.value));
                    body.attrs.push(Attr {
                        name: Spanned::new(name.to_owned(), self.range(&entry.key)),
                        value: Spanned::new(Value::Unknown, range),
                        range,
                        refs: refs.and_then(|r| r.get(name)).cloned().unwrap_or_default(),
                    });
                }
            }
        }
        body
    }

    fn value(&self, node: &Node, unknown: Option<&Node>) -> Spanned<Value> {
        let range = self.range(node);
        if unknown.is_some_and(is_true) {
            return Spanned::new(Value::Unknown, range);
        }
        let v = match &node.value {
            yaml::Value::Scalar(s) => super::json_scalar(s),
            yaml::Value::Seq(items) => Value::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.value(item, unknown.and_then(|u| u.items().get(i))))
                    .collect(),
            ),
            yaml::Value::Map(_) => {
                let mut map = Map::new();
                for (k, item) in node.pairs() {
                    map.insert(
                        k.to_owned(),
                        self.value(item, unknown.and_then(|u| u.get(k))),
                    );
                }
                // Keys known only after apply.
                if let Some(u) = unknown {
                    for (k, flag) in u.pairs() {
                        if is_true(flag) && !map.contains_key(k) {
                            map.insert(k.to_owned(), Spanned::new(Value::Unknown, range));
                        }
                    }
                }
                Value::Map(map)
            }
        };
        Spanned::new(v, range)
    }
}

fn is_true(node: &Node) -> bool {
    matches!(&node.value, yaml::Value::Scalar(s) if s.text == "true" && s.style == ScalarStyle::JsonLiteral)
}

/// `module.app["a"].module.db` without instance keys: `module.app.module.db`.
pub(super) fn strip_keys(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for c in path.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' if depth > 0 => in_string = !in_string,
            '[' if !in_string => depth += 1,
            ']' if !in_string => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}
