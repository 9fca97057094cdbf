//! A workflow: its triggers (`on`), `permissions`, `env`, `defaults`, `concurrency` and jobs.

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::yaml::Node;

use super::env::{Env, EnvLevel, EnvVar};
use super::job::Job;
use super::{ActionsFile, Str, spanned, string_or_list};

/// A workflow file's top-level mapping.
#[derive(Clone, Copy, Debug)]
pub struct Workflow<'a> {
    pub file: &'a ActionsFile,
    pub node: &'a Node,
}

impl<'a> Workflow<'a> {
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }

    pub fn name(&self) -> Option<Str<'a>> {
        self.get("name").and_then(spanned)
    }

    /// `workflow \`CI\``, or `workflow` when it has no name.
    pub fn display(&self) -> String {
        match self.name() {
            Some(n) => format!("workflow `{}`", n.value),
            None => "workflow".to_string(),
        }
    }

    /// Where to point at the workflow as a whole: its `on` key, else its first key.
    pub fn site(&self) -> TextRange {
        self.node
            .key_range("on")
            .or_else(|| self.node.entries().first().map(|e| e.key.site_range()))
            .unwrap_or_else(|| self.node.site_range())
    }

    /// The triggers (`on:` as a string, a list or a mapping).
    pub fn on(&self) -> Option<Triggers<'a>> {
        let entry = self.node.entry("on")?;
        Some(Triggers::new(&entry.key, &entry.value))
    }

    pub fn permissions(&self) -> Option<Permissions<'a>> {
        self.get("permissions").map(Permissions::from_node)
    }

    pub fn env(&self) -> Option<Env<'a>> {
        self.get("env").map(|node| Env { node })
    }

    /// A workflow-level environment variable.
    pub fn env_var(&self, name: &str) -> Option<EnvVar<'a>> {
        self.env()?.get(name, EnvLevel::Workflow)
    }

    /// `defaults.run.shell`.
    pub fn default_shell(&self) -> Option<Str<'a>> {
        self.node
            .path(&["defaults", "run", "shell"])
            .and_then(spanned)
    }

    pub fn concurrency(&self) -> Option<&'a Node> {
        self.get("concurrency").filter(|n| !n.is_null())
    }

    /// The jobs, in file order.
    pub fn jobs(&self) -> Vec<Job<'a>> {
        self.get("jobs")
            .map_or(&[][..], Node::entries)
            .iter()
            .filter(|e| e.value.is_map() && e.key.as_scalar().is_some())
            .map(|entry| Job {
                workflow: *self,
                key: &entry.key,
                node: &entry.value,
            })
            .collect()
    }

    /// The job with this id.
    pub fn job(&self, id: &str) -> Option<Job<'a>> {
        self.jobs().into_iter().find(|j| j.id() == id)
    }
}

/// The events a workflow runs on.
#[derive(Clone, Debug)]
pub struct Triggers<'a> {
    /// The `on` key.
    pub key: &'a Node,
    /// Its value.
    pub node: &'a Node,
    pub list: Vec<Trigger<'a>>,
}

/// One event of `on:`.
#[derive(Clone, Debug)]
pub struct Trigger<'a> {
    /// The event name (`push`, `pull_request_target`) where it is written.
    pub name: Str<'a>,
    /// Its configuration (`branches`, `types`, `inputs`...), when it has one.
    pub config: Option<&'a Node>,
}

/// Events that run with the base repository's secrets and a token that can write, on behalf of
/// whoever opened a pull request or triggered a run from a fork.
pub const PRIVILEGED_TRIGGERS: &[&str] = &["pull_request_target", "workflow_run"];

impl<'a> Triggers<'a> {
    fn new(key: &'a Node, node: &'a Node) -> Self {
        let list = if node.is_map() {
            node.entries()
                .iter()
                .filter_map(|e| {
                    let name = e.key.as_scalar()?;
                    Some(Trigger {
                        name: Spanned::new(name.text.as_str(), e.key.site_range()),
                        config: Some(&e.value).filter(|v| !v.is_null()),
                    })
                })
                .collect()
        } else {
            string_or_list(node)
                .into_iter()
                .map(|name| Trigger { name, config: None })
                .collect()
        };
        Triggers { key, node, list }
    }

