//! The Kubernetes phase of a scan, before findings stream: Kustomize trees are rendered, plain
//! manifests parsed, every object checked on its own, then every object against the others of its
//! namespace. Findings wait in [`Pending`] for their file's turn in the stream.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use cw_linter::{
    FileKind, Finding, ObjectsResult, lint_cluster, lint_manifest, lint_objects, problem_finding,
};
use cw_model::kubernetes::{KubeObject, ObjectFacts};
use cw_model::kustomize::{ProblemKind, render};
use cw_syntax::yaml::parse_yaml;
use rayon::prelude::*;

use crate::scan::{ScanOptions, read_text};
use crate::space::{FsLoader, Space, locate};
use crate::walk::WalkedFile;

/// Findings of one file, in the scan's address space, waiting for the file's turn.
#[derive(Debug)]
pub(crate) struct Pending {
    pub base: u32,
    pub findings: Vec<Finding>,
    /// The file holds Kubernetes objects or is an input of a Kustomize render.
    pub kubernetes: bool,
    /// The format the file is finished as (text rules, suppression constructs, format counts).
    pub kind: FileKind,
}

impl Default for Pending {
    fn default() -> Self {
        Self {
            base: 0,
            findings: Vec::new(),
            kubernetes: false,
            kind: FileKind::Kubernetes,
        }
    }
}

/// What the phase's workers hand back.
#[derive(Default)]
struct Collected {
    findings: Vec<Finding>,
    facts: Vec<ObjectFacts>,
    suppressed: usize,
    /// Plain manifests that held objects (or a manifest's parse error).
    with_objects: HashSet<String>,
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
    space: &Space,
) -> KubePhase {
    let settings = &opts.settings;
    let loader = FsLoader {
        space,
        base: &opts.base,
        max_file_size: opts.max_file_size,
    };
    let collected = Mutex::new(Collected::default());
    let collect = |result: ObjectsResult, file: Option<&str>| {
        let mut c = collected.lock().expect("invariant: no panics while locked");
        c.findings.extend(result.findings);
        c.facts.extend(result.facts);
        c.suppressed += result.suppressed;
        if let Some(file) = file {
            c.with_objects.insert(file.to_string());
        }
    };

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
            let problems = r
                .problems
                .into_iter()
                .map(|p| problem_finding(p.kind == ProblemKind::NotRendered, p.range, p.message));
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
            let mut result = lint_objects(objects, &source_at, settings);
            result.findings.extend(problems);
            collect(result, None);
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
            if let Some(result) = lint_manifest(&f.rel, &text, base, settings) {
                collect(result, Some(&f.rel));
            }
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
        collect(
            ObjectsResult {
                findings: vec![f],
                ..ObjectsResult::default()
            },
            None,
        );
    }

    let Collected {
        findings: mut all,
        facts,
        suppressed,
        with_objects,
    } = collected
        .into_inner()
        .expect("invariant: no panics while locked");
    let cluster = lint_cluster(facts, settings);
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
    for path in with_objects {
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
        suppressed: suppressed + cluster.suppressed,
    }
}
