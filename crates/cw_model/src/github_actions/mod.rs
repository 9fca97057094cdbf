//! The GitHub Actions model: workflows (`.github/workflows/*.yml`) and action metadata files
//! (`action.yml`), as views over the spanned YAML tree.
//!
//! GitHub reads workflows as YAML 1.2: `on` is a string key (our parser keeps keys as written) and
//! only `true`/`false` are booleans ([`Node::as_bool`]). [`ActionsFile`] owns the tree and the
//! source; [`Workflow`], [`Job`], [`Step`] and [`Action`] borrow from it. Expressions (`${{ ... }}`)
//! and `run:` scripts are parsed once, on first use, and kept.

mod action;
mod env;
pub mod expr;
mod job;
mod scalar;
mod script;
mod step;
#[cfg(test)]
mod tests;
mod uses;
mod workflow;

use std::collections::HashMap;
use std::sync::OnceLock;

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::yaml::{Node, Value, YamlFile, parse_yaml};

pub use action::Action;
pub use env::{Env, EnvLevel, EnvVar};
pub use expr::{BinOp, Call, Context, Expr, Part};
pub use job::{Container, Job, RunnerOs, RunsOn};
pub use scalar::{TextMap, text_map};
pub use script::{Quoting, RunScript, expressions_within, quoting_at, referenced_variables};
pub use step::{Shell, Step, StepOwner};
pub use uses::{DockerImage, RepositoryUses, Uses};
pub use workflow::{PRIVILEGED_TRIGGERS, Permissions, Trigger, Triggers, Workflow};

/// A scalar's text with the range where it is written.
pub type Str<'a> = Spanned<&'a str>;

/// A workflow (`.github/workflows/*.yml`) or an action's metadata (`action.yml`).
#[derive(Clone, Debug, Default)]
pub struct ActionsFile {
    pub yaml: YamlFile,
    /// `action.yml`/`action.yaml` rather than a workflow.
    pub is_action: bool,
    source: String,
    expressions: OnceLock<HashMap<NodeKey, Vec<Expression>>>,
    scripts: OnceLock<HashMap<NodeKey, RunScript>>,
}

/// Identifies a node of the tree: its range, and where the alias that copied it is written.
type NodeKey = (u32, u32, u32);

fn node_key(node: &Node) -> NodeKey {
    (
        node.range.start,
        node.range.end,
        node.alias.map_or(u32::MAX, |a| a.start),
    )
}

/// One `${{ ... }}` in a scalar.
#[derive(Clone, Debug, PartialEq)]
pub struct Expression {
    /// `${{ ... }}` as written.
    pub text: String,
    /// Where it is written in the file; the whole scalar's range when that cannot be told
    /// (`exact` is then false).
    pub range: TextRange,
    pub exact: bool,
    /// Where it sits in the scalar's text (after unquoting), `${{` to `}}`.
    pub text_range: std::ops::Range<usize>,
    /// The parsed expression; `None` when it is not valid.
    pub expr: Option<Expr>,
}

impl Expression {
    /// What is between `${{` and `}}`, trimmed.
    pub fn inner(&self) -> &str {
        self.text
            .strip_prefix("${{")
            .and_then(|t| t.strip_suffix("}}"))
            .unwrap_or(&self.text)
            .trim()
    }

    /// The contexts whose value reaches the expansion (see [`Expr::flowing_contexts`]).
    pub fn flowing_contexts(&self) -> Vec<&Context> {
        self.expr
            .as_ref()
            .map(Expr::flowing_contexts)
            .unwrap_or_default()
    }

    /// Whether the expansion can carry a value an outsider chose.
    pub fn is_attacker_controlled(&self) -> bool {
        self.flowing_contexts()
            .iter()
            .any(|c| c.is_attacker_controlled())
    }

    /// Whether the expansion can carry a secret (`secrets.X`, `toJSON(secrets)`).
    pub fn reads_secret(&self) -> bool {
        self.flowing_contexts()
            .iter()
            .any(|c| c.root() == "secrets")
    }

    /// The text of a context of this expression, as written.
    pub fn context_text(&self, context: &Context) -> &str {
        // Spans count from the first byte after `${{`.
        self.text
            .get(3 + context.span.start as usize..3 + context.span.end as usize)
            .unwrap_or("")
    }
}

impl ActionsFile {
    pub fn from_source(text: &str, is_action: bool) -> Self {
        Self {
            yaml: parse_yaml(text),
            is_action,
            source: text.to_string(),
            expressions: OnceLock::new(),
            scripts: OnceLock::new(),
        }
    }

