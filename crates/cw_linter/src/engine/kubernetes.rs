//! Kubernetes objects: per-object rules, cross-object rules, object annotation suppressions, and
//! the multi-file path a scan uses (objects from several files in one address space, findings
//! handed back to the file that set the value).

use cw_diagnostics::{PeerTool, RuleMeta, TextRange};
use cw_model::kubernetes::{KubeObject, ObjectFacts, is_suppression_annotation, take_objects};

use super::{
    FileKind, FileResult, finish, parse_yaml_or_json, run_text_rules, tool_finding,
    yaml_constructs, yaml_errors,
};
use crate::ctx::{Finding, RuleCtx};
use crate::input::{ClusterInput, InputKind, KubernetesInput};
use crate::registry::rule_by_code_or_name;
use crate::rule::RuleMetadata;
use crate::rules::tool::{InvalidSuppression, NotRendered, ParseError};
use crate::settings::Settings;
use crate::suppression::rules_for_peer;

/// What checking Kubernetes objects found. Ranges are in the scan's address space.
#[derive(Debug, Default)]
pub struct ObjectsResult {
    pub findings: Vec<Finding>,
    /// The facts of each object, for [`lint_cluster`].
    pub facts: Vec<ObjectFacts>,
    /// Findings hidden by object annotations.
    pub suppressed: usize,
}

/// Runs the per-object rules on `objects`. `source_at(offset)` gives the text of the file holding
/// `offset` and that file's base (objects of one file: the file's text and base; a Kustomize render:
/// whichever file wrote the object's root).
pub fn lint_objects<'s>(
    objects: Vec<KubeObject>,
    source_at: &dyn Fn(u32) -> Option<(&'s str, u32)>,
    settings: &Settings,
) -> ObjectsResult {
    let mut out = ObjectsResult {
        facts: objects.iter().map(|o| ObjectFacts::of(o.view())).collect(),
        ..ObjectsResult::default()
    };
    let rules: Vec<_> = settings.enabled_rules(InputKind::Kubernetes).collect();
    let mut input = KubernetesInput {
        objects,
        current: 0,
    };
    for i in 0..input.objects.len() {
        input.current = i;
        let (text, base) = source_at(input.objects[i].node.range.start).unwrap_or(("", 0));
        let before = out.findings.len();
        for &(index, entry) in &rules {
            let mut ctx = RuleCtx::new(
                entry.meta,
                index,
                text,
                settings.options(index),
                &mut out.findings,
            )
            .with_base(base);
            (entry.run)(&input, &mut ctx);
        }
        out.suppressed += apply_annotations(&out.facts[i], &mut out.findings, before);
        unknown_annotation_codes(&input.objects[i], settings, &mut out.findings);
    }
    out
}

/// CW002 for each code of a `cloudwright.dev/ignore` annotation that names no rule.
fn unknown_annotation_codes(object: &KubeObject, settings: &Settings, findings: &mut Vec<Finding>) {
    let Some(value) = object
        .node
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get("cloudwright.dev/ignore"))
    else {
        return;
    };
    let Some(text) = value.as_str() else {
        return;
    };
    if !settings.is_enabled(super::rule_index(InvalidSuppression::META)) {
        return;
    }
    for code in text
        .split([',', ' '])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        if annotation_code(code).is_some() {
            continue;
        }
        let mut f = super::tool_finding(
            InvalidSuppression::META,
            value.range,
            format!("unknown rule `{code}` in suppression"),
        );
        f.help = Some("name a rule code or name; `cloudwright rules` lists them".to_string());
        findings.push(f);
    }
}

