//! The GitLab CI model: `.gitlab-ci.yml` and its local includes.
//!
//! [`GitlabCiFile`] keeps the parsed files and the configuration GitLab would run: the included
//! files merged under the main file, `extends` applied and `!reference` tags replaced (see
//! [`GitlabCiFile::with_includes`]). The views ([`Job`], [`Image`], [`Variable`], ...) borrow
//! from it, and every value keeps the range where it is written: in a template when a job
//! inherits it through `extends`, under `default:` when the job inherits a default, in an
//! included file when it comes from there.

mod environment;
mod expr;
mod include;
mod job;
mod resolve;
mod rules;
mod script;
mod values;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use cw_diagnostics::Spanned;
use cw_syntax::yaml::{Node, YamlFile, parse_yaml};

pub use environment::{Environment, Tier};
pub use expr::{CompareOp, Expr, Operand, Tri, Val};
pub use include::{Include, IncludeKind};
pub use job::{DEFAULT_KEYS, Defaults, Job};
pub use rules::{Refs, RuleClause, Rules};
pub use script::ScriptLine;
pub use values::{Image, ImageRef, Service, Str, Variable};

/// Top-level keys that are not jobs.
pub const GLOBAL_KEYWORDS: [&str; 12] = [
    "default",
    "include",
    "stages",
    "types",
    "variables",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "spec",
];

/// A pipeline definition: the main file, the local files it includes, and the configuration
/// they make together.
#[derive(Clone, Debug, Default)]
pub struct GitlabCiFile {
    /// The main file (`.gitlab-ci.yml`).
    pub yaml: YamlFile,
    /// The included files given to [`GitlabCiFile::with_includes`]: path and parsed file, in
    /// the scan's address space.
    pub includes: Vec<(String, YamlFile)>,
    resolved: resolve::Resolved,
}

impl GitlabCiFile {
    pub fn from_source(text: &str) -> Self {
        Self::with_includes(parse_yaml(text), Vec::new())
    }

    /// The pipeline of `main` with the files it includes. The included files must already sit in
    /// the scan's address space ([`YamlFile::shift`]) so that ranges of different files never
    /// collide; they are merged in the order given (the order of the `include:` entries, a nested
    /// include before the file that includes it), each later one over the earlier ones, and the
    /// main file over all of them, as GitLab does: mappings are merged key by key (deep merge),
    /// anything else (lists, scalars) is replaced.
    pub fn with_includes(main: YamlFile, includes: Vec<(String, YamlFile)>) -> Self {
        let resolved = resolve::resolve(&main, &includes);
        Self {
            yaml: main,
            includes,
            resolved,
        }
    }

    /// The configuration's top-level mapping: merged and resolved when there was anything to
    /// merge or resolve, else the main file's own.
    pub fn root(&self) -> Option<&Node> {
        self.resolved
            .root
            .as_ref()
            .or_else(|| config_root(&self.yaml))
    }

    /// The value of a top-level key (not null).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.root()?.get(key).filter(|n| !n.is_null())
    }

    /// Every job, hidden ones (templates, `.name`) included, in file order.
    pub fn jobs(&self) -> impl Iterator<Item = Job<'_>> {
        self.root()
            .map_or(&[][..], Node::entries)
            .iter()
            .filter_map(move |e| {
                let name = e.key_str()?;
                (!GLOBAL_KEYWORDS.contains(&name) && e.value.is_map())
                    .then(|| Job::new(self, &e.key, &e.value))
            })
    }

    /// The jobs that run (not hidden).
    pub fn visible_jobs(&self) -> impl Iterator<Item = Job<'_>> {
        self.jobs().filter(|j| !j.is_hidden())
    }

    /// The job (or hidden job) named `name`.
    pub fn job(&self, name: &str) -> Option<Job<'_>> {
        self.jobs().find(|j| j.name.value == name)
    }

    /// `default:` with the deprecated top-level `image`, `services`, `cache`, `before_script`
    /// and `after_script`.
    pub fn defaults(&self) -> Defaults<'_> {
        Defaults::new(self.root())
    }

    /// The global `variables:`.
    pub fn variables(&self) -> Vec<Variable<'_>> {
        self.get("variables")
            .map(values::variables)
            .unwrap_or_default()
    }

    /// The global variable `name`.
    pub fn variable(&self, name: &str) -> Option<Variable<'_>> {
        self.variables().into_iter().find(|v| v.name.value == name)
    }

    /// `stages:` (or the deprecated `types:`).
    pub fn stages(&self) -> Vec<Str<'_>> {
        self.get("stages")
            .or_else(|| self.get("types"))
            .map(values::string_list)
            .unwrap_or_default()
    }

    /// `workflow: rules:`.
    pub fn workflow_rules(&self) -> Option<Rules<'_>> {
        self.get("workflow")?
            .get("rules")
            .filter(|n| !n.is_null())
            .map(Rules::from_node)
    }

    /// The `include:` entries of the main file, then those of each included file (with its path).
    pub fn include_entries(&self) -> Vec<Include<'_>> {
        let mut out = include::entries(config_root(&self.yaml), None);
        for (path, yaml) in &self.includes {
            out.extend(include::entries(config_root(yaml), Some(path)));
        }
        out
    }

    /// The paths of the local includes (`include: local: ci/deploy.yml`, `include: 'ci/*.yml'`),
    /// globs and variables as written, of the main file and of every included file given so far,
    /// each path once. A caller follows nested includes by reading these, building the pipeline
    /// again, and asking again until no new path appears.
    pub fn local_includes(&self) -> Vec<Spanned<String>> {
        let mut seen = std::collections::HashSet::new();
        self.include_entries()
            .into_iter()
            .filter_map(|i| match i.kind {
                IncludeKind::Local(path) => Some(path),
                _ => None,
            })
            .filter(|p| seen.insert(p.value))
            .map(|p| Spanned::new(p.value.to_string(), p.range))
            .collect()
    }

    /// The templates named in a job's `extends` (at any depth) that the configuration does not
    /// define, or that form a cycle: the job's settings are then not fully known.
    pub fn unresolved_extends(&self, job: &str) -> &[Spanned<String>] {
        self.resolved.incomplete.get(job).map_or(&[], Vec::as_slice)
    }

    /// Every job name with unresolved `extends`.
    pub fn incomplete_jobs(&self) -> &HashMap<String, Vec<Spanned<String>>> {
        &self.resolved.incomplete
    }
}

/// The configuration document of a file: the first, or the second when the first is a `spec:`
/// header (CI/CD components and templates with inputs). `None` when it is not a mapping.
pub(crate) fn config_root(yaml: &YamlFile) -> Option<&Node> {
    let first = yaml.documents.first()?;
    let root = if first.root.get("spec").is_some() && first.root.entries().len() == 1 {
        &yaml.documents.get(1)?.root
    } else {
        &first.root
    };
    root.is_map().then_some(root)
}
