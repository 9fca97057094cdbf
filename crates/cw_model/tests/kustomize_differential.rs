//! The renderer against `kubectl kustomize`: every kustomization of the fixtures under
//! `resources/fixtures/kustomize/` is built by both, and the objects must be the same (as plain
//! values: ranges ignored, mappings unordered, scalars compared by the value YAML gives them,
//! since kubectl re-quotes and normalizes numbers). Skipped, with a message, without kubectl.
#![expect(
    clippy::disallowed_methods,
    reason = "the test reads its fixtures from disk and runs kubectl"
)]
#![expect(clippy::print_stderr, reason = "says why the test is skipped")]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use cw_model::kustomize::{Loaded, Loader, ProblemKind, kustomization_file_name, render};
use cw_syntax::yaml::{Node, ScalarStyle, Value, parse_yaml};

/// Files of a directory on disk, with bases assigned in reading order.
struct DiskLoader {
    root: PathBuf,
    bases: Mutex<(HashMap<String, u32>, u32)>,
}

impl Loader for DiskLoader {
    fn load(&self, path: &str) -> Result<Loaded, String> {
        let text = std::fs::read_to_string(self.root.join(path)).map_err(|e| e.to_string())?;
        let mut guard = self.bases.lock().map_err(|e| e.to_string())?;
        let (bases, next) = &mut *guard;
        let base = *bases.entry(path.to_owned()).or_insert_with(|| {
            let base = *next;
            *next += text.len() as u32 + 1;
            base
        });
        Ok(Loaded {
            text: Arc::from(text),
            base,
        })
    }

    fn is_dir(&self, path: &str) -> bool {
        self.root.join(path).is_dir()
    }
}

/// A value as YAML (yaml.v3, which kustomize uses) gives it.
#[derive(Clone, Debug, PartialEq)]
enum V {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Seq(Vec<V>),
    Map(BTreeMap<String, V>),
}

fn parse_number(t: &str) -> Option<f64> {
    let (neg, rest) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = rest.to_ascii_lowercase().replace('_', "");
    let int = if let Some(h) = lower.strip_prefix("0x") {
        u64::from_str_radix(h, 16).ok()
    } else if let Some(o) = lower.strip_prefix("0o") {
        u64::from_str_radix(o, 8).ok()
    } else if lower.len() > 1 && lower.starts_with('0') && lower.bytes().all(|b| b.is_ascii_digit())
    {
        u64::from_str_radix(&lower[1..], 8).ok()
    } else if lower.bytes().all(|b| b.is_ascii_digit()) && !lower.is_empty() {
        lower.parse().ok()
    } else {
        None
    };
    let value = if let Some(i) = int {
        #[expect(clippy::cast_precision_loss, reason = "compared as JSON numbers")]
        let f = i as f64;
        f
    } else {
        let float_like = lower.bytes().any(|b| b.is_ascii_digit())
            && lower
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'-' | b'+'));
        if !float_like {
            return None;
        }
        lower.parse::<f64>().ok()?
    };
    Some(if neg { -value } else { value })
}

fn value(node: &Node) -> V {
    match &node.value {
        Value::Scalar(s) => {
            if !matches!(s.style, ScalarStyle::Plain | ScalarStyle::JsonLiteral) {
                return V::Str(s.text.clone());
            }
            match s.text.as_str() {
                "" | "~" | "null" | "Null" | "NULL" => V::Null,
                "true" | "True" | "TRUE" => V::Bool(true),
                "false" | "False" | "FALSE" => V::Bool(false),
                t => parse_number(t).map_or_else(|| V::Str(t.to_owned()), V::Num),
            }
        }
        Value::Seq(items) => V::Seq(items.iter().map(value).collect()),
        Value::Map(entries) => V::Map(
            entries
                .iter()
                .map(|e| {
                    (
                        e.key
                            .as_scalar()
                            .map(|s| s.text.clone())
                            .unwrap_or_default(),
                        value(&e.value),
                    )
                })
                .collect(),
        ),
    }
}

