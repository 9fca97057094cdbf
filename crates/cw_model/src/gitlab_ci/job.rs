//! Jobs and `default:`.

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::yaml::Node;

use super::GitlabCiFile;
use super::environment::Environment;
use super::resolve::is_unresolved;
use super::rules::{Refs, Rules};
use super::script::{self, ScriptLine};
use super::values::{self, Image, Service, Str, Variable, spanned};

/// The keywords a job inherits from `default:` when it does not set them.
pub const DEFAULT_KEYS: [&str; 12] = [
    "image",
    "services",
    "before_script",
    "after_script",
    "tags",
    "cache",
    "artifacts",
    "retry",
    "timeout",
    "interruptible",
    "hooks",
    "id_tokens",
];

/// The deprecated top-level keywords that act as defaults.
const GLOBAL_DEFAULT_KEYS: [&str; 5] = [
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
];

/// `default:`, with the deprecated top-level `image`, `services`, `cache`, `before_script` and
/// `after_script` (a key under `default:` wins).
#[derive(Clone, Copy, Debug)]
pub struct Defaults<'a> {
    /// The `default:` mapping.
    pub node: Option<&'a Node>,
    root: Option<&'a Node>,
}

impl<'a> Defaults<'a> {
    pub(crate) fn new(root: Option<&'a Node>) -> Self {
        Self {
            node: root.and_then(|r| r.get("default")).filter(|n| n.is_map()),
            root,
        }
    }

    /// The default value of a keyword (not null).
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        let own = self.node.and_then(|d| d.get(key)).filter(|n| !n.is_null());
        own.or_else(|| {
            GLOBAL_DEFAULT_KEYS
                .contains(&key)
                .then(|| self.root?.get(key))
                .flatten()
                .filter(|n| !n.is_null())
        })
    }

    pub fn image(&self) -> Option<Image<'a>> {
        self.get("image").and_then(Image::from_node)
    }

    pub fn services(&self) -> Vec<Service<'a>> {
        self.get("services").map(Service::list).unwrap_or_default()
    }

    pub fn before_script(&self) -> Vec<ScriptLine<'a>> {
        self.get("before_script")
            .map(|n| script::lines(n).0)
            .unwrap_or_default()
    }

    pub fn after_script(&self) -> Vec<ScriptLine<'a>> {
        self.get("after_script")
            .map(|n| script::lines(n).0)
            .unwrap_or_default()
    }
}

/// A job (or a hidden job, `.name`, a template): its settings after `extends` and `!reference`.
#[derive(Clone, Debug)]
pub struct Job<'a> {
    /// The job's name, at its key.
    pub name: Str<'a>,
    /// The job's key.
    pub key: &'a Node,
    /// The job's mapping after `extends` (its entries may be written in templates or included
    /// files).
    pub node: &'a Node,
    file: &'a GitlabCiFile,
}

impl<'a> Job<'a> {
    pub(crate) fn new(file: &'a GitlabCiFile, key: &'a Node, node: &'a Node) -> Self {
        let name = Spanned::new(key.as_str().unwrap_or_default(), key.site_range());
        Self {
            name,
            key,
            node,
            file,
        }
    }

    /// A hidden job (`.name`): a template that does not run.
    pub fn is_hidden(&self) -> bool {
        self.name.value.starts_with('.')
    }

    /// Where to point a finding about the job as a whole: its key.
    pub fn site(&self) -> TextRange {
        self.name.range
    }

    /// `job build` or `template .base`, for a finding's resource.
    pub fn display(&self) -> String {
        if self.is_hidden() {
            format!("template {}", self.name.value)
        } else {
            format!("job {}", self.name.value)
        }
    }

