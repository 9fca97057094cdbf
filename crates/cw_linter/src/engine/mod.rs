use std::collections::HashMap;

use cw_diagnostics::{
    Diagnostic, Fingerprinter, Label, LineIndex, RuleMeta, Severity, Snippet, TextRange,
};
use cw_model::compose::ComposeFile;
use cw_model::dockerfile::Dockerfile;
use cw_model::github_actions::ActionsFile;
use cw_model::gitlab_ci::GitlabCiFile;
use cw_model::kubernetes::take_objects;
use cw_syntax::yaml::{Node, Value, YamlFile, parse_json, parse_yaml};

use crate::ctx::{Finding, RuleCtx};
use crate::input::{
    ComposeInput, DockerfileInput, GithubActionsInput, GitlabCiInput, InputKind,
    TerraformStateInput,
};
use crate::registry::RULES;
use crate::rule::RuleMetadata;
use crate::rules::secrets::TextInput;
use crate::rules::tool::{InvalidSuppression, ParseError};
use crate::settings::Settings;
use crate::suppression::{self, Scope};

mod compose;
mod gitlab;
mod kubernetes;
mod terraform;

pub use gitlab::{PipelineFile, lint_pipeline, parse_pipeline_file};
pub use kubernetes::{
    ObjectsResult, finish_file, lint_cluster, lint_manifest, lint_objects, problem_finding,
};
pub(crate) use terraform::hcl_constructs;
pub use terraform::{TerraformFacts, TerraformResult, lint_terraform};

/// The formats the engine can lint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    Dockerfile,
    Compose,
    /// Kubernetes manifests (YAML or JSON; the path's extension decides).
    Kubernetes,
    /// A GitHub Actions workflow.
    GithubWorkflow,
    /// A GitHub Action's metadata (`action.yml`).
    GithubAction,
    GitlabCi,
    /// A Terraform file (`.tf`, `.tf.json`; a scan evaluates each module directory as a whole).
    Terraform,
    /// A Terraform state file (`*.tfstate`, `*.tfstate.backup`).
    TerraformState,
    /// A Terraform plan in JSON (`terraform show -json plan.out`), found by its content.
    TerraformPlan,
    /// Any other text file (checked for secrets only).
    Text,
}

impl FileKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            FileKind::Dockerfile => "dockerfile",
            FileKind::Compose => "compose",
            FileKind::Kubernetes => "kubernetes",
            FileKind::GithubWorkflow | FileKind::GithubAction => "github-actions",
            FileKind::GitlabCi => "gitlab-ci",
            FileKind::Terraform => "terraform",
            FileKind::TerraformState => "terraform-state",
            FileKind::TerraformPlan => "terraform-plan",
            FileKind::Text => "text",
        }
    }
}

/// What the walk knows about a file's surroundings (the engine itself never looks).
#[derive(Clone, Debug, Default)]
pub struct FileFacts {
    /// For Dockerfiles: whether a `.dockerignore` applies (`None`: unknown, e.g. text from stdin).
    pub dockerignore: Option<bool>,
    /// The other files of the scan, for checks that join formats (a Compose service and the
    /// Dockerfile it builds). `None`: none are known.
    pub files: Option<ScanFiles>,
    /// For Terraform: whether `.terraform.lock.hcl` sits beside the module (`None`: unknown).
    pub terraform_lockfile: Option<bool>,
}

/// Reads the files of a scan by path (relative to the scan root, `/`-separated, normalized):
/// `None` for a file the scan does not include.
#[derive(Clone)]
pub struct ScanFiles(std::sync::Arc<ReadFile>);

type ReadFile = dyn Fn(&str) -> Option<String> + Send + Sync;

impl ScanFiles {
    pub fn new(read: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self(std::sync::Arc::new(read))
    }

    pub fn read(&self, path: &str) -> Option<String> {
        (self.0)(path)
    }
}

impl std::fmt::Debug for ScanFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScanFiles")
    }
}

#[derive(Debug, Default)]
pub struct FileResult {
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings hidden by inline suppressions or `[[per-path]]` entries.
    pub suppressed: usize,
}

