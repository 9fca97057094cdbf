//! The Kubernetes phase of a scan, before findings stream: Kustomize trees are rendered, plain
//! manifests parsed, every object checked on its own, then every object against the others of its
//! namespace. Findings wait in [`Pending`] for their file's turn in the stream.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use cw_linter::{Finding, lint_cluster, lint_objects, problem_finding};
use cw_model::kubernetes::{KubeObject, ObjectFacts, take_objects};
use cw_model::kustomize::{ProblemKind, render};
use cw_syntax::yaml::{parse_json, parse_yaml};
use rayon::prelude::*;

use crate::scan::{ScanOptions, read_text};
use crate::space::{FsLoader, Space, locate};
use crate::walk::WalkedFile;

/// Findings of one file, in the scan's address space, waiting for the file's turn.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    pub base: u32,
    pub findings: Vec<Finding>,
    /// The file holds Kubernetes objects or is an input of a Kustomize render.
    pub kubernetes: bool,
}

#[derive(Debug, Default)]
pub(crate) struct KubePhase {
    pub pending: HashMap<String, Pending>,
    /// Findings hidden by object annotations.
    pub suppressed: usize,
}

/// Whether text that may be a manifest is worth parsing: it names `apiVersion` and `kind`.
fn may_hold_objects(text: &str) -> bool {
    text.contains("apiVersion") && text.contains("kind")
}

