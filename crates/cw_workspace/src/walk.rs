//! The gitignore-aware parallel walk.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

use crate::classify::{Classification, classify};

/// A file the walk yielded, with its class.
#[derive(Clone, Debug)]
pub struct WalkedFile {
    pub abs: PathBuf,
    /// Relative to the scan base, `/`-separated.
    pub rel: String,
    pub class: Classification,
}

/// What the walk found: the files to check, and facts about their surroundings.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<WalkedFile>,
    /// Absolute paths of every `.dockerignore` and `<name>.dockerignore` seen (for DKR011).
    pub dockerignores: HashSet<PathBuf>,
    /// The walked Dockerfiles by relative path, found on first use.
    pub(crate) dockerfiles:
        std::sync::OnceLock<std::sync::Arc<std::collections::HashMap<String, PathBuf>>>,
}

impl Walk {
    /// A `.dockerignore` beside the Dockerfile, `<name>.dockerignore`, or a `.dockerignore` in any parent
    /// directory up to `base` (the build context may be any of them).
    pub fn has_dockerignore(&self, dockerfile: &Path, base: &Path) -> bool {
        let Some(dir) = dockerfile.parent() else {
            return false;
        };
        if let Some(name) = dockerfile.file_name() {
            let mut specific = name.to_os_string();
            specific.push(".dockerignore");
            if self.dockerignores.contains(&dir.join(specific)) {
                return true;
            }
        }
        let mut cur = Some(dir);
        while let Some(d) = cur {
            if self.dockerignores.contains(&d.join(".dockerignore")) {
                return true;
            }
            if d == base || !d.starts_with(base) {
                break;
            }
            cur = d.parent();
        }
        false
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
}

/// Walks `roots` (files or directories), honouring `.gitignore`, `.ignore` and global git excludes (also
/// outside a git repository), visiting hidden files (`.github/`, `.gitlab-ci.yml`) but never `.git/`
/// or `.terraform/` (modules and providers `terraform init` downloaded).
/// Paths matching `exclude` (relative to `base`) are skipped. Files named explicitly are always included;
/// files of no format ([`Classification::Other`]) only with `keep_other` (to check them for secrets).
/// The YAML files under a Helm chart's `templates/` are Go templates: they are classified as such.
/// The result is sorted by relative path.
pub fn walk(
    roots: &[PathBuf],
    base: &Path,
    exclude: &GlobSet,
    threads: usize,
    keep_other: bool,
) -> Result<Walk, WalkError> {
    let found = Mutex::new(Vec::new());
    let ignores = Mutex::new(HashSet::new());
    for given in roots {
        // Absolute roots give absolute paths for every entry, without a getcwd per file.
        let root = &std::path::absolute(given).unwrap_or_else(|_| given.clone());
        if root.is_file() {
            let mut lock = ignores.lock().expect("invariant: no panics while locked");
            for candidate in dockerignore_candidates(root, base) {
                if candidate.is_file() {
                    lock.insert(candidate);
                }
            }
            drop(lock);
            let rel = relative(root, base);
            let class = classify(&rel, || None);
            found
                .lock()
                .expect("invariant: no panics while locked")
                .push(WalkedFile {
                    abs: root.clone(),
                    rel,
                    class,
                });
            continue;
        }
        if !root.is_dir() {
            return Err(WalkError::Missing(given.clone()));
        }
        let walker = WalkBuilder::new(root)
            .hidden(false)
            .require_git(false)
            .threads(threads)
            .filter_entry(|e| e.file_name() != ".git" && e.file_name() != ".terraform")
            .build_parallel();
        walker.run(|| {
            let found = &found;
            let ignores = &ignores;
            Box::new(move |entry| {
                let Ok(entry) = entry else {
                    return WalkState::Continue;
                };
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                if entry
                    .file_name()
                    .as_encoded_bytes()
                    .ends_with(b".dockerignore")
                {
                    ignores
                        .lock()
                        .expect("invariant: no panics while locked")
                        .insert(entry.into_path());
                    return WalkState::Continue;
                }
                let rel = relative(entry.path(), base);
                if exclude.is_match(&rel) {
                    return WalkState::Continue;
                }
                let class = classify(&rel, || None);
                if keep_other || class != Classification::Other {
                    found
                        .lock()
                        .expect("invariant: no panics while locked")
                        .push(WalkedFile {
                            abs: entry.into_path(),
                            rel,
                            class,
                        });
                }
                WalkState::Continue
            })
        });
    }
    let mut files = found
        .into_inner()
        .expect("invariant: no panics while locked");
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files.dedup_by(|a, b| a.rel == b.rel);
    mark_helm_templates(&mut files);
    Ok(Walk {
        dockerfiles: std::sync::OnceLock::new(),
        files,
        dockerignores: ignores
            .into_inner()
            .expect("invariant: no panics while locked"),
    })
}

/// Files under `<chart>/templates/` of a directory holding a `Chart.yaml` are Helm templates, not YAML.
fn mark_helm_templates(files: &mut [WalkedFile]) {
    let charts: Vec<String> = files
        .iter()
        .filter(|f| f.class == Classification::HelmChart)
        .map(|f| match f.rel.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/templates/"),
            None => "templates/".to_string(),
        })
        .collect();
    if charts.is_empty() {
        return;
    }
    for f in files.iter_mut() {
        if charts.iter().any(|c| f.rel.starts_with(c.as_str()))
            && matches!(
                f.class,
                Classification::Lint(cw_linter::FileKind::Kubernetes) | Classification::Other
            )
        {
            f.class = Classification::Recognised("helm");
        }
    }
}

/// The `.dockerignore` files that may apply to an explicitly named Dockerfile.
fn dockerignore_candidates(dockerfile: &Path, base: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Some(dir) = dockerfile.parent() else {
        return out;
    };
    if let Some(name) = dockerfile.file_name() {
        let mut specific = name.to_os_string();
        specific.push(".dockerignore");
        out.push(dir.join(specific));
    }
    let mut cur = Some(dir);
    while let Some(d) = cur {
        out.push(d.join(".dockerignore"));
        if d == base || !d.starts_with(base) {
            break;
        }
        cur = d.parent();
    }
    out
}

/// `path` relative to `base`, `/`-separated; the path as given when it is not under `base`.
/// `path` is absolute.
pub(crate) fn relative(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let mut out = String::new();
    for (i, c) in rel.components().enumerate() {
        if matches!(c, std::path::Component::CurDir) {
            continue;
        }
        if i > 0 && !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&c.as_os_str().to_string_lossy());
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}
