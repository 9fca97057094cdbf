//! The gitignore-aware parallel walk.

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

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
}

/// Walks `roots` (files or directories), honouring `.gitignore`, `.ignore` and global git excludes (also
/// outside a git repository), visiting hidden files (`.github/`, `.gitlab-ci.yml`) but never `.git/`.
/// Paths matching `exclude` (relative to `base`) are skipped. Files named explicitly are always included.
/// The result is sorted by relative path.
pub fn walk(
    roots: &[PathBuf],
    base: &Path,
    exclude: &GlobSet,
    threads: usize,
) -> Result<Vec<WalkedFile>, WalkError> {
    let found = Mutex::new(Vec::new());
    for root in roots {
        if root.is_file() {
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
            return Err(WalkError::Missing(root.clone()));
        }
        let walker = WalkBuilder::new(root)
            .hidden(false)
            .require_git(false)
            .threads(threads)
            .filter_entry(|e| e.file_name() != ".git")
            .build_parallel();
        walker.run(|| {
            let found = &found;
            Box::new(move |entry| {
                let Ok(entry) = entry else {
                    return WalkState::Continue;
                };
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                let rel = relative(entry.path(), base);
                if exclude.is_match(&rel) {
                    return WalkState::Continue;
                }
                let class = classify(&rel, || None);
                if class != Classification::Other {
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
    Ok(files)
}

/// `path` relative to `base`, `/`-separated; the path as given when it is not under `base`.
pub(crate) fn relative(path: &Path, base: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let rel = abs.strip_prefix(base).unwrap_or(path);
    let mut out = String::new();
    for (i, c) in rel.components().enumerate() {
        if matches!(c, std::path::Component::CurDir) {
            continue;
        }
        if i > 0 && !out.is_empty() {
            out.push('/');
        }
        out.push_str(&c.as_os_str().to_string_lossy());
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}
