//! A Markdown summary for pull-request comments: counts, the top findings and a review checklist.

use std::io;

use cw_diagnostics::{Category, Diagnostic, ScanStats, Severity};

use crate::{FormatWriter, Tally, plural, severity_index, summary_sentence};

/// Rows in the findings table.
const TOP: usize = 50;

/// The review checklist: one line per area, with the categories it covers.
const AREAS: [(&str, &[Category]); 6] = [
    ("Security", &[Category::Security]),
    ("Reliability", &[Category::Reliability]),
    (
        "Efficiency and cost",
        &[Category::Efficiency, Category::Cost],
    ),
    ("Observability", &[Category::Observability]),
    ("Reproducibility", &[Category::Reproducibility]),
    ("Maintainability", &[Category::Maintainability]),
];

/// Everything is written at the end; meanwhile the table rows of the first `TOP` findings of each
/// severity are kept (the table shows errors first, then warnings, then info, in report order).
#[derive(Default)]
pub(crate) struct Markdown {
    /// By [`severity_index`].
    top: [Vec<String>; 3],
}

impl FormatWriter for Markdown {
    fn finding(&mut self, d: &Diagnostic, _: &mut dyn io::Write) -> io::Result<()> {
        let rows = &mut self.top[severity_index(d.severity)];
        if rows.len() < TOP {
            rows.push(format!(
                "| [{}]({}) | {} | {} | `{}:{}` | {} |",
                d.code(),
                d.rule.help_uri(),
                d.name(),
                d.severity,
                cell(&d.path),
                d.start.line,
                cell(&d.message)
            ));
        }
        Ok(())
    }

    fn finish(
        &mut self,
        tally: &Tally,
        stats: &ScanStats,
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        writeln!(out, "# cloudwright report\n")?;
        writeln!(out, "{}\n", summary_sentence(tally, stats))?;
        let categories = tally.categories();
        let found = tally.total() > 0;
        if found {
            let rows = Severity::ALL.into_iter().zip(tally.severities);
            table(out, "By severity", ["Severity", "Findings"], rows)?;
        }
        if !stats.formats.is_empty() {
            let rows = stats.formats.iter().map(|f| (f.format, f.files));
            table(out, "Files by format", ["Format", "Files"], rows)?;
        }
        if found {
            table(
                out,
                "By category",
                ["Category", "Findings"],
                categories.clone(),
            )?;
            self.top_findings(tally.total(), out)?;
        }
        writeln!(out, "## Review checklist\n")?;
        for (area, covered) in AREAS {
            let n: usize = categories
                .iter()
                .filter(|(c, _)| covered.contains(c))
                .map(|(_, n)| n)
                .sum();
            if n == 0 {
                writeln!(out, "- ✅ {area}: no findings")?;
            } else {
                writeln!(out, "- ❌ {area}: {}", plural(n, "finding", "findings"))?;
            }
        }
        Ok(())
    }
}

impl Markdown {
    fn top_findings(&self, total: usize, out: &mut dyn io::Write) -> io::Result<()> {
        writeln!(out, "## Top findings\n")?;
        writeln!(out, "| Code | Rule | Severity | Location | Message |")?;
        writeln!(out, "| --- | --- | --- | --- | --- |")?;
        for row in self.top.iter().flatten().take(TOP) {
            writeln!(out, "{row}")?;
        }
        if total > TOP {
            writeln!(out, "\n_Showing {TOP} of {total} findings._")?;
        }
        writeln!(out)
    }
}

/// A two-column table of counts under a heading.
fn table<K: std::fmt::Display>(
    out: &mut dyn io::Write,
    heading: &str,
    [key, value]: [&str; 2],
    rows: impl IntoIterator<Item = (K, usize)>,
) -> io::Result<()> {
    writeln!(out, "## {heading}\n\n| {key} | {value} |\n| --- | ---: |")?;
    for (k, n) in rows {
        writeln!(out, "| {} | {n} |", cell(&k.to_string()))?;
    }
    writeln!(out)
}

/// Keeps a value inside its table cell: escapes `|` and folds line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace("\r\n", " ")
        .replace(['\n', '\r'], " ")
}
