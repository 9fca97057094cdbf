//! The versioned JSON report (DESIGN §5). Version 1:
//!
//! ```text
//! { "version": 1,
//!   "tool": { "name", "version", "informationUri" },
//!   "findings": [ { "code", "name", "severity", "category", "message", "path",
//!                   "start": { "line", "column" }, "end": { "line", "column" },
//!                   "resource"?, "help"?,
//!                   "fix"?: { "title", "applicability": "safe"|"unsafe",
//!                             "edits": [ { "range": { "start", "end" }, "content" } ] },
//!                   "fingerprint" } ],
//!   "summary": { "files", "findings", "errors", "warnings", "info", "suppressed", "baselined",
//!                "formats": { "<format>": <files>, ... } } }
//! ```
//!
//! Lines and columns are 1-based; columns count Unicode scalar values. Edit ranges are
//! half-open UTF-8 byte offsets into the file. Optional keys are left out, never `null`.

use std::io;

use cw_diagnostics::{Category, Diagnostic, Fix, FormatCount, LineCol, ScanReport, Severity};
use serde::Serialize;
use serde::ser::Serializer;

pub(crate) fn render(report: &ScanReport, out: &mut dyn io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &JsonReport::new(report))?;
    writeln!(out)
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool<'a>,
    findings: Vec<Finding<'a>>,
    summary: Summary<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Tool<'a> {
    name: &'a str,
    version: &'a str,
    information_uri: &'a str,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    category: Category,
    message: &'a str,
    path: &'a str,
    start: LineCol,
    end: LineCol,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a Fix>,
    fingerprint: &'a str,
}

#[derive(Serialize)]
struct Summary<'a> {
    files: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    info: usize,
    suppressed: usize,
    baselined: usize,
    #[serde(serialize_with = "formats_as_map")]
    formats: &'a [FormatCount],
}

impl<'a> JsonReport<'a> {
    fn new(report: &'a ScanReport) -> Self {
        let [errors, warnings, info] = report.counts();
        Self {
            version: 1,
            tool: Tool {
                name: report.tool.name,
                version: report.tool.version,
                information_uri: report.tool.information_uri,
            },
            findings: report.diagnostics.iter().map(Finding::new).collect(),
            summary: Summary {
                files: report.stats.files_scanned,
                findings: report.diagnostics.len(),
                errors,
                warnings,
                info,
                suppressed: report.stats.suppressed,
                baselined: report.stats.baselined,
                formats: &report.stats.formats,
            },
        }
    }
}

impl<'a> Finding<'a> {
    fn new(d: &'a Diagnostic) -> Self {
        Self {
            code: d.code(),
            name: d.name(),
            severity: d.severity,
            category: d.category(),
            message: &d.message,
            path: &d.path,
            start: d.start,
            end: d.end,
            resource: d.resource.as_deref(),
            help: d.help.as_deref(),
            fix: d.fix.as_ref(),
            fingerprint: &d.fingerprint,
        }
    }
}

/// `{"dockerfile": 3, ...}` in the stats' order.
fn formats_as_map<S: Serializer>(formats: &&[FormatCount], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(formats.iter().map(|f| (f.format, f.files)))
}
