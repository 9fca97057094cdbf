use std::fmt;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }

    /// SARIF `level`: the one mapping, used by every SARIF producer.
    pub const fn sarif_level(self) -> &'static str {
        match self {
            Severity::Info => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// GitHub workflow command: the one mapping, used by the `github` output.
    pub const fn github_command(self) -> &'static str {
        match self {
            Severity::Info => "notice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// SARIF `security-severity` property (GitHub's 0.0–10.0 scale) for security rules.
    pub const fn security_severity(self) -> &'static str {
        match self {
            Severity::Info => "3.0",
            Severity::Warning => "5.5",
            Severity::Error => "8.0",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Security,
    Reliability,
    Efficiency,
    Cost,
    Observability,
    Reproducibility,
    Maintainability,
    /// cloudwright's own diagnostics (`CW` codes): parse errors, suppressions, skipped files.
    Tool,
}

impl Category {
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Reliability => "reliability",
            Category::Efficiency => "efficiency",
            Category::Cost => "cost",
            Category::Observability => "observability",
            Category::Reproducibility => "reproducibility",
            Category::Maintainability => "maintainability",
            Category::Tool => "tool",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a rule can offer a fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

impl FixAvailability {
    pub const fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "none",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::Always => "always",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Runs only with `--preview`.
    Preview {
        since: &'static str,
    },
    Stable {
        since: &'static str,
    },
    Deprecated {
        since: &'static str,
    },
}

impl Status {
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Preview { .. } => "preview",
            Status::Stable { .. } => "stable",
            Status::Deprecated { .. } => "deprecated",
        }
    }

    pub const fn since(self) -> &'static str {
        match self {
            Status::Preview { since } | Status::Stable { since } | Status::Deprecated { since } => {
                since
            }
        }
    }
}

/// The tools whose rule IDs we map to ours, so their suppressions keep working.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeerTool {
    Hadolint,
    Checkov,
    Trivy,
    Kics,
    KubeLinter,
    KubeScore,
    Polaris,
    Zizmor,
    Actionlint,
    Tflint,
}

impl PeerTool {
    pub const fn as_str(self) -> &'static str {
        match self {
            PeerTool::Hadolint => "hadolint",
            PeerTool::Checkov => "checkov",
            PeerTool::Trivy => "trivy",
            PeerTool::Kics => "kics",
            PeerTool::KubeLinter => "kube-linter",
            PeerTool::KubeScore => "kube-score",
            PeerTool::Polaris => "polaris",
            PeerTool::Zizmor => "zizmor",
            PeerTool::Actionlint => "actionlint",
            PeerTool::Tflint => "tflint",
        }
    }
}

/// One equivalent rule of another tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Peer {
    pub tool: PeerTool,
    pub id: &'static str,
}

impl Peer {
    pub const fn new(tool: PeerTool, id: &'static str) -> Self {
        Self { tool, id }
    }
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.tool.as_str(), self.id)
    }
}

/// Everything known about a rule apart from its logic. Static: the registry is built at compile time.
#[derive(Debug)]
pub struct RuleMeta {
    /// `DKR001`: never changes.
    pub code: &'static str,
    /// `base-image-latest-tag`: kebab-case, unique within the prefix.
    pub name: &'static str,
    pub category: Category,
    /// The default severity; users may override it in config.
    pub severity: Severity,
    pub fix: FixAvailability,
    pub status: Status,
    pub peers: &'static [Peer],
    /// The rule's documentation in Markdown (sections: What it does, Why is this bad, Example, ...).
    pub docs: &'static str,
    /// Source file of the rule, for "view source" links.
    pub file: &'static str,
}

impl RuleMeta {
    /// The code's prefix: `DKR` for `DKR001`.
    pub fn prefix(&self) -> &'static str {
        self.code.trim_end_matches(|c: char| c.is_ascii_digit())
    }

    /// The first paragraph under `## What it does`, as one line: the rule's short description.
    pub fn summary(&self) -> String {
        let body = self
            .docs
            .split("## What it does")
            .nth(1)
            .unwrap_or(self.docs)
            .trim_start();
        let para = body.split("\n\n").next().unwrap_or("");
        let para = para.split("\n#").next().unwrap_or(para);
        para.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Documentation page of the rule, relative to the repository root.
    pub fn doc_path(&self) -> String {
        format!("docs/rules/{}-{}.md", self.code, self.name)
    }

    /// Where the rule's documentation is published.
    pub fn help_uri(&self) -> String {
        format!(
            "https://github.com/cloudwright/cloudwright/blob/main/{}",
            self.doc_path()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_keeps_digits_inside_the_prefix() {
        let meta = |code| RuleMeta {
            code,
            name: "x",
            category: Category::Security,
            severity: Severity::Error,
            fix: FixAvailability::None,
            status: Status::Stable { since: "0.1.0" },
            peers: &[],
            docs: "## What it does\nFlags x.\n\n## Why",
            file: "",
        };
        assert_eq!(meta("K8S010").prefix(), "K8S");
        assert_eq!(meta("DKR001").prefix(), "DKR");
        assert_eq!(meta("CW001").prefix(), "CW");
        assert_eq!(meta("CW001").summary(), "Flags x.");
    }
}
