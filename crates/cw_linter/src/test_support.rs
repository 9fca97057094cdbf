//! The rule-fixture harness: lint a fixture with one rule, render the findings as code frames,
//! apply the fixes until they converge, and check the invariants every fix must keep.

use std::fmt::Write as _;

use cw_diagnostics::{Diagnostic, FixAvailability, LineIndex};

use crate::{FileFacts, FileKind, Settings, apply_fixes, lint_file};

/// The rule code a fixture tests: `DKR001` for `DKR001.Dockerfile` or `DKR001_multistage.Dockerfile`.
pub fn code_from_fixture(file_name: &str) -> &str {
    let stem = file_name.split('.').next().unwrap_or(file_name);
    stem.split('_').next().unwrap_or(stem)
}

/// The format of a fixture, from the end of its name: `.compose.yaml` (Compose), `.k8s.yaml` /
/// `.k8s.json` (Kubernetes), `.workflow.yml` (a GitHub workflow), `.action.yml` (an action's
/// metadata), `.gitlab-ci.yml` (GitLab CI), `.Dockerfile`, `.tf` / `.tf.json` (a Terraform module
/// of one file), `.tfplan.json` (a Terraform plan in JSON); anything else is plain text (secrets).
pub fn kind_from_fixture(file_name: &str) -> Option<FileKind> {
    const SUFFIXES: [(&str, FileKind); 13] = [
        (".tfstate", FileKind::TerraformState),
        (".tfstate.backup", FileKind::TerraformState),
        (".tfplan.json", FileKind::TerraformPlan),
        (".tf", FileKind::Terraform),
        (".tf.json", FileKind::Terraform),
        (".compose.yaml", FileKind::Compose),
        (".k8s.yaml", FileKind::Kubernetes),
        (".k8s.json", FileKind::Kubernetes),
        (".workflow.yml", FileKind::GithubWorkflow),
        (".action.yml", FileKind::GithubAction),
        (".gitlab-ci.yml", FileKind::GitlabCi),
        (".Dockerfile", FileKind::Dockerfile),
        (".Containerfile", FileKind::Dockerfile),
    ];
    SUFFIXES
        .iter()
        .find(|(suffix, _)| file_name.ends_with(suffix))
        .map(|(_, kind)| *kind)
        .or(Some(FileKind::Text))
}

/// Facts a fixture declares in comment lines: `# fixture: dockerignore=present|absent`.
pub fn facts_from_fixture(text: &str) -> FileFacts {
    let mut facts = FileFacts::default();
    for line in text.lines() {
        if let Some(rest) = line.trim().strip_prefix("# fixture:") {
            for kv in rest.split_whitespace() {
                match kv {
                    "dockerignore=present" => facts.dockerignore = Some(true),
                    "dockerignore=absent" => facts.dockerignore = Some(false),
                    "lockfile=present" => facts.terraform_lockfile = Some(true),
                    "lockfile=absent" => facts.terraform_lockfile = Some(false),
                    _ => {}
                }
            }
        }
    }
    facts
}

/// Settings for a fixture: only its rule, with the options its `# fixture-options: key = value` lines give
/// (joined into the rule's `[rules.<code>]` table).
pub fn settings_for_fixture(code: &str, text: &str) -> Settings {
    let mut table = String::new();
    for line in text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("# fixture-options:"))
    {
        table.push_str(line.trim());
        table.push('\n');
    }
    let options = if table.is_empty() {
        Vec::new()
    } else {
        let value: toml::Value = toml::from_str(&table).expect("fixture options are TOML");
        vec![(code.to_string(), value)]
    };
    crate::SettingsBuilder {
        select: Some(vec![code.parse().expect("fixture names a rule")]),
        options,
        ..crate::SettingsBuilder::default()
    }
    .build()
    .expect("fixture options are valid")
}

