use std::fmt;
use std::str::FromStr;

use cw_diagnostics::{RuleMeta, Severity, Status};
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::registry::{RULES, rule_by_code_or_name};
use crate::rule::AnyOptions;
use crate::text::edit_distance;

/// Selects rules: `ALL`, a code prefix (`DKR`, `DKR0`, `CW`), a code (`DKR001`), a name
/// (`base-image-latest-tag`) or `<prefix>/<name>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    All,
    Prefix(String),
    Rule(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    pub selector: String,
    pub suggestion: Option<&'static str>,
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown rule or prefix `{}`", self.selector)?;
        if let Some(s) = self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for SelectorError {}

impl FromStr for Selector {
    type Err = SelectorError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("all") {
            return Ok(Selector::All);
        }
        if let Some((i, _)) = rule_by_code_or_name(s) {
            return Ok(Selector::Rule(i));
        }
        let upper = s.to_ascii_uppercase();
        if !upper.is_empty() && RULES.iter().any(|r| r.meta.code.starts_with(&upper)) {
            return Ok(Selector::Prefix(upper));
        }
        Err(SelectorError {
            selector: s.to_string(),
            suggestion: suggest(s),
        })
    }
}

impl Selector {
    fn matches(&self, index: usize, meta: &RuleMeta) -> bool {
        match self {
            Selector::All => true,
            Selector::Prefix(p) => meta.code.starts_with(p.as_str()),
            Selector::Rule(i) => *i == index,
        }
    }

    /// More specific selectors win over less specific ones (`--ignore DKR --select DKR001` keeps DKR001).
    fn specificity(&self) -> usize {
        match self {
            Selector::All => 0,
            Selector::Prefix(p) => p.len(),
            Selector::Rule(_) => usize::MAX,
        }
    }
}

/// The closest code or name to a mistyped selector, if one is close.
fn suggest(s: &str) -> Option<&'static str> {
    let lower = s.to_ascii_lowercase();
    RULES
        .iter()
        .flat_map(|r| [r.meta.code, r.meta.name])
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 5))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A `[[per-path]]` entry of the config: rules ignored for files matching globs, until an optional date.
#[derive(Clone, Debug)]
pub struct PerPathIgnore {
    pub paths: Vec<String>,
    pub ignore: Vec<Selector>,
    pub reason: Option<String>,
    /// `YYYY-MM-DD`, compared as text with today's date.
    pub expires: Option<String>,
}

#[derive(Debug)]
struct CompiledPerPath {
    globs: GlobSet,
    ignore: Vec<Selector>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsError {
    Glob { pattern: String, message: String },
    UnknownRule { rule: String },
    Options { rule: &'static str, message: String },
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Glob { pattern, message } => {
                write!(f, "invalid glob `{pattern}`: {message}")
            }
            SettingsError::UnknownRule { rule } => write!(f, "unknown rule `{rule}`"),
            SettingsError::Options { rule, message } => {
                write!(f, "invalid options for rule `{rule}`: {message}")
            }
        }
    }
}

impl std::error::Error for SettingsError {}

/// Inputs to [`Settings`], from the config file and the command line.
#[derive(Debug, Default)]
pub struct SettingsBuilder {
    /// Replaces the default selection (every stable rule) when set.
    pub select: Option<Vec<Selector>>,
    pub extend_select: Vec<Selector>,
    pub ignore: Vec<Selector>,
    /// Severity overrides, applied in order (later wins).
    pub severity: Vec<(Selector, Severity)>,
    /// `[rules.<name>]` tables: rule code or name, and the table.
    pub options: Vec<(String, toml::Value)>,
    pub per_path: Vec<PerPathIgnore>,
    /// Run preview rules too.
    pub preview: bool,
    /// Today as `YYYY-MM-DD`, to expire per-path entries.
    pub today: String,
}

