//! `env:` mappings at workflow, job and step level.

use cw_diagnostics::Spanned;
use cw_syntax::yaml::{Entry, Node};

use super::Str;

/// An `env:` value: a mapping of variables, or an expression that computes one.
#[derive(Clone, Copy, Debug)]
pub struct Env<'a> {
    pub node: &'a Node,
}

/// Where an environment variable is set; a step's variables win over its job's, which win over
/// the workflow's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvLevel {
    Workflow,
    Job,
    Step,
    /// `runs.env` of a Docker action.
    Action,
}

/// One variable of an `env:` mapping.
#[derive(Clone, Debug)]
pub struct EnvVar<'a> {
    pub name: Str<'a>,
    pub value: &'a Node,
    pub entry: &'a Entry,
    pub level: EnvLevel,
}

impl<'a> Env<'a> {
    /// The whole `env:` is one expression (`env: ${{ fromJSON(...) }}`): its variables are not
    /// known.
    pub fn is_dynamic(&self) -> bool {
        self.node.as_str().is_some_and(|s| s.contains("${{"))
    }

    /// The variables, in file order.
    pub fn vars(&self, level: EnvLevel) -> impl Iterator<Item = EnvVar<'a>> + 'a {
        self.node.entries().iter().filter_map(move |entry| {
            let name = entry.key.as_scalar()?;
            Some(EnvVar {
                name: Spanned::new(name.text.as_str(), entry.key.site_range()),
                value: &entry.value,
                entry,
                level,
            })
        })
    }

    /// The variable `name` (as written, or else ignoring case as the `env` context does).
    pub fn get(&self, name: &str, level: EnvLevel) -> Option<EnvVar<'a>> {
        self.vars(level)
            .filter(|v| v.name.value == name)
            .last()
            .or_else(|| {
                self.vars(level)
                    .filter(|v| v.name.value.eq_ignore_ascii_case(name))
                    .last()
            })
    }
}

impl EnvVar<'_> {
    /// Whether the value is `true` as the runner reads a flag (`true`, `1`, `$true`, any case).
    pub fn is_truthy(&self) -> bool {
        self.value.as_scalar().is_some_and(|s| {
            matches!(
                s.text.trim().to_ascii_lowercase().as_str(),
                "true" | "1" | "$true"
            )
        })
    }
}