fn key(v: &V) -> String {
    let V::Map(m) = v else { return String::new() };
    let field = |k: &str| match m.get(k) {
        Some(V::Str(s)) => s.clone(),
        _ => String::new(),
    };
    let meta = match m.get("metadata") {
        Some(V::Map(meta)) => meta.clone(),
        _ => BTreeMap::new(),
    };
    let meta_field = |k: &str| match meta.get(k) {
        Some(V::Str(s)) => s.clone(),
        _ => String::new(),
    };
    format!(
        "{}/{}/{}/{}",
        field("apiVersion"),
        field("kind"),
        meta_field("namespace"),
        meta_field("name")
    )
}

fn kubectl_available() -> bool {
    Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn kustomization_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            kustomization_dirs(&path, out);
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(kustomization_file_name)
        {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if !text.contains("kind: Component") {
                out.push(dir.to_path_buf());
            }
        }
    }
}

#[test]
fn renders_like_kubectl_kustomize() {
    if !kubectl_available() {
        eprintln!("skipped: kubectl is not on PATH");
        return;
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/fixtures/kustomize");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no fixtures");
    let mut failures = Vec::new();
    let mut compared = 0;
    for case in &cases {
        let mut dirs = Vec::new();
        kustomization_dirs(case, &mut dirs);
        for dir in dirs {
            let rel = dir
                .strip_prefix(case)
                .expect("inside the case")
                .to_string_lossy()
                .replace('\\', "/");
            let label = format!(
                "{}/{rel}",
                case.file_name().unwrap_or_default().to_string_lossy()
            );
            let output = Command::new("kubectl")
                .arg("kustomize")
                .arg(&dir)
                .output()
                .expect("kubectl runs");
            assert!(
                output.status.success(),
                "{label}: kubectl kustomize failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let expected_text = String::from_utf8(output.stdout).expect("utf-8");
            let expected_file = parse_yaml(&expected_text);
            assert!(
                expected_file.errors.is_empty(),
                "{label}: kubectl output does not parse"
            );
            let expected: BTreeMap<String, V> = expected_file
                .documents
                .iter()
                .map(|d| value(&d.root))
                .map(|v| (key(&v), v))
                .collect();

            let loader = DiskLoader {
                root: case.clone(),
                bases: Mutex::new((HashMap::new(), 0)),
            };
            let rendered = render(&rel, &loader);
            let problems: Vec<_> = rendered
                .problems
                .iter()
                .filter(|p| p.kind != ProblemKind::NotRendered)
                .collect();
            if !problems.is_empty() {
                failures.push(format!("{label}: problems {problems:?}"));
            }
            let ours: BTreeMap<String, V> = rendered
                .objects
                .iter()
                .map(|r| value(&r.object))
                .map(|v| (key(&v), v))
                .collect();
            assert_eq!(
                ours.len(),
                rendered.objects.len(),
                "{label}: duplicate objects"
            );
            let expected_keys: Vec<_> = expected.keys().collect();
            let our_keys: Vec<_> = ours.keys().collect();
            if expected_keys != our_keys {
                failures.push(format!(
                    "{label}: objects differ\n  kubectl: {expected_keys:?}\n  ours:    {our_keys:?}"
                ));
                continue;
            }
            for (k, want) in &expected {
                if ours.get(k) != Some(want) {
                    failures.push(format!(
                        "{label}: {k} differs\n  kubectl: {want:?}\n  ours:    {:?}",
                        ours.get(k)
                    ));
                }
            }
            // The output order is kustomize's too.
            let order: Vec<String> = rendered
                .objects
                .iter()
                .map(|r| key(&value(&r.object)))
                .collect();
            let want_order: Vec<String> = expected_file
                .documents
                .iter()
                .map(|d| key(&value(&d.root)))
                .collect();
            if order != want_order {
                failures.push(format!(
                    "{label}: order differs\n  kubectl: {want_order:?}\n  ours:    {order:?}"
                ));
            }
            compared += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {compared} renders differ:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(compared >= 10, "only {compared} kustomizations compared");
}