/// The resolved settings the engine runs with.
#[derive(Debug)]
pub struct Settings {
    enabled: Vec<bool>,
    severity: Vec<Severity>,
    options: Vec<AnyOptions>,
    per_path: Vec<CompiledPerPath>,
    /// Per-path entries whose `expires` date has passed: they no longer suppress anything.
    pub expired: Vec<PerPathIgnore>,
    /// Keep the source lines of each finding for code frames (only the text output draws them; other
    /// outputs save the memory).
    pub capture_snippets: bool,
    /// Today as `YYYY-MM-DD`: suppression comments with an `:exp:` date before it have expired.
    pub(crate) today: String,
}

impl Default for Settings {
    fn default() -> Self {
        SettingsBuilder::default()
            .build()
            .expect("invariant: default settings are valid")
    }
}

impl SettingsBuilder {
    pub fn build(self) -> Result<Settings, SettingsError> {
        let positive: Vec<&Selector> = match &self.select {
            Some(s) => s.iter().chain(&self.extend_select).collect(),
            None => std::iter::once(&Selector::All)
                .chain(&self.extend_select)
                .collect(),
        };
        let explicit = |i: usize| {
            self.select
                .iter()
                .flatten()
                .chain(&self.extend_select)
                .any(|s| *s == Selector::Rule(i))
        };
        let enabled = RULES
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let best_pos = positive
                    .iter()
                    .filter(|s| s.matches(i, r.meta))
                    .map(|s| s.specificity())
                    .max();
                let best_neg = self
                    .ignore
                    .iter()
                    .filter(|s| s.matches(i, r.meta))
                    .map(Selector::specificity)
                    .max();
                let on = match (best_pos, best_neg) {
                    (Some(p), Some(n)) => p > n,
                    (Some(_), None) => true,
                    _ => false,
                };
                let preview_ok =
                    self.preview || !matches!(r.meta.status, Status::Preview { .. }) || explicit(i);
                on && preview_ok
            })
            .collect();
        let mut severity: Vec<Severity> = RULES.iter().map(|r| r.meta.severity).collect();
        for (sel, sev) in &self.severity {
            for (i, r) in RULES.iter().enumerate() {
                if sel.matches(i, r.meta) {
                    severity[i] = *sev;
                }
            }
        }
        let mut options: Vec<AnyOptions> = RULES.iter().map(|r| (r.default_options)()).collect();
        for (key, value) in self.options {
            let (i, entry) = rule_by_code_or_name(&key)
                .ok_or_else(|| SettingsError::UnknownRule { rule: key.clone() })?;
            options[i] =
                (entry.parse_options)(value).map_err(|message| SettingsError::Options {
                    rule: entry.meta.name,
                    message,
                })?;
        }
        let mut per_path = Vec::new();
        let mut expired = Vec::new();
        for entry in self.per_path {
            if entry
                .expires
                .as_deref()
                .is_some_and(|e| e < self.today.as_str())
            {
                expired.push(entry);
                continue;
            }
            let mut b = GlobSetBuilder::new();
            for p in &entry.paths {
                let glob = Glob::new(p).map_err(|e| SettingsError::Glob {
                    pattern: p.clone(),
                    message: e.kind().to_string(),
                })?;
                b.add(glob);
            }
            let globs = b.build().map_err(|e| SettingsError::Glob {
                pattern: entry.paths.join(", "),
                message: e.to_string(),
            })?;
            per_path.push(CompiledPerPath {
                globs,
                ignore: entry.ignore,
            });
        }
        Ok(Settings {
            enabled,
            severity,
            options,
            per_path,
            expired,
            capture_snippets: true,
            today: self.today,
        })
    }
}

impl Settings {
    /// Only the rule `code` (and nothing else, not even tool diagnostics): for rule tests.
    pub fn only(code: &str) -> Settings {
        let sel: Selector = code.parse().expect("invariant: a known rule");
        SettingsBuilder {
            select: Some(vec![sel]),
            ..SettingsBuilder::default()
        }
        .build()
        .expect("invariant: valid settings")
    }

    pub fn is_enabled(&self, index: usize) -> bool {
        self.enabled[index]
    }

    pub fn severity(&self, index: usize) -> Severity {
        self.severity[index]
    }

    pub(crate) fn options(&self, index: usize) -> &AnyOptions {
        &self.options[index]
    }