/// Lints one file. `path` is relative to the scan root, `/`-separated. Kubernetes objects are
/// checked against the other objects of the same file only; a scan checks them against every
/// object of the scan (see [`lint_objects`] and [`lint_cluster`]).
pub fn lint_file(
    path: &str,
    text: &str,
    kind: FileKind,
    facts: &FileFacts,
    settings: &Settings,
) -> FileResult {
    let mut findings = Vec::new();
    let mut suppressed = 0;
    let constructs: Vec<TextRange> = match kind {
        _ if !settings.checks_format(kind) => Vec::new(),
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
            yaml_errors(&compose.yaml, text, &mut findings);
            let mut constructs: Vec<TextRange> = compose
                .top_level()
                .iter()
                .map(cw_syntax::yaml::Entry::range)
                .chain(compose.services().map(|s| s.entry.range()))
                .collect();
            constructs.sort_by_key(|r| (r.start, r.end));
            let dockerfiles = facts
                .files
                .as_ref()
                .map(|files| compose::build_dockerfiles(path, &compose, files))
                .unwrap_or_default();
            let input = ComposeInput {
                compose,
                dockerfiles,
            };
            run_rules(InputKind::Compose, &input, text, settings, &mut findings);
            constructs
        }
        FileKind::Kubernetes => {
            let mut yaml = parse_yaml_or_json(path, text);
            yaml_errors(&yaml, text, &mut findings);
            let constructs = yaml_constructs(&yaml, text);
            let objects = take_objects(&mut yaml);
            drop(yaml);
            let sources = |_: u32| Some((text, 0));
            let mut result = lint_objects(objects, &sources, settings);
            let cluster = lint_cluster(std::mem::take(&mut result.facts), settings);
            findings.append(&mut result.findings);
            findings.extend(cluster.findings);
            suppressed += result.suppressed + cluster.suppressed;
            constructs
        }
        FileKind::GithubWorkflow | FileKind::GithubAction => {
            let file = ActionsFile::from_source(text, kind == FileKind::GithubAction);
            yaml_errors(&file.yaml, text, &mut findings);
            let constructs = yaml_constructs(&file.yaml, text);
            let input = GithubActionsInput { file };
            run_rules(
                InputKind::GithubActions,
                &input,
                text,
                settings,
                &mut findings,
            );
            constructs
        }
        FileKind::GitlabCi => {
            let pipeline = GitlabCiFile::from_source(text);
            yaml_errors(&pipeline.yaml, text, &mut findings);
            let constructs = yaml_constructs(&pipeline.yaml, text);
            let input = GitlabCiInput { pipeline };
            run_rules(InputKind::GitlabCi, &input, text, settings, &mut findings);
            constructs
        }
        FileKind::Terraform => return terraform::lint_file(path, text, facts, settings),
        FileKind::TerraformPlan => return terraform::lint_plan(path, text, settings),
        FileKind::TerraformState => {
            let input = TerraformStateInput {
                text_len: text.len(),
            };
            run_rules(
                InputKind::TerraformState,
                &input,
                text,
                settings,
                &mut findings,
            );
            Vec::new()
        }
        FileKind::Text => Vec::new(),
    };
    run_text_rules(path, text, kind, settings, &mut findings);
    let mut result = finish(path, text, &constructs, findings, settings);
    result.suppressed += suppressed;
    result
}

/// The rules that read every file's text (secrets).
/// Rules that report a literal secret in a format's own terms (a Dockerfile `ENV`, a Compose
/// `environment:` entry, a GitLab variable, a container's `env`, a ConfigMap): the generic
/// assignment detector stays quiet on the lines they report.
const FORMAT_SECRET_RULES: [&str; 6] = ["DKR006", "CMP005", "CMP006", "GLC003", "K8S022", "K8S023"];

/// The generic secret-assignment detector, which the format rules above supersede.
const GENERIC_SECRET_RULE: &str = "SEC014";

fn run_text_rules(
    path: &str,
    text: &str,
    kind: FileKind,
    settings: &Settings,
    findings: &mut Vec<Finding>,
) {
    if settings.enabled_rules(InputKind::Text).next().is_none() {
        return;
    }
    let input = TextInput::for_file(path, text, kind);
    let before = findings.len();
    run_rules(InputKind::Text, &input, text, settings, findings);
    // A format rule may point at the name and the generic detector at the value: compare lines.
    let lines = |r: TextRange| {
        let start = text
            .get(..r.start as usize)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let end = text
            .get(r.end as usize..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| r.end as usize + i);
        TextRange::from_usize(start, end)
    };
    let reported: Vec<TextRange> = findings[..before]
        .iter()
        .filter(|f| FORMAT_SECRET_RULES.contains(&f.rule.code))
        .map(|f| lines(f.range))
        .collect();
    if reported.is_empty() {
        return;
    }
    let overlaps = |r: TextRange| reported.iter().any(|o| o.start < r.end && r.start < o.end);
    let mut i = before;
    while i < findings.len() {
        if findings[i].rule.code == GENERIC_SECRET_RULE && overlaps(findings[i].range) {
            findings.remove(i);
        } else {
            i += 1;
        }
    }
}