    /// The source text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The top-level mapping (the first document's root).
    pub fn root(&self) -> Option<&Node> {
        self.yaml
            .documents
            .first()
            .map(|d| &d.root)
            .filter(|r| r.is_map())
    }

    /// The workflow, for a workflow file.
    pub fn workflow(&self) -> Option<Workflow<'_>> {
        if self.is_action {
            return None;
        }
        self.root().map(|node| Workflow { file: self, node })
    }

    /// The action's metadata, for an `action.yml`.
    pub fn action(&self) -> Option<Action<'_>> {
        if !self.is_action {
            return None;
        }
        self.root().map(|node| Action { file: self, node })
    }

    /// Every step: those of the workflow's jobs, or the composite action's.
    pub fn steps(&self) -> Vec<Step<'_>> {
        if let Some(w) = self.workflow() {
            w.jobs().iter().flat_map(Job::steps).collect()
        } else if let Some(a) = self.action() {
            a.steps()
        } else {
            Vec::new()
        }
    }

    /// The `${{ ... }}` expressions of a scalar node, in order (none for other nodes).
    pub fn expressions(&self, node: &Node) -> &[Expression] {
        let index = self.expressions.get_or_init(|| self.index_expressions());
        index.get(&node_key(node)).map_or(&[], Vec::as_slice)
    }

    /// Every expression of the file, in source order (one per place it is written).
    pub fn all_expressions(&self) -> Vec<&Expression> {
        let index = self.expressions.get_or_init(|| self.index_expressions());
        let mut all: Vec<&Expression> = index.values().flatten().collect();
        all.sort_by_key(|e| (e.range.start, e.range.end, e.text_range.start));
        all.dedup_by(|a, b| a.range == b.range && a.text == b.text && a.text_range == b.text_range);
        all
    }

    /// The expression written at `range` in a scalar node, if any.
    pub fn expression_at(&self, node: &Node, range: TextRange) -> Option<&Expression> {
        self.expressions(node).iter().find(|e| e.range == range)
    }

    fn index_expressions(&self) -> HashMap<NodeKey, Vec<Expression>> {
        let mut out = HashMap::new();
        let mut stack: Vec<&Node> = self.yaml.documents.iter().map(|d| &d.root).collect();
        while let Some(node) = stack.pop() {
            match &node.value {
                Value::Scalar(s) => {
                    if s.text.contains("${{") {
                        out.insert(node_key(node), self.scan_expressions(node));
                    }
                }
                Value::Seq(items) => stack.extend(items),
                Value::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            }
        }
        out
    }

    fn scan_expressions(&self, node: &Node) -> Vec<Expression> {
        let Some(scalar) = node.as_scalar() else {
            return Vec::new();
        };
        let text = scalar.text.as_str();
        let found = expr::find_expressions(text);
        if found.is_empty() {
            return Vec::new();
        }
        let map = text_map(node, &self.source);
        found
            .into_iter()
            .map(|(whole, inner)| {
                let exact = map.as_ref().and_then(|m| m.range(whole.start, whole.end));
                Expression {
                    text: text[whole.clone()].to_string(),
                    range: exact.unwrap_or_else(|| node.site_range()),
                    exact: exact.is_some(),
                    text_range: whole,
                    expr: expr::parse(&text[inner]),
                }
            })
            .collect()
    }

    /// The parsed shell script of a `run:` step (`None` for a step without `run:`).
    pub fn run_script(&self, step: &Step<'_>) -> Option<&RunScript> {
        let run = step.run()?;
        let scripts = self.scripts.get_or_init(|| {
            self.steps()
                .iter()
                .filter_map(|s| {
                    let run = s.run()?;
                    Some((node_key(run), RunScript::new(self, s, run)))
                })
                .collect()
        });
        scripts.get(&node_key(run))
    }
}

/// A scalar's text with its range, when the node is a non-null scalar.
pub(crate) fn spanned(node: &Node) -> Option<Str<'_>> {
    node.as_str().map(|s| Spanned::new(s, node.site_range()))
}

/// The scalar items of a string or a list of strings (`needs: a`, `needs: [a, b]`).
pub(crate) fn string_or_list(node: &Node) -> Vec<Str<'_>> {
    if node.is_seq() {
        node.items().iter().filter_map(spanned).collect()
    } else {
        spanned(node).into_iter().collect()
    }
}
