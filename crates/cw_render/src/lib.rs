//! Renders scan results in one of the output formats: rustc-like text, versioned JSON,
//! SARIF 2.1.0, JUnit XML, GitHub Actions workflow commands and a Markdown summary, either a whole
//! [`ScanReport`] ([`render`]) or streamed as the findings arrive ([`Renderer`]).
//!
//! Renderers only write to the writer they are given; wrap stdout in a `BufWriter`.

mod github;
mod json;
mod junit;
mod markdown;
mod pretty;
mod renderer;
mod sarif;
mod spool;
mod text;

use std::fmt;
use std::io;
use std::str::FromStr;

use cw_diagnostics::{Applicability, Fix, RuleMeta, ScanReport, ScanStats, ToolInfo};

pub use renderer::Renderer;
use renderer::{FormatWriter, Tally, severity_index};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
    Github,
    Markdown,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
        Format::Markdown,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Markdown => "markdown",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown format name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
        write!(
            f,
            "unknown output format `{}` (expected one of: {})",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

/// Options that change how a report looks, not what it says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colours in the text output.
    pub color: bool,
    /// Show fixes as diffs in the text output (otherwise a one-line hint).
    pub show_fixes: bool,
}

/// What a run says before its findings: the tool, and every rule a finding may use.
#[derive(Clone, Copy, Debug)]
pub struct RunInfo<'a> {
    pub tool: &'a ToolInfo,
    /// SARIF `tool.driver.rules`, in this order. Every rule a finding uses must be listed.
    pub rules: &'a [&'static RuleMeta],
}

/// Writes `report` to `out` in `format`: [`Renderer`] over the whole report at once.
pub fn render(
    report: &ScanReport,
    format: Format,
    opts: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    // The registry's rules, then any rule a finding uses that the registry did not list.
    let mut rules = report.rules.clone();
    for d in &report.diagnostics {
        if !rules.iter().any(|r| r.code == d.code()) {
            rules.push(d.rule);
        }
    }
    let run = RunInfo {
        tool: &report.tool,
        rules: &rules,
    };
    let mut renderer = Renderer::begin(format, &run, *opts, out)?;
    renderer.findings(&report.diagnostics)?;
    renderer.finish(&report.stats)
}

/// `1 finding`, `2 findings`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `3 errors, 7 warnings, 2 info`, leaving out severities with no findings.
fn severity_breakdown(tally: &Tally) -> String {
    let [errors, warnings, info] = tally.severities;
    let parts = [
        (errors, plural(errors, "error", "errors")),
        (warnings, plural(warnings, "warning", "warnings")),
        (info, format!("{info} info")),
    ];
    parts
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `Found 3 findings (1 error, 2 warnings) in 4 files; 2 suppressed.` or `No findings in 4 files.`
fn summary_sentence(tally: &Tally, stats: &ScanStats) -> String {
    let files = plural(stats.files_scanned, "file", "files");
    let mut s = if tally.total() == 0 {
        format!("No findings in {files}")
    } else {
        format!(
            "Found {} ({}) in {files}",
            plural(tally.total(), "finding", "findings"),
            severity_breakdown(tally)
        )
    };
    let hidden: Vec<String> = [
        (stats.suppressed, "suppressed"),
        (stats.baselined, "baselined"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if !hidden.is_empty() {
        s.push_str("; ");
        s.push_str(&hidden.join(", "));
    }
    s.push('.');
    s
}

/// `fix available: Add a user (safe)`.
fn fix_hint(fix: &Fix) -> String {
    let applicability = match fix.applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
    };
    format!("fix available: {} ({applicability})", fix.title)
}

/// The kind of input a rule checks, from its code prefix: `dockerfile` for `DKR001`.
fn format_tag(meta: &RuleMeta) -> &'static str {
    match meta.prefix() {
        "DKR" => "dockerfile",
        "CMP" => "compose",
        "K8S" => "kubernetes",
        "AWS" => "aws",
        "GCP" => "gcp",
        "AZR" => "azure",
        "TF" => "terraform",
        "CFN" => "cloudformation",
        "GHA" => "github-actions",
        "GLC" => "gitlab-ci",
        "SEC" => "secrets",
        _ => "cloudwright",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
        }
        let err = "xml".parse::<Format>().expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "unknown output format `xml` (expected one of: text, json, sarif, junit, github, markdown)"
        );
    }
}