/// Lints `text` with only `code` enabled, renders the findings and the fixed text, and panics when a
/// fix breaks an invariant: it must converge, must not introduce a parse error, must make the finding
/// go away, and the rule's declared fix availability must match what it does.
pub fn lint_and_fix(file_name: &str, text: &str) -> String {
    let code = code_from_fixture(file_name);
    let kind = kind_from_fixture(file_name).expect("fixture has a known extension");
    let facts = facts_from_fixture(text);
    let settings = settings_for_fixture(code, text);
    let result = lint_file(file_name, text, kind, &facts, &settings);
    let diags = &result.diagnostics;
    let mut out = String::new();
    for d in diags {
        assert_eq!(d.rule.code, code, "only the rule under test may report");
        render(&mut out, text, d);
        if let Some(fix) = &d.fix {
            assert!(!fix.title.is_empty(), "{code}: a fix needs a title");
            assert_ne!(
                d.rule.fix,
                FixAvailability::None,
                "{code}: declares no fix but offers one"
            );
        }
    }
    if diags.is_empty() {
        out.push_str("(no findings)\n");
    }
    if result.suppressed > 0 {
        let _ = writeln!(out, "({} suppressed)", result.suppressed);
    }
    let fixable = diags.iter().filter(|d| d.fix.is_some()).count();
    if diags.iter().any(|d| d.fix.is_some()) {
        let fixed = fix_until_converged(file_name, text, kind, &facts, &settings);
        let parse_errors = |t: &str| {
            lint_file(file_name, t, kind, &facts, &Settings::only("CW001"))
                .diagnostics
                .len()
        };
        assert!(
            parse_errors(&fixed) <= parse_errors(text),
            "{code}: fixing introduced a parse error:\n{fixed}"
        );
        let after = lint_file(file_name, &fixed, kind, &facts, &settings);
        let remaining = after.diagnostics.iter().filter(|d| d.fix.is_some()).count();
        assert_eq!(
            remaining, 0,
            "{code}: fixed findings still reported:\n{fixed}"
        );
        let _ = writeln!(out, "\n--- fixed ({fixable} fixable) ---");
        out.push_str(&line_diff(text, &fixed));
    }
    out
}

fn fix_until_converged(
    file_name: &str,
    text: &str,
    kind: FileKind,
    facts: &FileFacts,
    settings: &Settings,
) -> String {
    let mut current = text.to_string();
    for _ in 0..10 {
        let diags = lint_file(file_name, &current, kind, facts, settings).diagnostics;
        match apply_fixes(&current, &diags, true) {
            Some(fixed) => current = fixed.text,
            None => return current,
        }
    }
    panic!("fixes did not converge in 10 passes:\n{current}");
}

/// `CODE name (severity) line:col-line:col: message`, the source lines with carets, help and fix.
fn render(out: &mut String, text: &str, d: &Diagnostic) {
    let _ = writeln!(
        out,
        "{} {} ({}) {}:{}-{}:{}: {}",
        d.rule.code,
        d.rule.name,
        d.severity,
        d.start.line,
        d.start.column,
        d.end.line,
        d.end.column,
        d.message
    );
    let index = LineIndex::new(text);
    let last = d.end.line.max(d.start.line).min(d.start.line + 5);
    for line in d.start.line..=last {
        let r = index.line_range(text, line - 1);
        let src = r.slice(text);
        let _ = writeln!(out, "{line:>4} | {src}");
        let from = if line == d.start.line {
            d.start.column as usize - 1
        } else {
            0
        };
        let to = if line == d.end.line {
            d.end.column as usize - 1
        } else {
            src.chars().count()
        };
        if to > from {
            let _ = writeln!(out, "     | {}{}", " ".repeat(from), "^".repeat(to - from));
        }
    }
    for l in &d.labels {
        let _ = writeln!(
            out,
            "     = label {}:{}: {}",
            l.start.line, l.start.column, l.message
        );
    }
    if let Some(h) = &d.help {
        let _ = writeln!(out, "     = help: {h}");
    }
    if let Some(f) = &d.fix {
        let _ = writeln!(out, "     = fix ({:?}): {}", f.applicability, f.title);
    }
    out.push('\n');
}

/// A minimal line diff (`-`/`+` lines with their line numbers), enough for small fixtures.
fn line_diff(before: &str, after: &str) -> String {
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let (old_len, new_len) = (old.len(), new.len());
    let mut lcs = vec![vec![0u32; new_len + 1]; old_len + 1];
    for i in (0..old_len).rev() {
        for j in (0..new_len).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < old_len || j < new_len {
        if i < old_len && j < new_len && old[i] == new[j] {
            i += 1;
            j += 1;
        } else if j < new_len && (i == old_len || lcs[i][j + 1] >= lcs[i + 1][j]) {
            let _ = writeln!(out, "+{:>4} | {}", j + 1, new[j]);
            j += 1;
        } else {
            let _ = writeln!(out, "-{:>4} | {}", i + 1, old[i]);
            i += 1;
        }
    }
    out
}
