//! A Markdown summary for pull-request comments: counts, the top findings and a review checklist.

use std::io;

use cw_diagnostics::{Category, ScanReport, Severity};

use crate::{by_severity, category_counts, plural, summary_sentence};

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

pub(crate) fn render(report: &ScanReport, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(out, "# cloudwright report\n")?;
    writeln!(out, "{}\n", summary_sentence(report))?;
    let categories = category_counts(report);
    let found = !report.diagnostics.is_empty();
    if found {
        let [errors, warnings, info] = report.counts();
        let rows = [
            (Severity::Error, errors),
            (Severity::Warning, warnings),
            (Severity::Info, info),
        ];
        table(out, "By severity", ["Severity", "Findings"], rows)?;
    }
    if !report.stats.formats.is_empty() {
        let rows = report.stats.formats.iter().map(|f| (f.format, f.files));
        table(out, "Files by format", ["Format", "Files"], rows)?;
    }
    if found {
        table(
            out,
            "By category",
            ["Category", "Findings"],
            categories.clone(),
        )?;
        top_findings(report, out)?;
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

fn top_findings(report: &ScanReport, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(out, "## Top findings\n")?;
    writeln!(out, "| Code | Rule | Severity | Location | Message |")?;
    writeln!(out, "| --- | --- | --- | --- | --- |")?;
    let sorted = by_severity(report);
    for d in sorted.iter().take(TOP) {
        writeln!(
            out,
            "| [{}]({}) | {} | {} | `{}:{}` | {} |",
            d.code(),
            d.rule.help_uri(),
            d.name(),
            d.severity,
            cell(&d.path),
            d.start.line,
            cell(&d.message)
        )?;
    }
    if sorted.len() > TOP {
        writeln!(out, "\n_Showing {TOP} of {} findings._", sorted.len())?;
    }
    writeln!(out)
}

/// Keeps a value inside its table cell: escapes `|` and folds line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace("\r\n", " ")
        .replace(['\n', '\r'], " ")
}
