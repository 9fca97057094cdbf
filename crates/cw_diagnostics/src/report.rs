use crate::{Diagnostic, RuleMeta, Severity};

#[derive(Clone, Debug)]
pub struct ToolInfo {
    pub name: &'static str,
    pub version: &'static str,
    pub information_uri: &'static str,
}

/// Files scanned for one format (`dockerfile`, `kubernetes`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatCount {
    pub format: &'static str,
    pub files: usize,
}

#[derive(Clone, Debug, Default)]
pub struct ScanStats {
    /// Files the walk yielded that were checked, per format, sorted by format.
    pub formats: Vec<FormatCount>,
    /// Files checked in all.
    pub files_scanned: usize,
    /// Bytes read in all.
    pub bytes_scanned: u64,
    /// Findings hidden by inline or config suppressions.
    pub suppressed: usize,
    /// Findings hidden by the baseline.
    pub baselined: usize,
    pub elapsed_ms: u64,
}

/// What renderers get: the findings, sorted, and everything needed to describe the run.
#[derive(Clone, Debug)]
pub struct ScanReport {
    pub tool: ToolInfo,
    /// Every rule known to the registry (SARIF `tool.driver.rules`), in registry order.
    pub rules: Vec<&'static RuleMeta>,
    /// Sorted by path, position, code.
    pub diagnostics: Vec<Diagnostic>,
    pub stats: ScanStats,
}

impl ScanReport {
    /// Number of findings of each severity: `[error, warning, info]`.
    pub fn counts(&self) -> [usize; 3] {
        let mut c = [0; 3];
        for d in &self.diagnostics {
            match d.severity {
                Severity::Error => c[0] += 1,
                Severity::Warning => c[1] += 1,
                Severity::Info => c[2] += 1,
            }
        }
        c
    }
}