    pub fn get(&self, event: &str) -> Option<&Trigger<'a>> {
        self.list.iter().find(|t| t.name.value == event)
    }

    pub fn has(&self, event: &str) -> bool {
        self.get(event).is_some()
    }

    /// The first of `events` the workflow runs on.
    pub fn any_of(&self, events: &[&str]) -> Option<&Trigger<'a>> {
        self.list.iter().find(|t| events.contains(&t.name.value))
    }

    /// A reusable workflow that nothing but a caller runs (`on: workflow_call` alone).
    pub fn is_reusable_only(&self) -> bool {
        !self.list.is_empty() && self.list.iter().all(|t| t.name.value == "workflow_call")
    }
}

impl<'a> Trigger<'a> {
    fn config_list(&self, key: &str) -> Vec<Str<'a>> {
        self.config
            .and_then(|c| c.get(key))
            .map(string_or_list)
            .unwrap_or_default()
    }

    /// `types:` (activity types).
    pub fn types(&self) -> Vec<Str<'a>> {
        self.config_list("types")
    }

    /// `branches:` filters.
    pub fn branches(&self) -> Vec<Str<'a>> {
        self.config_list("branches")
    }

    /// `tags:` filters.
    pub fn tags(&self) -> Vec<Str<'a>> {
        self.config_list("tags")
    }

    /// Whether the config has `key` (`tags`, `tags-ignore`, `branches`...).
    pub fn has_filter(&self, key: &str) -> bool {
        self.config.and_then(|c| c.get(key)).is_some()
    }

    /// The `inputs:` of `workflow_call` or `workflow_dispatch`, as `(name, definition)`.
    pub fn inputs(&self) -> Vec<(Str<'a>, &'a Node)> {
        self.config
            .and_then(|c| c.get("inputs"))
            .map(|n| {
                n.entries()
                    .iter()
                    .filter_map(|e| {
                        let name = e.key.as_scalar()?;
                        Some((
                            Spanned::new(name.text.as_str(), e.key.site_range()),
                            &e.value,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The `secrets:` a `workflow_call` declares, as `(name, definition)`.
    pub fn secrets(&self) -> Vec<(Str<'a>, &'a Node)> {
        self.config
            .and_then(|c| c.get("secrets"))
            .map(|n| {
                n.entries()
                    .iter()
                    .filter_map(|e| {
                        let name = e.key.as_scalar()?;
                        Some((
                            Spanned::new(name.text.as_str(), e.key.site_range()),
                            &e.value,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A `permissions:` value.
#[derive(Clone, Copy, Debug)]
pub enum Permissions<'a> {
    /// `read-all`
    ReadAll(&'a Node),
    /// `write-all`
    WriteAll(&'a Node),
    /// `{}`: the token has no permission at all.
    Empty(&'a Node),
    /// `contents: read`, `issues: write`...
    Scopes(&'a Node),
    /// Anything else (an expression, an invalid value).
    Other(&'a Node),
}

impl<'a> Permissions<'a> {
    pub fn from_node(node: &'a Node) -> Self {
        if node.is_map() {
            if node.entries().is_empty() {
                Permissions::Empty(node)
            } else {
                Permissions::Scopes(node)
            }
        } else {
            match node.as_str() {
                Some("read-all") => Permissions::ReadAll(node),
                Some("write-all") => Permissions::WriteAll(node),
                _ => Permissions::Other(node),
            }
        }
    }

    pub fn node(&self) -> &'a Node {
        match self {
            Permissions::ReadAll(n)
            | Permissions::WriteAll(n)
            | Permissions::Empty(n)
            | Permissions::Scopes(n)
            | Permissions::Other(n) => n,
        }
    }

    /// The level of one scope (`read`, `write`, `none`) in a mapping.
    pub fn scope(&self, name: &str) -> Option<Str<'a>> {
        match self {
            Permissions::Scopes(n) => n.get(name).and_then(spanned),
            _ => None,
        }
    }
}