    /// Whether a `[[per-path]]` entry ignores rule `index` for `path`.
    pub fn per_path_ignores(&self, path: &str, index: usize) -> bool {
        let meta = RULES[index].meta;
        self.per_path
            .iter()
            .any(|p| p.globs.is_match(path) && p.ignore.iter().any(|s| s.matches(index, meta)))
    }

    /// Whether a scan must parse files of format `kind`: a rule of the format is enabled, or one of
    /// the tool diagnostics parsing produces (CW001 syntax errors, CW002 invalid suppressions in
    /// objects' annotations, CW004 modules and charts not rendered). With only secret rules
    /// selected, every file is plain text.
    pub fn checks_format(&self, kind: crate::FileKind) -> bool {
        use crate::{FileKind, InputKind};
        let inputs: &[InputKind] = match kind {
            FileKind::Dockerfile => &[InputKind::Dockerfile],
            FileKind::Compose => &[InputKind::Compose],
            FileKind::Kubernetes => &[InputKind::Kubernetes, InputKind::KubernetesCluster],
            FileKind::GithubWorkflow | FileKind::GithubAction => &[InputKind::GithubActions],
            FileKind::GitlabCi => &[InputKind::GitlabCi],
            FileKind::Terraform => &[InputKind::Terraform, InputKind::Aws],
            FileKind::TerraformState => &[InputKind::TerraformState],
            FileKind::TerraformPlan => &[InputKind::Aws],
            FileKind::Text => return false,
        };
        inputs.iter().any(|&k| self.any_enabled(k))
            || ["CW001", "CW002", "CW004"]
                .iter()
                .any(|code| crate::rule_by_code_or_name(code).is_some_and(|(i, _)| self.enabled[i]))
    }

    /// Whether any rule of `kind` is enabled.
    pub fn any_enabled(&self, kind: crate::InputKind) -> bool {
        self.enabled_rules(kind).next().is_some()
    }

    pub(crate) fn enabled_rules(
        &self,
        kind: crate::InputKind,
    ) -> impl Iterator<Item = (usize, &'static crate::RuleEntry)> + '_ {
        RULES
            .iter()
            .enumerate()
            .filter(move |(i, r)| r.input == kind && self.enabled[*i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(code: &str) -> usize {
        rule_by_code_or_name(code).expect("known").0
    }

    #[test]
    fn selectors_parse() {
        assert_eq!("ALL".parse::<Selector>(), Ok(Selector::All));
        assert_eq!("cw".parse::<Selector>(), Ok(Selector::Prefix("CW".into())));
        assert_eq!(
            "CW001".parse::<Selector>(),
            Ok(Selector::Rule(index("CW001")))
        );
        assert_eq!(
            "invalid-syntax".parse::<Selector>(),
            Ok(Selector::Rule(index("CW001")))
        );
        let err = "CW0001".parse::<Selector>().expect_err("unknown");
        assert_eq!(err.suggestion, Some("CW001"));
        assert!("XYZ".parse::<Selector>().is_err());
    }

    #[test]
    fn specificity_decides() {
        let s = SettingsBuilder {
            extend_select: vec!["CW001".parse().expect("ok")],
            ignore: vec!["CW".parse().expect("ok")],
            ..Default::default()
        }
        .build()
        .expect("valid");
        assert!(s.is_enabled(index("CW001")));
        assert!(!s.is_enabled(index("CW002")));
    }

    #[test]
    fn per_path_expires() {
        let entry = |expires: &str| PerPathIgnore {
            paths: vec!["legacy/**".into()],
            ignore: vec![Selector::Prefix("CW".into())],
            reason: None,
            expires: Some(expires.into()),
        };
        let s = SettingsBuilder {
            per_path: vec![entry("2030-01-01"), entry("2020-01-01")],
            today: "2026-11-22".into(),
            ..Default::default()
        }
        .build()
        .expect("valid");
        assert!(s.per_path_ignores("legacy/a/Dockerfile", index("CW001")));
        assert!(!s.per_path_ignores("app/Dockerfile", index("CW001")));
        assert_eq!(s.expired.len(), 1);
    }
}
