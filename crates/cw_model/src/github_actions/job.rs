//! A job: its runner, container and services, permissions, environment, strategy, steps, or the
//! reusable workflow it calls.

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::yaml::Node;

use super::env::{Env, EnvLevel, EnvVar};
use super::step::{Step, StepOwner};
use super::uses::{DockerImage, Uses};
use super::workflow::{Permissions, Workflow};
use super::{Str, spanned, string_or_list};

/// One entry of `jobs:`.
#[derive(Clone, Copy, Debug)]
pub struct Job<'a> {
    pub workflow: Workflow<'a>,
    /// The job id's key.
    pub key: &'a Node,
    /// The job's mapping.
    pub node: &'a Node,
}

/// The operating system of a runner, as far as its labels tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunnerOs {
    Linux,
    Windows,
    MacOs,
    Unknown,
}

/// `runs-on:`: a label, a list of labels, or `{group, labels}`.
#[derive(Clone, Debug)]
pub struct RunsOn<'a> {
    pub node: &'a Node,
    pub labels: Vec<Str<'a>>,
    pub group: Option<Str<'a>>,
}

impl<'a> RunsOn<'a> {
    fn from_node(node: &'a Node) -> Self {
        if node.is_map() {
            RunsOn {
                node,
                labels: node.get("labels").map(string_or_list).unwrap_or_default(),
                group: node.get("group").and_then(spanned),
            }
        } else {
            RunsOn {
                node,
                labels: string_or_list(node),
                group: None,
            }
        }
    }

    /// The `self-hosted` label, when written.
    pub fn self_hosted(&self) -> Option<Str<'a>> {
        self.labels
            .iter()
            .find(|l| l.value.trim().eq_ignore_ascii_case("self-hosted"))
            .cloned()
    }

    /// Some label is an expression: the runner is not known.
    pub fn is_dynamic(&self) -> bool {
        self.labels.iter().any(|l| l.value.contains("${{"))
            || self.group.as_ref().is_some_and(|g| g.value.contains("${{"))
    }

    /// The OS its labels name (`ubuntu-24.04`, `windows-latest`, `macos-14`, `[self-hosted, linux]`).
    pub fn os(&self) -> RunnerOs {
        if self.is_dynamic() {
            return RunnerOs::Unknown;
        }
        let mut os = RunnerOs::Unknown;
        for label in &self.labels {
            let l = label.value.trim().to_ascii_lowercase();
            let this = if l.starts_with("ubuntu") || l == "linux" {
                RunnerOs::Linux
            } else if l.starts_with("windows") {
                RunnerOs::Windows
            } else if l.starts_with("macos") {
                RunnerOs::MacOs
            } else {
                continue;
            };
            if os != RunnerOs::Unknown && os != this {
                return RunnerOs::Unknown;
            }
            os = this;
        }
        os
    }
}

/// A job's `container:` or one of its `services:`: an image string, or a mapping with `image`,
/// `credentials`, `env`, `options`...
#[derive(Clone, Copy, Debug)]
pub struct Container<'a> {
    pub node: &'a Node,
}

impl<'a> Container<'a> {
    /// The `image` (or the string itself).
    pub fn image(&self) -> Option<Str<'a>> {
        if self.node.is_map() {
            self.node.get("image").and_then(spanned)
        } else {
            spanned(self.node)
        }
    }

    /// The parsed image reference (not for a templated one).
    pub fn image_ref(&self) -> Option<DockerImage<'a>> {
        DockerImage::parse(self.image()?.value)
    }

    /// `credentials.password`.
    pub fn password(&self) -> Option<&'a Node> {
        self.node
            .path(&["credentials", "password"])
            .filter(|n| !n.is_null())
    }

    /// `credentials.username`.
    pub fn username(&self) -> Option<&'a Node> {
        self.node
            .path(&["credentials", "username"])
            .filter(|n| !n.is_null())
    }
}

