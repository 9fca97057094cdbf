//! A step of a job or of a composite action: `uses:` with `with:`, or `run:` with its shell.

use cw_diagnostics::TextRange;
use cw_syntax::yaml::Node;

use super::action::Action;
use super::env::{Env, EnvLevel, EnvVar};
use super::job::{Job, RunnerOs};
use super::uses::Uses;
use super::{ActionsFile, Str, spanned};

/// What a step belongs to.
#[derive(Clone, Copy, Debug)]
pub enum StepOwner<'a> {
    Job(Job<'a>),
    /// `runs.steps` of a composite action.
    Action(Action<'a>),
}

#[derive(Clone, Copy, Debug)]
pub struct Step<'a> {
    pub file: &'a ActionsFile,
    pub node: &'a Node,
    /// Its position in `steps:` (from 0).
    pub index: usize,
    pub owner: StepOwner<'a>,
}

/// The program that runs a `run:` script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Sh,
    /// zsh, ksh, dash...: POSIX-like.
    OtherPosix,
    Pwsh,
    PowerShell,
    Cmd,
    Python,
    /// A custom command (`shell: perl {0}`).
    Other,
    /// Not known: the runner's OS is not known, or the shell is an expression.
    Unknown,
}

impl Shell {
    /// Reads a `shell:` value (`bash`, `bash -e {0}`, `/usr/bin/bash --noprofile --norc {0}`).
    pub fn parse(value: &str) -> Shell {
        if value.contains("${{") {
            return Shell::Unknown;
        }
        let program = value.split_whitespace().next().unwrap_or("");
        let program = program.rsplit(['/', '\\']).next().unwrap_or(program);
        let program = program.strip_suffix(".exe").unwrap_or(program);
        match program.to_ascii_lowercase().as_str() {
            "bash" => Shell::Bash,
            "sh" => Shell::Sh,
            "zsh" | "ksh" | "dash" | "ash" | "mksh" => Shell::OtherPosix,
            "pwsh" => Shell::Pwsh,
            "powershell" => Shell::PowerShell,
            "cmd" => Shell::Cmd,
            "python" | "python3" => Shell::Python,
            "" => Shell::Unknown,
            _ => Shell::Other,
        }
    }

    /// A POSIX-style shell: `$VAR` expansion, `'...'` and `"..."` quoting.
    pub fn is_posix(self) -> bool {
        matches!(self, Shell::Bash | Shell::Sh | Shell::OtherPosix)
    }
}

impl<'a> Step<'a> {
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }

    /// The job it belongs to (`None` in a composite action).
    pub fn job(&self) -> Option<Job<'a>> {
        match self.owner {
            StepOwner::Job(j) => Some(j),
            StepOwner::Action(_) => None,
        }
    }

    pub fn id(&self) -> Option<Str<'a>> {
        self.get("id").and_then(spanned)
    }

    pub fn name(&self) -> Option<Str<'a>> {
        self.get("name").and_then(spanned)
    }

    /// Where to point at the step as a whole: its `name`, else its `uses`, else its `run` key,
    /// else the step itself.
    pub fn site(&self) -> TextRange {
        self.get("name")
            .or_else(|| self.get("uses"))
            .map(Node::site_range)
            .or_else(|| self.node.key_range("run"))
            .unwrap_or_else(|| self.node.site_range())
    }

    /// `job build step 2 (Checkout)` or `step 1` for a composite action, for a finding's resource.
    pub fn display(&self) -> String {
        let number = self.index + 1;
        let step = match self.name().or_else(|| self.id()) {
            Some(n) => format!("step {number} ({})", n.value),
            None => format!("step {number}"),
        };
        match self.owner {
            StepOwner::Job(job) => format!("{} {step}", job.display()),
            StepOwner::Action(_) => format!("action {step}"),
        }
    }

    /// The action or the reusable piece the step runs, with the node that writes it.
    pub fn uses(&self) -> Option<(Uses<'a>, &'a Node)> {
        let node = self.get("uses")?;
        Some((Uses::parse(node.as_str()?)?, node))
    }

    /// Whether the step runs the action `pattern` (`actions/checkout`, `github/codeql-action/*`).
    pub fn uses_action(&self, pattern: &str) -> bool {
        self.uses()
            .and_then(|(u, _)| u.as_repository().map(|r| r.is(pattern)))
            .unwrap_or(false)
    }

    /// The `run:` script node.
    pub fn run(&self) -> Option<&'a Node> {
        self.get("run").filter(|n| n.as_scalar().is_some())
    }

    /// `with:`.
    pub fn with(&self) -> Option<&'a Node> {
        self.get("with").filter(|n| !n.is_null())
    }

    /// One `with:` input.
    pub fn input(&self, name: &str) -> Option<&'a Node> {
        self.with()?.get(name).filter(|n| !n.is_null())
    }

    pub fn env(&self) -> Option<Env<'a>> {
        self.get("env").map(|node| Env { node })
    }

    /// The environment variable `name` as the step sees it: its own, else its job's, else the
    /// workflow's.
    pub fn env_var(&self, name: &str) -> Option<EnvVar<'a>> {
        let own = self.env().and_then(|e| e.get(name, EnvLevel::Step));
        own.or_else(|| self.job().and_then(|j| j.env_var(name)))
    }

    /// Whether some `env:` around the step (its own, its job's, the workflow's) is an expression,
    /// so that variables not written out may be set.
    pub fn has_dynamic_env(&self) -> bool {
        let dynamic = |e: Option<Env<'_>>| e.is_some_and(|e| e.is_dynamic());
        dynamic(self.env())
            || self
                .job()
                .is_some_and(|j| dynamic(j.env()) || dynamic(j.workflow.env()))
    }

    /// The `if:` condition.
    pub fn condition(&self) -> Option<&'a Node> {
        self.get("if").filter(|n| !n.is_null())
    }

    /// The step's own `shell:`.
    pub fn own_shell(&self) -> Option<Str<'a>> {
        self.get("shell").and_then(spanned)
    }

    /// The shell that runs `run:`: the step's `shell:`, else `defaults.run.shell` (job, then
    /// workflow), else the runner's default (bash on Linux and macOS, pwsh on Windows).
    pub fn shell(&self) -> Shell {
        if let Some(s) = self.own_shell() {
            return Shell::parse(s.value);
        }
        let Some(job) = self.job() else {
            // A composite action's run steps must name their shell.
            return Shell::Unknown;
        };
        if let Some(s) = job.default_shell() {
            return Shell::parse(s.value);
        }
        match job.runs_on().map_or(RunnerOs::Unknown, |r| r.os()) {
            RunnerOs::Linux | RunnerOs::MacOs => Shell::Bash,
            RunnerOs::Windows => Shell::Pwsh,
            RunnerOs::Unknown => Shell::Unknown,
        }
    }

    /// The steps before this one in the same job or action.
    pub fn previous(&self) -> Vec<Step<'a>> {
        let mut all = match self.owner {
            StepOwner::Job(j) => j.steps(),
            StepOwner::Action(a) => a.steps(),
        };
        all.retain(|s| s.index < self.index);
        all
    }

    /// The steps after this one in the same job or action.
    pub fn following(&self) -> Vec<Step<'a>> {
        let mut all = match self.owner {
            StepOwner::Job(j) => j.steps(),
            StepOwner::Action(a) => a.steps(),
        };
        all.retain(|s| s.index > self.index);
        all
    }
}
