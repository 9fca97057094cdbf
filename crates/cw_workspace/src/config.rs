//! `cloudwright.toml`: found by walking up from the scanned path, or given with `--config`.

use std::path::{Path, PathBuf};

use cw_diagnostics::Severity;
use serde::Deserialize;

/// The file name looked for.
pub const CONFIG_FILE: &str = "cloudwright.toml";

/// The configuration file, as written. Unknown keys are errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Rules to run (codes, names or prefixes); every stable rule when absent.
    pub select: Option<Vec<String>>,
    /// Rules to run in addition to `select`.
    #[serde(default)]
    pub extend_select: Vec<String>,
    /// Rules not to run.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// The lowest severity that fails the run: `error` (default), `warning`, `info` or `never`.
    pub fail_on: Option<FailOn>,
    /// Globs (relative to the config file's directory) of paths not to scan.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are skipped with CW003 (default 5 MB).
    pub max_file_size: Option<u64>,
    /// Run preview rules.
    pub preview: Option<bool>,
    /// Severity overrides: `DKR012 = "warning"`.
    #[serde(default)]
    pub severity: std::collections::BTreeMap<String, SeverityName>,
    /// Rules ignored for some paths, with a reason and an optional expiry date.
    #[serde(default)]
    pub per_path: Vec<PerPathConfig>,
    /// Rule options: `[rules.untrusted-registry] allowed-registries = ["ghcr.io/acme"]`.
    #[serde(default)]
    pub rules: std::collections::BTreeMap<String, toml::Value>,
    /// Terraform settings (used by the Terraform scanner).
    pub terraform: Option<TerraformConfig>,
    /// Where the config was read from (not a key).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PerPathConfig {
    pub paths: Vec<String>,
    pub ignore: Vec<String>,
    pub reason: Option<String>,
    /// `YYYY-MM-DD`: after this date the entry stops suppressing, and says so.
    pub expires: Option<toml::value::Datetime>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TerraformConfig {
    #[serde(default)]
    pub var_files: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    Error,
    Warning,
    Info,
}

impl From<SeverityName> for Severity {
    fn from(s: SeverityName) -> Self {
        match s {
            SeverityName::Error => Severity::Error,
            SeverityName::Warning => Severity::Warning,
            SeverityName::Info => Severity::Info,
        }
    }
}

/// `--fail-on` / `fail-on`: a severity, or `never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    /// The lowest severity that fails, or `None` for never.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// The nearest `cloudwright.toml` in `start` (a file's directory) or its ancestors.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(start).ok()?;
    let mut dir = if abs.is_dir() {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(CONFIG_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// Reads and validates a config file. Errors name the file, the line and the key.
pub fn load_config(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_config(&text, path)
}

pub(crate) fn parse_config(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let mut config: Config = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (line, column)
        });
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message: hint(e.message()),
        }
    })?;
    config.path = Some(path.to_path_buf());
    Ok(config)
}

/// serde's message, with a hint for the common mistakes.
fn hint(message: &str) -> String {
    let message = message.trim_end();
    if message.starts_with("unknown field") {
        format!("{message}; see the configuration reference in docs/configuration.md")
    } else if message.contains("unknown variant") {
        format!(
            "{message} (severities are `error`, `warning`, `info`; `fail-on` also takes `never`)"
        )
    } else {
        message.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_line_and_key() {
        let err = parse_config(
            "select = [\"DKR\"]\n\nselct = []\n",
            Path::new("cloudwright.toml"),
        )
        .expect_err("unknown key");
        let msg = err.to_string();
        assert!(
            msg.starts_with("cloudwright.toml:3:1: unknown field `selct`"),
            "{msg}"
        );
    }

    #[test]
    fn bad_value() {
        let err = parse_config("fail-on = \"sometimes\"\n", Path::new("c.toml")).expect_err("bad");
        assert!(err.to_string().contains("c.toml:1:11"), "{err}");
        assert!(err.to_string().contains("never"), "{err}");
    }

    #[test]
    fn full_config_parses() {
        let c = parse_config(
            r#"
select = ["DKR", "CW"]
ignore = ["DKR012"]
fail-on = "warning"
exclude = ["vendor/**"]
max-file-size = 1000
[severity]
DKR013 = "warning"
[[per-path]]
paths = ["legacy/**"]
ignore = ["DKR004"]
reason = "being rewritten"
expires = 2027-01-31
[rules.untrusted-registry]
allowed-registries = ["ghcr.io/acme"]
"#,
            Path::new("c.toml"),
        )
        .expect("valid");
        assert_eq!(
            c.per_path[0].expires.map(|d| d.to_string()).as_deref(),
            Some("2027-01-31")
        );
        assert_eq!(c.fail_on, Some(FailOn::Warning));
    }
}