/// Runs the phase. `manifests` are the YAML and JSON files no name claims, `kustomizations` the
/// kustomization files, `charts` the Helm `Chart.yaml` files.
pub(crate) fn run(
    manifests: &[&WalkedFile],
    kustomizations: &[&WalkedFile],
    charts: &[&WalkedFile],
    opts: &ScanOptions,
) -> KubePhase {
    let settings = &opts.settings;
    let space = Space::default();
    let loader = FsLoader {
        space: &space,
        base: &opts.base,
        max_file_size: opts.max_file_size,
    };
    let findings = Mutex::new(Vec::<Finding>::new());
    let suppressed = AtomicUsize::new(0);
    let facts = Mutex::new(Vec::<ObjectFacts>::new());
    let with_objects = Mutex::new(HashSet::<String>::new());

    // Kustomize: render every kustomization; the roots are those no other render reads.
    let renders: Vec<_> = kustomizations
        .par_iter()
        .map(|k| {
            let dir = k.rel.rsplit_once('/').map_or(".", |(d, _)| d);
            let mut r = render(dir, &loader);
            // A Component no kustomization includes is checked on its own for what it adds; its
            // patches have nothing to apply to, which is not a problem of the Component.
            let component = read_text(&k.abs, opts.max_file_size)
                .is_ok_and(|t| t.lines().any(|l| l.trim_end() == "kind: Component"));
            if component {
                r.problems.retain(|p| p.kind != ProblemKind::Invalid);
            }
            (k.rel.as_str(), r)
        })
        .collect();
    let texts = space.texts();
    let mut consumed: HashSet<String> = HashSet::new();
    for (own, r) in &renders {
        consumed.extend(r.files.iter().filter(|f| f != own).cloned());
    }
    renders
        .into_par_iter()
        .filter(|(own, _)| !consumed.contains(*own))
        .for_each(|(_, r)| {
            let mut local: Vec<Finding> = r
                .problems
                .into_iter()
                .map(|p| problem_finding(p.kind == ProblemKind::NotRendered, p.range, p.message))
                .collect();
            let objects: Vec<KubeObject> = r
                .objects
                .into_iter()
                .map(|o| KubeObject {
                    node: o.object,
                    namespace_set_by: o.namespace_set_by,
                    rendered: true,
                })
                .collect();
            let source_at = |offset: u32| -> Option<(&str, u32)> {
                let i = texts
                    .partition_point(|(b, _)| *b <= offset)
                    .checked_sub(1)?;
                let (base, text) = &texts[i];
                Some((&**text, *base))
            };
            let result = lint_objects(objects, &source_at, settings);
            local.extend(result.findings);
            suppressed.fetch_add(result.suppressed, Ordering::Relaxed);
            facts
                .lock()
                .expect("invariant: no panics while locked")
                .extend(result.facts);
            findings
                .lock()
                .expect("invariant: no panics while locked")
                .extend(local);
        });
    let kustomize_inputs: HashSet<String> = space.table().into_iter().map(|(_, _, p)| p).collect();
    drop(texts);
    space.drop_texts();

    // Plain manifests: every YAML or JSON file that no kustomization reads.
    manifests
        .par_iter()
        .filter(|f| !kustomize_inputs.contains(&f.rel))
        .for_each(|f| {
            let Ok(text) = read_text(&f.abs, opts.max_file_size) else {
                return;
            };
            if !may_hold_objects(&text) {
                return;
            }
            let Some(base) = space.place(&f.rel, text.len()) else {
                return;
            };
            let mut yaml = if f.rel.to_ascii_lowercase().ends_with(".json") {
                parse_json(&text)
            } else {
                parse_yaml(&text)
            };
            yaml.shift(base);
            let mut local: Vec<Finding> = Vec::new();
            for e in &yaml.errors {
                local.push(problem_finding(false, e.range, e.message.clone()));
            }
            for d in &yaml.duplicate_keys {
                local.push(problem_finding(
                    false,
                    d.duplicate,
                    format!("duplicate key `{}`", d.key),
                ));
            }
            let objects = take_objects(&mut yaml);
            drop(yaml);
            if objects.is_empty() {
                if !local.is_empty() && looks_like_manifest(&text) {
                    findings
                        .lock()
                        .expect("invariant: no panics while locked")
                        .extend(local);
                    with_objects
                        .lock()
                        .expect("invariant: no panics while locked")
                        .insert(f.rel.clone());
                }
                return;
            }
            let source_at = |_: u32| Some((text.as_str(), base));
            let result = lint_objects(objects, &source_at, settings);
            local.extend(result.findings);
            suppressed.fetch_add(result.suppressed, Ordering::Relaxed);
            facts
                .lock()
                .expect("invariant: no panics while locked")
                .extend(result.facts);
            findings
                .lock()
                .expect("invariant: no panics while locked")
                .extend(local);
            with_objects
                .lock()
                .expect("invariant: no panics while locked")
                .insert(f.rel.clone());
        });

    // Helm charts: one CW004 each.
    for chart in charts {
        let Ok(text) = read_text(&chart.abs, opts.max_file_size) else {
            continue;
        };
        let Some(base) = space.place(&chart.rel, text.len()) else {
            continue;
        };
        let yaml = parse_yaml(&text);
        let name = yaml.documents.first().and_then(|d| d.root.get("name"));
        let range = name.map_or(
            cw_diagnostics::TextRange::empty(0),
            cw_syntax::yaml::Node::site_range,
        );
        let label = name.and_then(|n| n.as_str()).unwrap_or("");
        let dir = chart.rel.rsplit_once('/').map_or(".", |(d, _)| d);
        let mut f = problem_finding(
            true,
            cw_diagnostics::TextRange::new(range.start + base, range.end + base),
            format!("Helm chart `{label}` is not rendered: its templates were not checked"),
        );
        f.help(format!(
            "render it (`helm template {dir}`) and scan the output"
        ));
        findings
            .lock()
            .expect("invariant: no panics while locked")
            .push(f);
    }

    let cluster = lint_cluster(
        facts
            .into_inner()
            .expect("invariant: no panics while locked"),
        settings,
    );
    let mut all = findings
        .into_inner()
        .expect("invariant: no panics while locked");
    all.extend(cluster.findings);

    // Hand every finding to the file that holds it.
    let table = space.table();
    let mut pending: HashMap<String, Pending> = HashMap::new();
    for (base, _, path) in &table {
        pending.insert(
            path.clone(),
            Pending {
                base: *base,
                kubernetes: kustomize_inputs.contains(path),
                ..Pending::default()
            },
        );
    }
    for path in with_objects
        .into_inner()
        .expect("invariant: no panics while locked")
    {
        if let Some(p) = pending.get_mut(&path) {
            p.kubernetes = true;
        }
    }
    for f in all {
        if let Some(i) = locate(&table, f.range().start)
            && let Some(p) = pending.get_mut(&table[i].2)
        {
            p.findings.push(f);
        }
    }
    pending.retain(|_, p| p.kubernetes || !p.findings.is_empty());
    KubePhase {
        pending,
        suppressed: suppressed.into_inner() + cluster.suppressed,
    }
}

/// A file that fails to parse is reported (CW001) only when it looks like a manifest.
fn looks_like_manifest(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("apiVersion:"))
        && text.lines().any(|l| l.starts_with("kind:"))
}
