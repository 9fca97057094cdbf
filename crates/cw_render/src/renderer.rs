//! The streaming side of rendering: [`Renderer`] drives one format's [`FormatWriter`] and counts
//! what it rendered.

use std::io;

use cw_diagnostics::{Category, Diagnostic, ScanStats, Severity};

use crate::{Format, RenderOptions, RunInfo, github, json, junit, markdown, sarif, text};

/// Renders a report while its findings arrive, holding none of them: [`Renderer::begin`] writes what
/// precedes the findings, [`Renderer::findings`] takes them in report order (sorted by path, position,
/// code), a file at a time or all at once, and [`Renderer::finish`] writes the summary.
///
/// Formats that print totals before the findings keep what they need: JUnit spools its test suites
/// (to a temporary file past a few megabytes), Markdown keeps the rows of its top findings.
pub struct Renderer<'w> {
    out: &'w mut dyn io::Write,
    tally: Tally,
    format: Box<dyn FormatWriter>,
}

impl<'w> Renderer<'w> {
    pub fn begin(
        format: Format,
        run: &RunInfo<'_>,
        opts: RenderOptions,
        out: &'w mut dyn io::Write,
    ) -> io::Result<Self> {
        let format: Box<dyn FormatWriter> = match format {
            Format::Text => Box::new(text::Text::new(opts)),
            Format::Json => Box::new(json::Json::begin(run, out)?),
            Format::Sarif => Box::new(sarif::Sarif::begin(run, out)?),
            Format::Junit => Box::new(junit::Junit::default()),
            Format::Github => Box::new(github::Github),
            Format::Markdown => Box::new(markdown::Markdown::default()),
        };
        Ok(Self {
            out,
            tally: Tally::default(),
            format,
        })
    }

    /// Renders the next findings.
    pub fn findings(&mut self, diagnostics: &[Diagnostic]) -> io::Result<()> {
        for d in diagnostics {
            self.tally.add(d);
            self.format.finding(d, self.out)?;
        }
        Ok(())
    }

    /// Findings rendered so far.
    pub fn count(&self) -> usize {
        self.tally.total()
    }

    /// Writes the summary.
    pub fn finish(mut self, stats: &ScanStats) -> io::Result<()> {
        self.format.finish(&self.tally, stats, self.out)
    }
}

/// One format's side of a [`Renderer`]: its state between findings.
pub(crate) trait FormatWriter {
    fn finding(&mut self, d: &Diagnostic, out: &mut dyn io::Write) -> io::Result<()>;

    fn finish(
        &mut self,
        tally: &Tally,
        stats: &ScanStats,
        out: &mut dyn io::Write,
    ) -> io::Result<()>;
}

/// The findings rendered so far, counted per severity and per category.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Indexed by [`severity_index`].
    pub(crate) severities: [usize; 3],
    /// In order of first appearance.
    categories: Vec<(Category, usize)>,
}

impl Tally {
    fn add(&mut self, d: &Diagnostic) {
        self.severities[severity_index(d.severity)] += 1;
        let category = d.category();
        match self.categories.iter_mut().find(|(c, _)| *c == category) {
            Some((_, n)) => *n += 1,
            None => self.categories.push((category, 1)),
        }
    }

    pub(crate) fn total(&self) -> usize {
        self.severities.iter().sum()
    }

    /// Number of findings per category, in `Category` order, leaving out empty ones.
    pub(crate) fn categories(&self) -> Vec<(Category, usize)> {
        let mut counts = self.categories.clone();
        counts.sort_by_key(|(c, _)| *c);
        counts
    }
}

/// The position of `severity` in [`Severity::ALL`] (errors first) and in `ScanReport::counts`.
pub(crate) fn severity_index(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}
