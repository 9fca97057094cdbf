//! The scan pipeline: walk, read (size-capped), lint in parallel, stream the findings in path order.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
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

/// Files linted together: the findings of at most this many files (times the chunks in flight) are
/// alive at once, and the workers wait for the slowest file of each chunk.
const CHUNK_FILES: usize = 128;

/// A walked scan, ready to lint: [`Scan::walk`] reports the errors of walking (a missing root, a bad
/// exclude glob) before anything is linted, [`Scan::lint`] streams the findings.
pub struct Scan<'a> {
    opts: &'a ScanOptions,
    walked: Walk,
    started: Instant,
}

impl<'a> Scan<'a> {
    /// Walks `opts.roots`.
    pub fn walk(opts: &'a ScanOptions) -> Result<Self, ScanError> {
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
        Ok(Self {
            opts,
            walked,
            started,
        })
    }

    /// The files a rule set checks, in path order, with their format.
    pub fn lintable(&self) -> impl Iterator<Item = (&WalkedFile, FileKind)> {
        self.walked.files.iter().filter_map(|f| match f.class {
            Classification::Lint(kind) => Some((f, kind)),
            _ => None,
        })
    }

    /// What the rules need to know about `file`'s surroundings.
    pub fn facts(&self, file: &WalkedFile, kind: FileKind) -> FileFacts {
        facts(&self.walked, &self.opts.base, file, kind)
    }

    /// Lints the files in path order and hands each file's findings (sorted by position, code) to
    /// `sink`, file by file in path order; files without findings are left out. Files are linted in
    /// parallel a chunk at a time, one chunk ahead of `sink`, so memory holds a few chunks' findings,
    /// not the repository's. `progress(done, total)` is called after each file. The first error of
    /// `sink` stops the scan and is returned.
    pub fn lint<E>(
        self,
        progress: &(dyn Fn(usize, usize) + Sync),
        mut sink: impl FnMut(Vec<Diagnostic>) -> Result<(), E>,
    ) -> Result<ScanStats, E> {
        let lintable: Vec<(&WalkedFile, FileKind)> = self.lintable().collect();
        let Self {
            opts,
            walked,
            started,
        } = &self;
        let total = lintable.len();
        let done = AtomicUsize::new(0);
        let bytes = AtomicU64::new(0);
        let suppressed = AtomicUsize::new(0);
        let lint_chunk = |chunk: &[(&WalkedFile, FileKind)]| -> Vec<Vec<Diagnostic>> {
            chunk
                .par_iter()
                .map(|(file, kind)| {
                    let out = scan_file(file, *kind, opts, walked, &bytes, &suppressed);
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                    out
                })
                .collect()
        };
        // The next chunk is linted on the pool while this thread hands the previous one to `sink`.
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::sync_channel(1);
            scope.spawn(|| {
                for chunk in lintable.chunks(CHUNK_FILES) {
                    if tx.send(lint_chunk(chunk)).is_err() {
                        break; // `sink` failed.
                    }
                }
                drop(tx);
            });
            for chunk in rx {
                for file in chunk {
                    if !file.is_empty() {
                        sink(file)?;
                    }
                }
            }
            Ok(())
        })?;
        Ok(ScanStats {
            formats: format_counts(&lintable),
            files_scanned: total,
            bytes_scanned: bytes.into_inner(),
            suppressed: suppressed.into_inner(),
            baselined: 0,
            elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        })
    }
}

