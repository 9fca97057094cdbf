//! `cloudwright scan`: walk, lint, filter (baseline, `--min-severity`), render, and decide the exit code.
//! Findings stream from the linter to the output file by file; none are kept.

use std::io::{BufWriter, Write as _};
use std::path::Path;

use anyhow::Context;
use cw_diagnostics::{RuleMeta, Severity, ToolInfo};
use cw_linter::baseline::{Baseline, BaselineWriter};
use cw_render::{Format, RenderOptions, Renderer, RunInfo};
use cw_workspace::Scan;

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
    let mut baseline = args
        .baseline
        .as_ref()
        .map(|p| {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read the baseline {}", p.display()))?;
            Baseline::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
        })
        .transpose()?;
    let progress = Progress::new(&args.selection);
    let scan = Scan::walk(&setup.options)?;
    let tick = |done, total| progress.tick(done, total);

    if let Some(path) = &args.write_baseline {
        let written = write_baseline(scan, &tick, path)?;
        progress.finish();
        if !args.selection.quiet {
            printer::note(&format!(
                "wrote {written} findings to the baseline {}",
                path.display()
            ));
        }
        return Ok(Outcome::Clean);
    }

    let fail_on = match args.fail_on {
        Some(f) => fail_threshold(f),
        None => setup
            .config
            .fail_on
            .map_or(Some(Severity::Error), cw_workspace::FailOn::threshold),
    };
    let min = severity(args.min_severity);
    let format: Format = format_name(args.format)
        .parse()
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let opts = RenderOptions {
        color: use_color(args.selection.color, args.output.is_some()),
        show_fixes: false,
    };
    let rules: Vec<&'static RuleMeta> = cw_linter::RULES.iter().map(|r| r.meta).collect();
    let run = RunInfo {
        tool: &TOOL,
        rules: &rules,
    };
    let mut out = printer::output_below(args.output.as_deref(), progress.bar())?;
    let mut renderer = Renderer::begin(format, &run, opts, &mut *out)?;
    let (mut failed, mut baselined) = (false, 0);
    let mut stats = scan.lint(&tick, |mut diagnostics| -> anyhow::Result<()> {
        if let Some(baseline) = &mut baseline {
            let before = diagnostics.len();
            diagnostics.retain(|d| !baseline.accepts(d));
            baselined += before - diagnostics.len();
        }
        // Over everything the baseline leaves, before `--min-severity` hides any.
        failed |= fail_on.is_some_and(|t| diagnostics.iter().any(|d| d.severity >= t));
        diagnostics.retain(|d| d.severity >= min);
        Ok(renderer.findings(&diagnostics)?)
    })?;
    progress.finish();
    stats.baselined = baselined;
    // The text format writes nothing before the findings, so a quiet clean run prints nothing.
    if !(args.selection.quiet && format == Format::Text && renderer.count() == 0) {
        renderer.finish(&stats)?;
    }
    out.flush()?;
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Records every finding in the baseline file at `path`; returns how many.
fn write_baseline(
    scan: Scan<'_>,
    progress: &(dyn Fn(usize, usize) + Sync),
    path: &Path,
) -> anyhow::Result<usize> {
    let context = || format!("cannot write the baseline {}", path.display());
    let file = std::fs::File::create(path).with_context(context)?;
    let mut writer = BaselineWriter::new(BufWriter::new(file)).with_context(context)?;
    scan.lint(progress, |diagnostics| {
        diagnostics
            .iter()
            .try_for_each(|d| writer.add(d))
            .with_context(context)
    })?;
    let (mut file, written) = writer.finish().with_context(context)?;
    file.flush().with_context(context)?;
    Ok(written)
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

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use crate::{Cli, Outcome};

    /// Runs `cloudwright ARGS` in-process and returns its JSON output.
    fn scan_json(dir: &std::path::Path, args: &[&str]) -> (Outcome, serde_json::Value) {
        let out = dir.join("out.json");
        let out_arg = out.to_str().expect("UTF-8 path");
        let repo = dir.join("repo");
        let repo_arg = repo.to_str().expect("UTF-8 path");
        let mut argv = vec!["cloudwright", "scan", "--no-config", "--no-progress"];
        argv.extend(["--format", "json", "--output", out_arg, repo_arg]);
        argv.extend(args);
        let outcome = crate::run(Cli::parse_from(argv)).expect("the scan runs");
        let text = std::fs::read_to_string(&out).expect("output written");
        (outcome, serde_json::from_str(&text).expect("JSON output"))
    }

    #[test]
    fn findings_of_many_files_are_sorted_and_counted() {
        const FILES: usize = 300;
        let tmp = tempfile::tempdir().expect("tempdir");
        for i in 0..FILES {
            let dir = tmp.path().join(format!("repo/svc{}", (i * 37) % FILES));
            std::fs::create_dir_all(&dir).expect("mkdir");
            let text = format!(
                "FROM python:latest\n{}USER root\nRUN apt-get install curl\n",
                "RUN echo hi\n".repeat(i % 4)
            );
            std::fs::write(dir.join("Dockerfile"), text).expect("write");
        }
        let (outcome, report) = scan_json(tmp.path(), &[]);
        assert_eq!(outcome, Outcome::Findings);
        let findings = report["findings"].as_array().expect("findings");
        let keys: Vec<(&str, u64, u64)> = findings
            .iter()
            .map(|f| {
                let at = |k: &str| f["start"][k].as_u64().expect("a position");
                (
                    f["path"].as_str().expect("a path"),
                    at("line"),
                    at("column"),
                )
            })
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] <= w[1]),
            "sorted by path, then position"
        );
        let mut paths: Vec<&str> = keys.iter().map(|k| k.0).collect();
        paths.dedup();
        assert_eq!(paths.len(), FILES, "every file has findings");
        let summary = &report["summary"];
        assert_eq!(summary["files"], FILES);
        assert_eq!(summary["findings"], findings.len());
        let by_severity = ["errors", "warnings", "info"]
            .iter()
            .map(|k| summary[k].as_u64().expect("a count"))
            .sum::<u64>();
        assert_eq!(by_severity, findings.len() as u64);

        // `--min-severity` hides findings from the output and the summary; `--fail-on` still sees them.
        let (outcome, errors_only) = scan_json(
            tmp.path(),
            &["--min-severity", "error", "--fail-on", "info"],
        );
        assert_eq!(outcome, Outcome::Findings);
        let shown = errors_only["findings"].as_array().expect("findings");
        assert!(shown.iter().all(|f| f["severity"] == "error"));
        assert_eq!(errors_only["summary"]["findings"], shown.len());
        assert_eq!(errors_only["summary"]["warnings"], 0);
    }
}
