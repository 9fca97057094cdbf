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

use cw_diagnostics::{Category, Diagnostic, Fix, FormatCount, LineCol, ScanStats, Severity};
use serde::Serialize;
use serde::ser::Serializer;

use crate::pretty::PrettyJson;
use crate::{FormatWriter, RunInfo, Tally};

/// Streams the report: everything up to `"findings": [` is written at the start.
pub(crate) struct Json {
    json: PrettyJson,
}

impl Json {
    pub(crate) fn begin(run: &RunInfo<'_>, out: &mut dyn io::Write) -> io::Result<Self> {
        let mut json = PrettyJson::default();
        json.open(out, b'{')?;
        json.key(out, "version")?;
        json.value(out, &1)?;
        json.key(out, "tool")?;
        json.value(
            out,
            &Tool {
                name: run.tool.name,
                version: run.tool.version,
                information_uri: run.tool.information_uri,
            },
        )?;
        json.key(out, "findings")?;
        json.open(out, b'[')?;
        Ok(Self { json })
    }
}

impl FormatWriter for Json {
    fn finding(&mut self, d: &Diagnostic, out: &mut dyn io::Write) -> io::Result<()> {
        self.json.element(out)?;
        self.json.value(out, &Finding::new(d))
    }

    fn finish(
        &mut self,
        tally: &Tally,
        stats: &ScanStats,
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        let [errors, warnings, info] = tally.severities;
        self.json.close(out, b']')?;
        self.json.key(out, "summary")?;
        self.json.value(
            out,
            &Summary {
                files: stats.files_scanned,
                findings: tally.total(),
                errors,
                warnings,
                info,
                suppressed: stats.suppressed,
                baselined: stats.baselined,
                formats: &stats.formats,
            },
        )?;
        self.json.close(out, b'}')?;
        writeln!(out)
    }
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