/// Files per format, sorted by format.
fn format_counts(lintable: &[(&WalkedFile, FileKind)]) -> Vec<FormatCount> {
    let mut formats: Vec<FormatCount> = Vec::new();
    for (_, kind) in lintable {
        match formats.iter_mut().find(|f| f.format == kind.as_str()) {
            Some(f) => f.files += 1,
            None => formats.push(FormatCount {
                format: kind.as_str(),
                files: 1,
            }),
        }
    }
    formats.sort_by(|a, b| a.format.cmp(b.format));
    formats
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Walk(#[from] WalkError),
    #[error("invalid exclude glob `{pattern}`: {message}")]
    Exclude { pattern: String, message: String },
}

fn facts(walked: &Walk, base: &Path, file: &WalkedFile, kind: FileKind) -> FileFacts {
    match kind {
        FileKind::Dockerfile => FileFacts {
            dockerignore: Some(walked.has_dockerignore(&file.abs, base)),
        },
        _ => FileFacts::default(),
    }
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
    let facts = facts(walked, &opts.base, file, kind);
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

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use cw_linter::FileFacts;

    use super::*;

    /// What a test compares: where a finding is and what it is.
    fn key(d: &Diagnostic) -> (String, u32, u32, &'static str, String) {
        let fingerprint = d.fingerprint.clone();
        (
            d.path.clone(),
            d.start.line,
            d.start.column,
            d.code(),
            fingerprint,
        )
    }

    fn options(root: &Path) -> ScanOptions {
        ScanOptions {
            roots: vec![root.to_path_buf()],
            base: root.to_path_buf(),
            settings: Settings::default(),
            exclude: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            threads: 2,
        }
    }

    /// More files than two chunks, named so that creation, number and path order differ.
    fn repository(files: usize) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("tempdir");
        for i in (0..files).rev() {
            let dir = tmp.path().join(format!("svc{}", (i * 37) % files));
            std::fs::create_dir_all(&dir).expect("mkdir");
            let text = format!(
                "FROM python:latest\n{}USER root\nRUN apt-get install curl\n",
                "RUN echo hi\n".repeat(i % 4)
            );
            std::fs::write(dir.join("Dockerfile"), text).expect("write");
        }
        tmp
    }

    #[test]
    fn findings_stream_file_by_file_in_path_order() {
        const FILES: usize = 300;
        let tmp = repository(FILES);
        let opts = options(tmp.path());
        let ticks = AtomicUsize::new(0);
        let mut files: Vec<Vec<Diagnostic>> = Vec::new();
        let stats = Scan::walk(&opts)
            .expect("walk")
            .lint(
                &|_, total| {
                    assert_eq!(total, FILES);
                    ticks.fetch_add(1, Ordering::Relaxed);
                },
                |file| {
                    files.push(file);
                    Ok::<_, Infallible>(())
                },
            )
            .expect("the sink never fails");
        assert_eq!(stats.files_scanned, FILES);
        assert_eq!(ticks.into_inner(), FILES);
        assert_eq!(files.len(), FILES, "every file has findings");
        for file in &files {
            assert!(
                file.iter().all(|d| d.path == file[0].path),
                "one file a call"
            );
        }
        let streamed: Vec<_> = files.iter().flatten().map(key).collect();
        assert!(
            streamed
                .windows(2)
                .all(|w| (&w[0].0, w[0].1, w[0].2) <= (&w[1].0, w[1].1, w[1].2)),
            "sorted by path, then position"
        );

        // The same findings as linting each file alone, in path order.
        let mut paths: Vec<String> = (0..FILES).map(|i| format!("svc{i}/Dockerfile")).collect();
        paths.sort();
        let facts = FileFacts {
            dockerignore: Some(false),
        };
        let expected: Vec<_> = paths
            .iter()
            .flat_map(|rel| {
                let text = std::fs::read_to_string(tmp.path().join(rel)).expect("read");
                lint_file(rel, &text, FileKind::Dockerfile, &facts, &opts.settings).diagnostics
            })
            .map(|d| key(&d))
            .collect();
        assert_eq!(streamed, expected);
    }

    #[test]
    fn a_failing_sink_stops_the_scan() {
        let tmp = repository(6 * CHUNK_FILES);
        let opts = options(tmp.path());
        let linted = AtomicUsize::new(0);
        let mut calls = 0;
        let result = Scan::walk(&opts).expect("walk").lint(
            &|_, _| {
                linted.fetch_add(1, Ordering::Relaxed);
            },
            |_| {
                calls += 1;
                Err("closed")
            },
        );
        assert_eq!(result.err(), Some("closed"));
        assert_eq!(calls, 1);
        // Normally two or three chunks: the one `sink` saw, and those linted before it failed.
        assert!(
            linted.into_inner() < 6 * CHUNK_FILES,
            "the scan stops early"
        );
    }
}
