//! `cloudwright scan`: walk, lint, filter (baseline, `--min-severity`), render, and decide the exit code.

use anyhow::Context;
use cw_diagnostics::{ScanReport, Severity, ToolInfo};
use cw_linter::baseline::Baseline;
use cw_render::{Format, RenderOptions, render};
use cw_workspace::scan;

use super::setup::{Progress, setup, use_color};
use crate::Outcome;
use crate::args::{FailOnArg, OutputFormat, ScanArgs, SeverityArg};
use crate::printer;

pub(crate) const TOOL: ToolInfo = ToolInfo {
    name: "cloudwright",
    version: env!("CARGO_PKG_VERSION"),
    information_uri: "https://github.com/cloudwright/cloudwright",
};

pub(crate) fn run(args: &ScanArgs) -> anyhow::Result<Outcome> {
    let mut setup = setup(&args.selection)?;
    setup.options.settings.capture_snippets = args.format == OutputFormat::Text;
    let baseline = args
        .baseline
        .as_ref()
        .map(|p| {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read the baseline {}", p.display()))?;
            Baseline::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
        })
        .transpose()?;
    let progress = Progress::new(&args.selection);
    let outcome = scan(&setup.options, &|done, total| progress.tick(done, total))?;
    progress.finish();
    let mut diagnostics = outcome.diagnostics;
    let mut stats = outcome.stats;

    if let Some(path) = &args.write_baseline {
        std::fs::write(path, Baseline::write(&diagnostics))
            .with_context(|| format!("cannot write the baseline {}", path.display()))?;
        if !args.selection.quiet {
            printer::note(&format!(
                "wrote {} findings to the baseline {}",
                diagnostics.len(),
                path.display()
            ));
        }
        return Ok(Outcome::Clean);
    }
    if let Some(baseline) = &baseline {
        let (kept, dropped) = baseline.filter(diagnostics);
        diagnostics = kept;
        stats.baselined = dropped;
    }

    let fail_on = match args.fail_on {
        Some(f) => fail_threshold(f),
        None => setup
            .config
            .fail_on
            .map_or(Some(Severity::Error), cw_workspace::FailOn::threshold),
    };
    let failed = fail_on.is_some_and(|t| diagnostics.iter().any(|d| d.severity >= t));
    let min = severity(args.min_severity);
    diagnostics.retain(|d| d.severity >= min);

    let report = ScanReport {
        tool: TOOL,
        rules: cw_linter::RULES.iter().map(|r| r.meta).collect(),
        diagnostics,
        stats,
    };
    let format: Format = format_name(args.format)
        .parse()
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let opts = RenderOptions {
        color: use_color(args.selection.color, args.output.is_some()),
        show_fixes: false,
    };
    let mut out = printer::output(args.output.as_deref())?;
    if !(args.selection.quiet && format == Format::Text && report.diagnostics.is_empty()) {
        render(&report, format, &opts, &mut out)?;
    }
    out.flush()?;
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn fail_threshold(f: FailOnArg) -> Option<Severity> {
    match f {
        FailOnArg::Error => Some(Severity::Error),
        FailOnArg::Warning => Some(Severity::Warning),
        FailOnArg::Info => Some(Severity::Info),
        FailOnArg::Never => None,
    }
}

fn severity(s: SeverityArg) -> Severity {
    match s {
        SeverityArg::Error => Severity::Error,
        SeverityArg::Warning => Severity::Warning,
        SeverityArg::Info => Severity::Info,
    }
}

fn format_name(f: OutputFormat) -> &'static str {
    match f {
        OutputFormat::Text => "text",
        OutputFormat::Json => "json",
        OutputFormat::Sarif => "sarif",
        OutputFormat::Junit => "junit",
        OutputFormat::Github => "github",
        OutputFormat::Markdown => "markdown",
    }
}

use std::io::Write as _;
