//! The scan pipeline: walk, read (size-capped), lint in parallel, collect.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use cw_diagnostics::{Diagnostic, FormatCount, ScanStats};
use cw_linter::{FileFacts, FileKind, Settings, lint_file, skipped_file};
use globset::{Glob, GlobSetBuilder};
use rayon::prelude::*;

use crate::classify::Classification;
use crate::walk::{WalkError, WalkedFile, walk};

/// Default size cap: larger files are skipped with CW003.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;

pub struct ScanOptions {
    /// Files and directories to scan.
    pub roots: Vec<PathBuf>,
    /// Finding paths are relative to this directory (absolute).
    pub base: PathBuf,
    pub settings: Settings,
    /// Globs of relative paths not to scan.
    pub exclude: Vec<String>,
    pub max_file_size: u64,
    /// Worker threads (0: one per core).
    pub threads: usize,
}

#[derive(Debug)]
pub struct ScanOutcome {
    /// Sorted by path, position, code.
    pub diagnostics: Vec<Diagnostic>,
    pub stats: ScanStats,
}

/// Scans `opts.roots`. `progress(done, total)` is called after each file.
pub fn scan(
    opts: &ScanOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ScanOutcome, ScanError> {
    let started = Instant::now();
    let mut globs = GlobSetBuilder::new();
    for pattern in &opts.exclude {
        globs.add(Glob::new(pattern).map_err(|e| ScanError::Exclude {
            pattern: pattern.clone(),
            message: e.kind().to_string(),
        })?);
    }
    let exclude = globs.build().map_err(|e| ScanError::Exclude {
        pattern: opts.exclude.join(", "),
        message: e.to_string(),
    })?;
    let files = walk(&opts.roots, &opts.base, &exclude, opts.threads)?;
    let lintable: Vec<(&WalkedFile, FileKind)> = files
        .iter()
        .filter_map(|f| match f.class {
            Classification::Lint(kind) => Some((f, kind)),
            _ => None,
        })
        .collect();
    let total = lintable.len();
    let done = AtomicUsize::new(0);
    let bytes = AtomicU64::new(0);
    let suppressed = AtomicUsize::new(0);
    let per_file: Vec<Vec<Diagnostic>> = lintable
        .par_iter()
        .map(|(file, kind)| {
            let out = scan_file(file, *kind, opts, &bytes, &suppressed);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            out
        })
        .collect();
    let mut formats: Vec<FormatCount> = Vec::new();
    for (_, kind) in &lintable {
        match formats.iter_mut().find(|f| f.format == kind.as_str()) {
            Some(f) => f.files += 1,
            None => formats.push(FormatCount {
                format: kind.as_str(),
                files: 1,
            }),
        }
    }
    formats.sort_by(|a, b| a.format.cmp(b.format));
    Ok(ScanOutcome {
        diagnostics: per_file.into_iter().flatten().collect(),
        stats: ScanStats {
            formats,
            files_scanned: total,
            bytes_scanned: bytes.into_inner(),
            suppressed: suppressed.into_inner(),
            baselined: 0,
            elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        },
    })
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Walk(#[from] WalkError),
    #[error("invalid exclude glob `{pattern}`: {message}")]
    Exclude { pattern: String, message: String },
}

fn scan_file(
    file: &WalkedFile,
    kind: FileKind,
    opts: &ScanOptions,
    bytes: &AtomicU64,
    suppressed: &AtomicUsize,
) -> Vec<Diagnostic> {
    let skipped = |message: String| {
        skipped_file(&file.rel, message, &opts.settings)
            .into_iter()
            .collect()
    };
    match std::fs::metadata(&file.abs) {
        Ok(m) if m.len() > opts.max_file_size => {
            return skipped(format!(
                "skipped: {} bytes is over the {} byte size cap (`max-file-size`)",
                m.len(),
                opts.max_file_size
            ));
        }
        Ok(_) => {}
        Err(e) => return skipped(format!("skipped: cannot read the file: {e}")),
    }
    let data = match std::fs::read(&file.abs) {
        Ok(d) => d,
        Err(e) => return skipped(format!("skipped: cannot read the file: {e}")),
    };
    bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
    let text = match String::from_utf8(data) {
        Ok(t) => t,
        Err(e) => {
            return skipped(format!(
                "skipped: not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ));
        }
    };
    let facts = facts(file, kind, &opts.base);
    let result = lint_file(&file.rel, &text, kind, &facts, &opts.settings);
    suppressed.fetch_add(result.suppressed, Ordering::Relaxed);
    result.diagnostics
}

/// What rules need to know about a file's surroundings.
fn facts(file: &WalkedFile, kind: FileKind, base: &Path) -> FileFacts {
    match kind {
        FileKind::Dockerfile => FileFacts {
            dockerignore: Some(has_dockerignore(&file.abs, base)),
        },
    }
}

/// A `.dockerignore` beside the Dockerfile, `<name>.dockerignore`, or a `.dockerignore` in any parent
/// directory up to the scan base (the build context may be any of them).
fn has_dockerignore(dockerfile: &Path, base: &Path) -> bool {
    let Some(dir) = dockerfile.parent() else {
        return false;
    };
    if let Some(name) = dockerfile.file_name() {
        let mut specific = name.to_os_string();
        specific.push(".dockerignore");
        if dir.join(specific).is_file() {
            return true;
        }
    }
    let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut cur = Some(abs.as_path());
    while let Some(d) = cur {
        if d.join(".dockerignore").is_file() {
            return true;
        }
        if d == base || !d.starts_with(base) {
            break;
        }
        cur = d.parent();
    }
    false
}