/// Parses YAML, or JSON when the path says so.
pub(crate) fn parse_yaml_or_json(path: &str, text: &str) -> YamlFile {
    if path.to_ascii_lowercase().ends_with(".json") {
        parse_json(text)
    } else {
        parse_yaml(text)
    }
}

/// CW001 for syntax errors and duplicate keys.
pub(crate) fn yaml_errors(yaml: &YamlFile, text: &str, findings: &mut Vec<Finding>) {
    for e in &yaml.errors {
        findings.push(tool_finding(ParseError::META, e.range, e.message.clone()));
    }
    if yaml.duplicate_keys.is_empty() {
        return;
    }
    let index = LineIndex::new(text);
    for d in &yaml.duplicate_keys {
        let line = index.line_col(text, d.first.start).line;
        findings.push(tool_finding(
            ParseError::META,
            d.duplicate,
            format!("duplicate key `{}` (first defined on line {line})", d.key),
        ));
    }
}

/// What a suppression comment on its own line covers in a YAML file: the entry or sequence item that
/// starts on the next line (the outermost one when several start there). Computed only when the text
/// holds a suppression comment.
pub(crate) fn yaml_constructs(yaml: &YamlFile, text: &str) -> Vec<TextRange> {
    if !suppression::has_markers(text) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut stack: Vec<&Node> = yaml.documents.iter().map(|d| &d.root).collect();
    while let Some(node) = stack.pop() {
        if node.alias.is_some() {
            continue;
        }
        match &node.value {
            Value::Scalar(_) => {}
            Value::Seq(items) => {
                for item in items {
                    out.push(item.site_range());
                    stack.push(item);
                }
            }
            Value::Map(entries) => {
                for e in entries {
                    out.push(e.range());
                    stack.push(&e.value);
                }
            }
        }
    }
    out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    out
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

pub(crate) fn tool_finding(meta: &'static RuleMeta, range: TextRange, message: String) -> Finding {
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
        redact: Vec::new(),
        calls: Vec::new(),
    }
}

/// The registry index of a rule, by code (`const` metadata has no stable address to compare).
pub(crate) fn rule_index(meta: &'static RuleMeta) -> usize {
    RULES
        .iter()
        .position(|r| r.meta.code == meta.code)
        .expect("invariant: every reported rule is registered")
}

/// Applies suppressions, reports invalid ones, and turns findings into diagnostics.
pub(crate) fn finish(
    path: &str,
    text: &str,
    constructs: &[TextRange],
    findings: Vec<Finding>,
    settings: &Settings,
) -> FileResult {
    let mut directives = suppression::parse(text, constructs, &settings.today);
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
    if kept.is_empty() {
        return FileResult {
            diagnostics: Vec::new(),
            suppressed,
        };
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
    let snippet = settings.capture_snippets.then(|| {
        let mut s = snippet(text, index, range, &f.labels);
        redact(&mut s, &f.redact);
        s
    });
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
    let message = match f.calls.as_slice() {
        [] => f.message,
        [one] => format!("{} (in {one})", f.message),
        [one, rest @ ..] => format!(
            "{} (in {one}, and through {} other call{})",
            f.message,
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    };
    Diagnostic {
        rule: f.rule,
        severity: settings.severity(f.index),
        message,
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

/// Masks the redacted ranges inside a snippet: the first 4 characters stay, every other character
/// becomes `*` (one `*` per byte, so columns and carets stay aligned).
fn redact(snippet: &mut Snippet, ranges: &[TextRange]) {
    if ranges.is_empty() {
        return;
    }
    let mut bytes = std::mem::take(&mut snippet.text).into_bytes();
    let start_of = |offset: u32| (offset.saturating_sub(snippet.offset)) as usize;
    for r in ranges {
        let (from, to) = (start_of(r.start), start_of(r.end).min(bytes.len()));
        let mut kept = 0;
        let mut i = from;
        while i < to {
            let len = utf8_len(bytes[i]);
            if kept < 4 {
                kept += 1;
                i += len;
                continue;
            }
            for b in &mut bytes[i..(i + len).min(to)] {
                *b = b'*';
            }
            i += len;
        }
    }
    snippet.text = String::from_utf8(bytes).unwrap_or_default();
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
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
