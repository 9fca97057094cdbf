use std::collections::HashMap;

use cw_diagnostics::{
    Diagnostic, Fingerprinter, Label, LineIndex, RuleMeta, Severity, Snippet, TextRange,
};
use cw_model::compose::ComposeFile;
use cw_model::dockerfile::Dockerfile;

use crate::ctx::{Finding, RuleCtx};
use crate::input::{ComposeInput, DockerfileInput, InputKind};
use crate::registry::RULES;
use crate::rule::RuleMetadata;
use crate::rules::tool::{InvalidSuppression, ParseError};
use crate::settings::Settings;
use crate::suppression::{self, Scope};

/// The formats the engine can lint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    Dockerfile,
    Compose,
}

impl FileKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            FileKind::Dockerfile => "dockerfile",
            FileKind::Compose => "compose",
        }
    }
}

/// What the walk knows about a file's surroundings (the engine itself never looks).
#[derive(Clone, Debug, Default)]
pub struct FileFacts {
    /// For Dockerfiles: whether a `.dockerignore` applies (`None`: unknown, e.g. text from stdin).
    pub dockerignore: Option<bool>,
}

#[derive(Debug, Default)]
pub struct FileResult {
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings hidden by inline suppressions or `[[per-path]]` entries.
    pub suppressed: usize,
}

/// Lints one file. `path` is relative to the scan root, `/`-separated.
pub fn lint_file(
    path: &str,
    text: &str,
    kind: FileKind,
    facts: &FileFacts,
    settings: &Settings,
) -> FileResult {
    let mut findings = Vec::new();
    let constructs: Vec<TextRange> = match kind {
        FileKind::Dockerfile => {
            let dockerfile = Dockerfile::from_source(text);
            for e in &dockerfile.ast.errors {
                findings.push(tool_finding(ParseError::META, e.range, e.message.clone()));
            }
            let constructs = dockerfile
                .ast
                .instructions
                .iter()
                .map(|i| i.range)
                .collect();
            let input = DockerfileInput {
                dockerfile,
                dockerignore: facts.dockerignore,
            };
            run_rules(InputKind::Dockerfile, &input, text, settings, &mut findings);
            constructs
        }
        FileKind::Compose => {
            let compose = ComposeFile::from_source(text);
            let index = LineIndex::new(text);
            for e in &compose.yaml.errors {
                findings.push(tool_finding(ParseError::META, e.range, e.message.clone()));
            }
            for d in &compose.yaml.duplicate_keys {
                let line = index.line_col(text, d.first.start).line;
                findings.push(tool_finding(
                    ParseError::META,
                    d.duplicate,
                    format!("duplicate key `{}` (first defined on line {line})", d.key),
                ));
            }
            let mut constructs: Vec<TextRange> = compose
                .top_level()
                .iter()
                .map(cw_syntax::yaml::Entry::range)
                .chain(compose.services().map(|s| s.entry.range()))
                .collect();
            constructs.sort_by_key(|r| (r.start, r.end));
            let input = ComposeInput { compose };
            run_rules(InputKind::Compose, &input, text, settings, &mut findings);
            constructs
        }
    };
    finish(path, text, &constructs, findings, settings)
}

fn run_rules(
    kind: InputKind,
    input: &dyn std::any::Any,
    text: &str,
    settings: &Settings,
    findings: &mut Vec<Finding>,
) {
    for (index, entry) in settings.enabled_rules(kind) {
        let mut ctx = RuleCtx::new(entry.meta, index, text, settings.options(index), findings);
        (entry.run)(input, &mut ctx);
    }
}

fn tool_finding(meta: &'static RuleMeta, range: TextRange, message: String) -> Finding {
    Finding {
        rule: meta,
        index: rule_index(meta),
        range,
        message,
        labels: Vec::new(),
        help: None,
        fix: None,
        resource: None,
        key: None,
    }
}

/// The registry index of a rule, by code (`const` metadata has no stable address to compare).
fn rule_index(meta: &'static RuleMeta) -> usize {
    RULES
        .iter()
        .position(|r| r.meta.code == meta.code)
        .expect("invariant: every reported rule is registered")
}