impl<'a> Job<'a> {
    pub fn id(&self) -> &'a str {
        self.key.as_scalar().map_or("", |s| s.text.as_str())
    }

    /// Where the job's id is written: where findings about the job as a whole point.
    pub fn site(&self) -> TextRange {
        self.key.site_range()
    }

    /// `job build`, for a finding's resource.
    pub fn display(&self) -> String {
        format!("job {}", self.id())
    }

    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }

    pub fn name(&self) -> Option<Str<'a>> {
        self.get("name").and_then(spanned)
    }

    pub fn runs_on(&self) -> Option<RunsOn<'a>> {
        self.get("runs-on")
            .filter(|n| !n.is_null())
            .map(RunsOn::from_node)
    }

    /// `needs:` job ids.
    pub fn needs(&self) -> Vec<Str<'a>> {
        self.get("needs").map(string_or_list).unwrap_or_default()
    }

    /// The `if:` condition.
    pub fn condition(&self) -> Option<&'a Node> {
        self.get("if").filter(|n| !n.is_null())
    }

    /// `environment:` (a name, or `{name, url}`).
    pub fn environment(&self) -> Option<&'a Node> {
        self.get("environment").filter(|n| !n.is_null())
    }

    pub fn container(&self) -> Option<Container<'a>> {
        self.get("container")
            .filter(|n| !n.is_null())
            .map(|node| Container { node })
    }

    /// `services:`, as `(name, container)`.
    pub fn services(&self) -> Vec<(Str<'a>, Container<'a>)> {
        self.get("services")
            .map_or(&[][..], Node::entries)
            .iter()
            .filter_map(|e| {
                let name = e.key.as_scalar()?;
                Some((
                    Spanned::new(name.text.as_str(), e.key.site_range()),
                    Container { node: &e.value },
                ))
            })
            .collect()
    }

    pub fn timeout_minutes(&self) -> Option<&'a Node> {
        self.get("timeout-minutes").filter(|n| !n.is_null())
    }

    /// `strategy.matrix`.
    pub fn matrix(&self) -> Option<&'a Node> {
        self.node
            .path(&["strategy", "matrix"])
            .filter(|n| !n.is_null())
    }

    /// The values `matrix.<key>` takes: the items of the matrix's `key` list and the `key` of
    /// every `include` entry. `None` when they are not all written out (an expression, no such key).
    pub fn matrix_values(&self, key: &str) -> Option<Vec<&'a Node>> {
        let matrix = self.matrix()?;
        if !matrix.is_map() {
            return None;
        }
        let mut values = Vec::new();
        if let Some(list) = matrix.get(key) {
            if !list.is_seq() {
                return None;
            }
            values.extend(list.items());
        }
        if let Some(include) = matrix.get("include") {
            if !include.is_seq() {
                return None;
            }
            values.extend(include.items().iter().filter_map(|i| i.get(key)));
        }
        (!values.is_empty()).then_some(values)
    }

    /// The reusable workflow this job calls (`uses:` at job level), with the node that writes it.
    pub fn uses(&self) -> Option<(Uses<'a>, &'a Node)> {
        let node = self.get("uses")?;
        Some((Uses::parse(node.as_str()?)?, node))
    }

    /// A job that calls a reusable workflow rather than running steps.
    pub fn is_reusable_call(&self) -> bool {
        self.get("uses").is_some()
    }

    /// `with:` of a reusable workflow call.
    pub fn with(&self) -> Option<&'a Node> {
        self.get("with").filter(|n| !n.is_null())
    }

    /// The value of `secrets: inherit`.
    pub fn secrets_inherit(&self) -> Option<&'a Node> {
        self.get("secrets")
            .filter(|n| n.as_str().is_some_and(|s| s.trim() == "inherit"))
    }

    pub fn permissions(&self) -> Option<Permissions<'a>> {
        self.get("permissions").map(Permissions::from_node)
    }

    pub fn env(&self) -> Option<Env<'a>> {
        self.get("env").map(|node| Env { node })
    }

    /// A job-level environment variable, or else a workflow-level one.
    pub fn env_var(&self, name: &str) -> Option<EnvVar<'a>> {
        self.env()
            .and_then(|e| e.get(name, EnvLevel::Job))
            .or_else(|| self.workflow.env_var(name))
    }

    /// `defaults.run.shell` of the job, or else of the workflow.
    pub fn default_shell(&self) -> Option<Str<'a>> {
        self.node
            .path(&["defaults", "run", "shell"])
            .and_then(spanned)
            .or_else(|| self.workflow.default_shell())
    }

    /// The steps, in order.
    pub fn steps(&self) -> Vec<Step<'a>> {
        self.get("steps")
            .map_or(&[][..], Node::items)
            .iter()
            .enumerate()
            .filter(|(_, n)| n.is_map())
            .map(|(index, node)| Step {
                file: self.workflow.file,
                node,
                index,
                owner: StepOwner::Job(*self),
            })
            .collect()
    }
}
