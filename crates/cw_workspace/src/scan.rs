//! The scan pipeline: walk, read (size-capped), lint in parallel, collect.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use cw_diagnostics::{Diagnostic, FormatCount, ScanStats};
use cw_linter::{FileFacts, FileKind, Settings, lint_file, skipped_file};
use globset::{Glob, GlobSetBuilder};
use rayon::prelude::*;

use crate::classify::Classification;
use crate::walk::{Walk, WalkError, WalkedFile, walk};

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
    let walked = walk(&opts.roots, &opts.base, &exclude, opts.threads)?;
    let lintable: Vec<(&WalkedFile, FileKind)> = walked
        .files
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
            let out = scan_file(file, *kind, opts, &walked, &bytes, &suppressed);
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
    // Exactly sized, filled file by file: no doubling while every per-file vector is still alive.
    let mut diagnostics = Vec::with_capacity(per_file.iter().map(Vec::len).sum());
    for file in per_file {
        diagnostics.extend(file);
    }
    Ok(ScanOutcome {
        diagnostics,
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
    walked: &Walk,
    bytes: &AtomicU64,
    suppressed: &AtomicUsize,
) -> Vec<Diagnostic> {
    let skipped = |message: String| {
        skipped_file(&file.rel, message, &opts.settings)
            .into_iter()
            .collect()
    };
    let data = match read_capped(&file.abs, opts.max_file_size) {
        Ok(Ok(d)) => d,
        Ok(Err(len)) => {
            return skipped(format!(
                "skipped: {len} bytes is over the {} byte size cap (`max-file-size`)",
                opts.max_file_size
            ));
        }
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
    let facts = match kind {
        FileKind::Dockerfile => FileFacts {
            dockerignore: Some(walked.has_dockerignore(&file.abs, &opts.base)),
        },
    };
    let result = lint_file(&file.rel, &text, kind, &facts, &opts.settings);
    suppressed.fetch_add(result.suppressed, Ordering::Relaxed);
    result.diagnostics
}

/// Reads a file unless it is larger than `cap` (then `Ok(Err(len))`), with one open and one fstat.
fn read_capped(path: &Path, cap: u64) -> std::io::Result<Result<Vec<u8>, u64>> {
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > cap {
        return Ok(Err(len));
    }
    let mut data = Vec::with_capacity(usize::try_from(len).unwrap_or(0) + 1);
    file.read_to_end(&mut data)?;
    Ok(Ok(data))
}