/// Applies suppressions, reports invalid ones, and turns findings into diagnostics.
fn finish(
    path: &str,
    text: &str,
    constructs: &[TextRange],
    findings: Vec<Finding>,
    settings: &Settings,
) -> FileResult {
    let mut directives = suppression::parse(text, constructs);
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = 0;
    for f in findings {
        let index = f.index;
        if !settings.is_enabled(index) {
            continue;
        }
        if settings.per_path_ignores(path, index) {
            suppressed += 1;
            continue;
        }
        let mut hit = false;
        for d in &mut directives {
            let in_scope = match d.scope {
                Scope::File => true,
                Scope::Range(r) => r.contains(f.range.start) || r.start == f.range.start,
            };
            if !in_scope {
                continue;
            }
            for c in &mut d.codes {
                if c.rules.contains(&index) {
                    c.used = true;
                    hit = true;
                }
            }
        }
        if hit {
            suppressed += 1;
        } else {
            kept.push(f);
        }
    }
    let cw002 = rule_index(InvalidSuppression::META);
    if settings.is_enabled(cw002) {
        for d in directives.iter().filter(|d| d.own) {
            for c in &d.codes {
                let message = if c.rules.is_empty() {
                    format!("unknown rule `{}` in suppression", c.text)
                } else if !c.used && c.rules.iter().any(|&i| settings.is_enabled(i)) {
                    format!("unused suppression: no `{}` finding here", c.text)
                } else {
                    continue;
                };
                let mut f = tool_finding(InvalidSuppression::META, c.range, message);
                f.help = Some(if c.rules.is_empty() {
                    "name a rule code or name; `cloudwright rules` lists them".to_string()
                } else {
                    "remove the code from the suppression".to_string()
                });
                kept.push(f);
            }
        }
    }
    let index = LineIndex::new(text);
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut diagnostics: Vec<Diagnostic> = kept
        .into_iter()
        .map(|f| to_diagnostic(path, text, &index, f, settings, &mut seen))
        .collect();
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    FileResult {
        diagnostics,
        suppressed,
    }
}

fn to_diagnostic(
    path: &str,
    text: &str,
    index: &LineIndex,
    f: Finding,
    settings: &Settings,
    seen: &mut HashMap<String, u32>,
) -> Diagnostic {
    let range = clamp(f.range, text);
    let start = index.line_col(text, range.start);
    let end = index.line_col(text, range.end);
    let snippet = settings
        .capture_snippets
        .then(|| snippet(text, index, range, &f.labels));
    let first_line = index.line_range(text, start.line - 1).slice(text);
    let base = Fingerprinter::new()
        .part(f.rule.code)
        .part(path)
        .normalized(first_line)
        .normalized(range.slice(text))
        .part(f.key.as_deref().unwrap_or(""))
        .finish();
    let n = seen.entry(base.clone()).or_insert(0);
    *n += 1;
    let fingerprint = if *n == 1 {
        base
    } else {
        Fingerprinter::new()
            .part(&base)
            .part(&n.to_string())
            .finish()
    };
    let labels = f
        .labels
        .into_iter()
        .map(|(r, message)| {
            let r = clamp(r, text);
            Label {
                range: r,
                start: index.line_col(text, r.start),
                end: index.line_col(text, r.end),
                message,
            }
        })
        .collect();
    Diagnostic {
        rule: f.rule,
        severity: settings.severity(f.index),
        message: f.message,
        path: path.to_string(),
        range,
        start,
        end,
        labels,
        help: f.help,
        fix: f.fix,
        resource: f.resource,
        fingerprint,
        snippet,
    }
}

fn clamp(r: TextRange, text: &str) -> TextRange {
    let len = text.len() as u32;
    TextRange::new(r.start.min(len), r.end.min(len).max(r.start.min(len)))
}

/// The lines a finding and its labels touch (at most 12, plus the line after a one-line finding).
const MAX_SNIPPET_LINES: u32 = 12;

fn snippet(
    text: &str,
    index: &LineIndex,
    range: TextRange,
    labels: &[(TextRange, String)],
) -> Snippet {
    let first = index.line_of(range.start);
    let mut last = index.line_of(range.end.saturating_sub(1).max(range.start));
    for (r, _) in labels {
        let l = index.line_of(r.start);
        if l >= first && l < first + MAX_SNIPPET_LINES {
            last = last.max(index.line_of(r.end.saturating_sub(1).max(r.start)));
        }
    }
    last = last
        .min(first + MAX_SNIPPET_LINES - 1)
        .min(index.line_count() - 1);
    let start = index.line_start(first);
    let end = index.line_range(text, last).end;
    Snippet {
        first_line: first + 1,
        offset: start,
        text: TextRange::new(start, end).slice(text).to_string(),
    }
}

/// A tool diagnostic about a whole file that has no text to show (unreadable, too large, not UTF-8).
fn tool_diagnostic(
    meta: &'static RuleMeta,
    severity: Severity,
    path: &str,
    message: String,
) -> Diagnostic {
    let start = cw_diagnostics::LineCol { line: 1, column: 1 };
    Diagnostic {
        rule: meta,
        severity,
        fingerprint: Fingerprinter::new()
            .part(meta.code)
            .part(path)
            .part(&message)
            .finish(),
        message,
        path: path.to_string(),
        range: TextRange::empty(0),
        start,
        end: start,
        labels: Vec::new(),
        help: None,
        fix: None,
        resource: None,
        snippet: None,
    }
}

/// A `CW003 skipped-file` diagnostic, unless CW003 is disabled or ignored for `path`.
pub fn skipped_file(path: &str, message: String, settings: &Settings) -> Option<Diagnostic> {
    let index = rule_index(crate::rules::tool::SkippedFile::META);
    if !settings.is_enabled(index) || settings.per_path_ignores(path, index) {
        return None;
    }
    Some(tool_diagnostic(
        crate::rules::tool::SkippedFile::META,
        settings.severity(index),
        path,
        message,
    ))
}