    /// The pipeline the job belongs to.
    pub fn pipeline(&self) -> &'a GitlabCiFile {
        self.file
    }

    /// The job's own value of a keyword (after `extends`; null is absent).
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key).filter(|n| !n.is_null())
    }

    /// The templates the job's `extends` names (as written in the job or the last template that
    /// sets it).
    pub fn extends(&self) -> Vec<Str<'a>> {
        self.get("extends")
            .map(values::string_list)
            .unwrap_or_default()
    }

    /// The templates of the `extends` chain that are not defined (or form a cycle).
    pub fn unresolved_extends(&self) -> &'a [Spanned<String>] {
        self.file.unresolved_extends(self.name.value)
    }

    /// Whether every template the job extends is defined: otherwise its settings are not fully
    /// known.
    pub fn is_complete(&self) -> bool {
        self.unresolved_extends().is_empty()
    }

    /// Whether the job takes `key` from `default:` when it does not set it: not for hidden jobs,
    /// and as `inherit: default:` says (`false`, or the list of keywords to inherit).
    pub fn inherits_default(&self, key: &str) -> bool {
        if self.is_hidden() || !DEFAULT_KEYS.contains(&key) {
            return false;
        }
        match self.node.path(&["inherit", "default"]) {
            Some(n) if n.is_seq() => n.items().iter().any(|i| i.as_str() == Some(key)),
            Some(n) => n.as_bool() != Some(false),
            None => true,
        }
    }

    /// Whether the job takes the global variable `name`, as `inherit: variables:` says.
    pub fn inherits_variable(&self, name: &str) -> bool {
        match self.node.path(&["inherit", "variables"]) {
            Some(n) if n.is_seq() => n.items().iter().any(|i| i.as_str() == Some(name)),
            Some(n) => n.as_bool() != Some(false),
            None => true,
        }
    }

    /// The value of a keyword the job runs with: its own, else the default it inherits.
    pub fn setting(&self, key: &str) -> Option<&'a Node> {
        self.get(key).or_else(|| {
            self.inherits_default(key)
                .then(|| self.file.defaults().get(key))
                .flatten()
        })
    }

    pub fn image(&self) -> Option<Image<'a>> {
        self.setting("image").and_then(Image::from_node)
    }

    pub fn services(&self) -> Vec<Service<'a>> {
        self.setting("services")
            .map(Service::list)
            .unwrap_or_default()
    }

    fn lines(&self, key: &str) -> Vec<ScriptLine<'a>> {
        self.setting(key)
            .map(|n| script::lines(n).0)
            .unwrap_or_default()
    }

    pub fn before_script(&self) -> Vec<ScriptLine<'a>> {
        self.lines("before_script")
    }

    pub fn script(&self) -> Vec<ScriptLine<'a>> {
        self.lines("script")
    }

    pub fn after_script(&self) -> Vec<ScriptLine<'a>> {
        self.lines("after_script")
    }

    /// `before_script` then `script`: the lines one shell runs, in order.
    pub fn main_shell(&self) -> Vec<ScriptLine<'a>> {
        let mut lines = self.before_script();
        lines.extend(self.script());
        lines
    }

    /// Whether every line of the job's scripts is known (no unresolved `!reference`).
    pub fn scripts_complete(&self) -> bool {
        ["before_script", "script", "after_script"]
            .iter()
            .all(|k| self.setting(k).is_none_or(|n| script::lines(n).1))
    }

    /// The job's own `variables:`.
    pub fn own_variables(&self) -> Vec<Variable<'a>> {
        self.get("variables")
            .map(values::variables)
            .unwrap_or_default()
    }

    /// The variables the job runs with that the configuration sets: its own, then the global
    /// ones it inherits and does not override.
    pub fn variables(&self) -> Vec<Variable<'a>> {
        let mut out = self.own_variables();
        let globals: Vec<Variable<'a>> = self
            .file
            .variables()
            .into_iter()
            .filter(|g| {
                self.inherits_variable(g.name.value)
                    && !out.iter().any(|v| v.name.value == g.name.value)
            })
            .collect();
        out.extend(globals);
        out
    }

    /// The variable `name` as the job sees it (its own, else the inherited global one).
    pub fn variable(&self, name: &str) -> Option<Variable<'a>> {
        self.variables().into_iter().find(|v| v.name.value == name)
    }

    /// `text` with `$NAME` and `${NAME}` replaced by the literal values of the variables the job
    /// sets (nested references expanded up to a few levels, `$$` kept as `$`); `None` when a
    /// variable is not set in the configuration (predefined, or from the project's settings).
    pub fn expand(&self, text: &str) -> Option<String> {
        let vars = self.variables();
        expand(
            text,
            &|name| {
                let v = vars.iter().find(|v| v.name.value == name)?;
                Some((v.value.as_ref()?.value, v.expand))
            },
            0,
        )
    }

    /// `rules:`; `None` when the job has none.
    pub fn rules(&self) -> Option<Rules<'a>> {
        self.get("rules").map(Rules::from_node)
    }

    pub fn only(&self) -> Option<Refs<'a>> {
        self.get("only").and_then(Refs::from_node)
    }

    pub fn except(&self) -> Option<Refs<'a>> {
        self.get("except").and_then(Refs::from_node)
    }

    pub fn environment(&self) -> Option<Environment<'a>> {
        self.get("environment")
            .filter(|n| !is_unresolved(n))
            .and_then(Environment::from_node)
    }

    pub fn stage(&self) -> Option<Str<'a>> {
        self.get("stage").and_then(spanned)
    }

    /// `when:` (`on_success` when absent).
    pub fn when(&self) -> Option<Str<'a>> {
        self.get("when").and_then(spanned)
    }

    pub fn timeout(&self) -> Option<Str<'a>> {
        self.setting("timeout").and_then(spanned)
    }

    pub fn interruptible(&self) -> Option<Spanned<bool>> {
        let n = self.setting("interruptible")?;
        Some(Spanned::new(n.as_bool()?, n.site_range()))
    }

    /// `trigger:` (a job that starts a downstream pipeline).
    pub fn trigger(&self) -> Option<&'a Node> {
        self.get("trigger")
    }
}

/// Variable expansion as GitLab does it for YAML variables.
fn expand<'v>(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<(&'v str, bool)>,
    depth: usize,
) -> Option<String> {
    if depth > 5 {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            let ch = text[i..].chars().next()?;
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        if bytes.get(i + 1) == Some(&b'$') {
            out.push('$');
            i += 2;
            continue;
        }
        let braced = bytes.get(i + 1) == Some(&b'{');
        let start = i + 1 + usize::from(braced);
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        if end == start || (braced && bytes.get(end) != Some(&b'}')) {
            out.push('$');
            i += 1;
            continue;
        }
        let (value, expandable) = lookup(&text[start..end])?;
        if expandable && value.contains('$') {
            out.push_str(&expand(value, lookup, depth + 1)?);
        } else {
            out.push_str(value);
        }
        i = end + usize::from(braced);
    }
    Some(out)
}