/// Runs the cross-object rules on every object of `facts` (the objects of one scan), on as many
/// threads as the machine has (each object is checked independently against shared indexes).
pub fn lint_cluster(facts: Vec<ObjectFacts>, settings: &Settings) -> ObjectsResult {
    let rules: Vec<_> = settings
        .enabled_rules(InputKind::KubernetesCluster)
        .collect();
    if rules.is_empty() || facts.is_empty() {
        return ObjectsResult::default();
    }
    let input = ClusterInput::new(facts);
    let n = input.objects.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(n.div_ceil(256))
        .max(1);
    let chunk = n.div_ceil(threads);
    let parts: Vec<ObjectsResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let mut input = input.clone();
                let rules = &rules;
                scope.spawn(move || {
                    let mut out = ObjectsResult::default();
                    for i in t * chunk..((t + 1) * chunk).min(n) {
                        input.current = i;
                        let before = out.findings.len();
                        for &(index, entry) in rules {
                            let mut ctx = RuleCtx::new(
                                entry.meta,
                                index,
                                "",
                                settings.options(index),
                                &mut out.findings,
                            );
                            (entry.run)(&input, &mut ctx);
                        }
                        out.suppressed +=
                            apply_annotations(&input.objects[i], &mut out.findings, before);
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut out = ObjectsResult::default();
    for mut p in parts {
        out.findings.append(&mut p.findings);
        out.suppressed += p.suppressed;
    }
    out
}

/// Drops the findings from `from` on that the object's annotations suppress; returns how many.
fn apply_annotations(object: &ObjectFacts, findings: &mut Vec<Finding>, from: usize) -> usize {
    if object.suppressions.is_empty() || findings.len() == from {
        return 0;
    }
    let ignored = annotation_rules(&object.suppressions);
    let before = findings.len();
    let mut i = from;
    while i < findings.len() {
        if ignored.contains(&findings[i].index) {
            findings.remove(i);
        } else {
            i += 1;
        }
    }
    before - findings.len()
}

/// The registry index of a code or name in `cloudwright.dev/ignore`. A bare name shared by several
/// formats (`memory-limit-missing`) means the Kubernetes rule on a Kubernetes object.
fn annotation_code(code: &str) -> Option<usize> {
    let own = (!code.contains('/'))
        .then(|| rule_by_code_or_name(&format!("k8s/{code}")))
        .flatten();
    own.or_else(|| rule_by_code_or_name(code)).map(|(i, _)| i)
}

/// The registry indices that suppression annotations name: `cloudwright.dev/ignore: "K8S001,name"`,
/// `ignore-check.kube-linter.io/<check>`, `checkov.io/skip<N>: CKV_K8S_<n>=reason`.
fn annotation_rules(pairs: &[(String, String)]) -> Vec<usize> {
    let mut out = Vec::new();
    for (key, value) in pairs {
        debug_assert!(is_suppression_annotation(key));
        if key == "cloudwright.dev/ignore" {
            out.extend(
                value
                    .split([',', ' '])
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .filter_map(annotation_code),
            );
        } else if let Some(check) = key.strip_prefix("ignore-check.kube-linter.io/") {
            out.extend(rules_for_peer(PeerTool::KubeLinter, check));
        } else if key.starts_with("checkov.io/skip") {
            let id = value.split('=').next().unwrap_or("").trim();
            out.extend(rules_for_peer(PeerTool::Checkov, id));
        }
    }
    out
}

/// Parses a manifest file that starts at `base` in the scan's address space and checks its objects
/// one by one. Syntax errors and duplicate keys are CW001, reported only when the file holds objects
/// or looks like a manifest (`apiVersion:` and `kind:` at column 0), so that other YAML and JSON
/// stays quiet. `None` when the file holds neither objects nor a reportable error.
pub fn lint_manifest(
    path: &str,
    text: &str,
    base: u32,
    settings: &Settings,
) -> Option<ObjectsResult> {
    let mut yaml = parse_yaml_or_json(path, text);
    let mut errors = Vec::new();
    yaml_errors(&yaml, text, &mut errors);
    for f in &mut errors {
        f.range = TextRange::new(f.range.start + base, f.range.end + base);
    }
    yaml.shift(base);
    let objects = take_objects(&mut yaml);
    drop(yaml);
    if objects.is_empty() {
        let looks_like_manifest = text.lines().any(|l| l.starts_with("apiVersion:"))
            && text.lines().any(|l| l.starts_with("kind:"));
        return (!errors.is_empty() && looks_like_manifest).then(|| ObjectsResult {
            findings: errors,
            ..ObjectsResult::default()
        });
    }
    let source_at = |_: u32| Some((text, base));
    let mut result = lint_objects(objects, &source_at, settings);
    errors.append(&mut result.findings);
    result.findings = errors;
    Some(result)
}

/// A CW001 (`parse: true`) or CW004 finding at a range of the scan's address space, for problems
/// found outside the rules (a Kustomize resource that does not exist, a remote base).
pub fn problem_finding(not_rendered: bool, range: TextRange, message: String) -> Finding {
    let meta: &'static RuleMeta = if not_rendered {
        NotRendered::META
    } else {
        ParseError::META
    };
    tool_finding(meta, range, message)
}

/// Finishes a file whose findings were collected in the scan's address space (`base` is where the
/// file starts in it): moves them into the file, drops duplicates (an overlay and its base report
/// the same value once), runs the text rules (secrets), applies suppressions.
pub fn finish_file(
    path: &str,
    text: &str,
    base: u32,
    kind: FileKind,
    findings: Vec<Finding>,
    suppressed: usize,
    settings: &Settings,
) -> FileResult {
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    let inside = |r: TextRange| r.start >= base && r.end <= base.saturating_add(len);
    let local = |r: TextRange| TextRange::new(r.start - base, r.end - base);
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for mut f in findings {
        if !inside(f.range) {
            continue;
        }
        f.range = local(f.range);
        f.labels.retain(|(r, _)| inside(*r));
        for (r, _) in &mut f.labels {
            *r = local(*r);
        }
        f.redact.retain(|r| inside(*r));
        for r in &mut f.redact {
            *r = local(*r);
        }
        if let Some(fix) = &mut f.fix {
            if fix.edits.iter().all(|e| inside(e.range)) {
                for e in &mut fix.edits {
                    e.range = local(e.range);
                }
            } else {
                f.fix = None;
            }
        }
        let duplicate = out
            .iter_mut()
            .find(|o| o.index == f.index && o.range == f.range && o.message == f.message);
        match duplicate {
            Some(o) => {
                for call in f.calls {
                    if !o.calls.contains(&call) {
                        o.calls.push(call);
                    }
                }
            }
            None => out.push(f),
        }
    }
    run_text_rules(path, text, kind, settings, &mut out);
    let constructs = if !crate::suppression::has_markers(text) {
        Vec::new()
    } else if kind == FileKind::Terraform {
        super::hcl_constructs(path, text)
    } else {
        yaml_constructs(&parse_yaml_or_json(path, text), text)
    };
    let mut result = finish(path, text, &constructs, out, settings);
    result.suppressed += suppressed;
    result
}
