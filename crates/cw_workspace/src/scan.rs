//! The scan pipeline: walk, read (size-capped), lint in parallel, stream the findings in path order.

use std::collections::{BTreeMap, HashSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::Instant;

use cw_diagnostics::{Diagnostic, FormatCount, ScanStats};
use cw_linter::{
    FileFacts, FileKind, InputKind, ScanFiles, Settings, finish_file, lint_file, skipped_file,
};
use globset::{Glob, GlobSetBuilder};
use rayon::prelude::*;

use crate::classify::Classification;
use crate::gitlab;
use crate::kube::{self, Pending};
use crate::space::Space;
use crate::terraform;
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
    /// Terraform variables for every root module (`--var-file`, `--var`), in the order they apply.
    pub terraform: Vec<cw_model::terraform::CliInput>,
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
        let walked = walk(
            &opts.roots,
            &opts.base,
            &exclude,
            opts.threads,
            opts.settings.any_enabled(InputKind::Text),
        )?;
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
        facts(&self.walked, self.opts, &file.abs, kind)
    }

    /// Lints the files in path order and hands each file's findings (sorted by position, code) to
    /// `sink`, file by file in path order; files without findings are left out. Kubernetes objects
    /// are checked first, together (Kustomize renders, cross-object rules); then files are linted in
    /// parallel a chunk at a time, one chunk ahead of `sink`, so memory holds a few chunks' findings,
    /// not the repository's. `progress(done, total)` is called after each file. The first error of
    /// `sink` stops the scan and is returned.
    pub fn lint<E>(
        self,
        progress: &(dyn Fn(usize, usize) + Sync),
        mut sink: impl FnMut(Vec<Diagnostic>) -> Result<(), E>,
    ) -> Result<ScanStats, E> {
        let Self {
            opts,
            walked,
            started,
        } = &self;
        let of_class = |class: Classification| -> Vec<&WalkedFile> {
            walked.files.iter().filter(|f| f.class == class).collect()
        };
        // Only the formats some enabled rule checks are parsed (a secrets-only scan reads text).
        let space = Space::default();
        let checks = |kind| opts.settings.checks_format(kind);
        let mut phase = if checks(FileKind::Kubernetes) {
            kube::run(
                &of_class(Classification::Lint(FileKind::Kubernetes)),
                &of_class(Classification::Kustomization),
                &of_class(Classification::HelmChart),
                opts,
                &space,
            )
        } else {
            kube::KubePhase::default()
        };
        if checks(FileKind::Terraform) {
            terraform::run(
                &of_class(Classification::Recognised("terraform")),
                opts,
                &space,
                &mut phase.pending,
            );
        }
        let pipelines = of_class(Classification::Lint(FileKind::GitlabCi));
        if !pipelines.is_empty() && checks(FileKind::GitlabCi) {
            let files: BTreeMap<&str, &PathBuf> = walked
                .files
                .iter()
                .map(|f| (f.rel.as_str(), &f.abs))
                .collect();
            gitlab::run(&pipelines, &files, opts, &space, &mut phase.pending);
        }
        drop(space);
        let text_rules = opts.settings.any_enabled(InputKind::Text);
        let mut items: Vec<Item> = walked
            .files
            .iter()
            .filter_map(|f| {
                let pending = phase.pending.contains_key(&f.rel);
                let what = match f.class {
                    Classification::Lint(FileKind::Kubernetes)
                    | Classification::Kustomization
                    | Classification::HelmChart => What::Manifest,
                    Classification::Lint(kind) => What::File(kind),
                    _ if pending => What::Manifest,
                    Classification::Other | Classification::Recognised(_) if text_rules => {
                        if is_binary_name(&f.rel) {
                            return None;
                        }
                        What::Text
                    }
                    _ => return None,
                };
                Some(Item {
                    abs: f.abs.clone(),
                    rel: f.rel.clone(),
                    what,
                })
            })
            .collect();
        let listed: HashSet<&str> = items.iter().map(|i| i.rel.as_str()).collect();
        let mut extra: Vec<Item> = phase
            .pending
            .keys()
            .filter(|p| !listed.contains(p.as_str()))
            .map(|p| Item {
                abs: opts.base.join(p),
                rel: p.clone(),
                what: What::Manifest,
            })
            .collect();
        drop(listed);
        extra.sort_by(|a, b| a.rel.cmp(&b.rel));
        items.extend(extra);
        let pending = Mutex::new(phase.pending);
        let total = items.len();
        let done = AtomicUsize::new(0);
        let bytes = AtomicU64::new(0);
        let suppressed = AtomicUsize::new(phase.suppressed);
        let lint_chunk = |chunk: &[Item]| -> Vec<(Vec<Diagnostic>, Option<&'static str>)> {
            chunk
                .par_iter()
                .map(|item| {
                    let p = pending
                        .lock()
                        .expect("invariant: no panics while locked")
                        .remove(&item.rel);
                    let out = scan_item(item, p, opts, walked, &bytes, &suppressed);
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                    out
                })
                .collect()
        };
        let mut formats: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut files_scanned = 0;
        // The next chunk is linted on the pool while this thread hands the previous one to `sink`.
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::sync_channel(1);
            scope.spawn(|| {
                for chunk in items.chunks(CHUNK_FILES) {
                    if tx.send(lint_chunk(chunk)).is_err() {
                        break; // `sink` failed.
                    }
                }
                drop(tx);
            });
            for chunk in rx {
                for (file, format) in chunk {
                    if let Some(format) = format {
                        *formats.entry(format).or_default() += 1;
                        files_scanned += 1;
                    }
                    if !file.is_empty() {
                        sink(file)?;
                    }
                }
            }
            Ok(())
        })?;
        Ok(ScanStats {
            formats: formats
                .into_iter()
                .map(|(format, files)| FormatCount { format, files })
                .collect(),
            files_scanned,
            bytes_scanned: bytes.into_inner(),
            suppressed: suppressed.into_inner(),
            baselined: 0,
            elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        })
    }
}

/// One file of the stream and what to do with it.
struct Item {
    abs: PathBuf,
    rel: String,
    what: What,
}

#[derive(Clone, Copy)]
enum What {
    /// A format linted file by file.
    File(FileKind),
    /// A YAML or JSON file no name claims, a kustomization, a chart, or a file a render read:
    /// its Kubernetes findings are pending; else it may be a Compose file by content, else text.
    Manifest,
    /// Any other text file (secrets).
    Text,
}

/// Extensions of files that are never text worth reading for secrets.
fn is_binary_name(path: &str) -> bool {
    const BINARY: [&str; 34] = [
        "png", "jpg", "jpeg", "gif", "ico", "webp", "bmp", "tiff", "svg", "pdf", "zip", "gz",
        "tgz", "bz2", "xz", "zst", "7z", "jar", "war", "class", "so", "dylib", "dll", "exe", "o",
        "a", "bin", "woff", "woff2", "ttf", "otf", "mp4", "mp3", "wasm",
    ];
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| BINARY.iter().any(|b| ext.eq_ignore_ascii_case(b)))
}

/// Whether YAML that holds no Kubernetes object is a Compose file: a top-level `services:`
/// mapping whose entries use Compose keys.
fn looks_like_compose(text: &str) -> bool {
    if !text.lines().any(|l| l.starts_with("services:")) {
        return false;
    }
    let yaml = cw_syntax::yaml::parse_yaml(text);
    let Some(services) = yaml.documents.first().and_then(|d| d.root.get("services")) else {
        return false;
    };
    let entries = services.entries();
    !entries.is_empty()
        && entries.iter().all(|e| e.value.is_map())
        && entries
            .iter()
            .any(|e| ["image", "build"].iter().any(|k| e.value.get(k).is_some()))
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Walk(#[from] WalkError),
    #[error("invalid exclude glob `{pattern}`: {message}")]
    Exclude { pattern: String, message: String },
}

fn facts(walked: &Walk, opts: &ScanOptions, abs: &Path, kind: FileKind) -> FileFacts {
    match kind {
        FileKind::Dockerfile => FileFacts {
            dockerignore: Some(walked.has_dockerignore(abs, &opts.base)),
            ..FileFacts::default()
        },
        FileKind::Compose => FileFacts {
            files: Some(dockerfiles(walked, opts.max_file_size)),
            ..FileFacts::default()
        },
        _ => FileFacts::default(),
    }
}

/// The scan's Dockerfiles, read on demand: what a Compose file's `build` may name.
fn dockerfiles(walked: &Walk, cap: u64) -> ScanFiles {
    let paths = walked.dockerfiles.get_or_init(|| {
        std::sync::Arc::new(
            walked
                .files
                .iter()
                .filter(|f| f.class == Classification::Lint(FileKind::Dockerfile))
                .map(|f| (f.rel.clone(), f.abs.clone()))
                .collect(),
        )
    });
    let paths = std::sync::Arc::clone(paths);
    ScanFiles::new(move |rel| read_text(paths.get(rel)?, cap).ok())
}

/// Why a file could not be read as text.
pub(crate) enum ReadError {
    TooLarge(u64),
    NotUtf8(usize),
    Io(std::io::Error),
}

/// Reads a UTF-8 text file of at most `cap` bytes.
pub(crate) fn read_text(path: &Path, cap: u64) -> Result<String, ReadError> {
    let data = match read_capped(path, cap) {
        Ok(Ok(d)) => d,
        Ok(Err(len)) => return Err(ReadError::TooLarge(len)),
        Err(e) => return Err(ReadError::Io(e)),
    };
    String::from_utf8(data).map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))
}

/// Lints one item of the stream; returns its diagnostics and its format when it was checked.
fn scan_item(
    item: &Item,
    pending: Option<Pending>,
    opts: &ScanOptions,
    walked: &Walk,
    bytes: &AtomicU64,
    suppressed: &AtomicUsize,
) -> (Vec<Diagnostic>, Option<&'static str>) {
    // Files read only for secrets (and manifests that turned out not to be) skip silently.
    let quiet = matches!(item.what, What::Text)
        || (matches!(item.what, What::Manifest) && pending.is_none());
    let skipped = |message: String| {
        if quiet {
            return Vec::new();
        }
        skipped_file(&item.rel, message, &opts.settings)
            .into_iter()
            .collect()
    };
    let text = match read_text(&item.abs, opts.max_file_size) {
        Ok(t) => t,
        Err(ReadError::TooLarge(len)) => {
            let message = format!(
                "skipped: {len} bytes is over the {} byte size cap (`max-file-size`)",
                opts.max_file_size
            );
            return (skipped(message), None);
        }
        Err(ReadError::Io(e)) => {
            return (skipped(format!("skipped: cannot read the file: {e}")), None);
        }
        Err(ReadError::NotUtf8(at)) => {
            let message = format!("skipped: not UTF-8 text (invalid byte at offset {at})");
            return (skipped(message), None);
        }
    };
    if quiet && text.as_bytes().iter().take(8000).any(|&b| b == 0) {
        return (Vec::new(), None);
    }
    bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
    let settings = &opts.settings;
    let (result, kind) = match (item.what, pending) {
        (_, Some(p)) => (
            finish_file(&item.rel, &text, p.base, p.kind, p.findings, 0, settings),
            p.kind,
        ),
        (What::File(kind), None) => {
            let facts = facts(walked, opts, &item.abs, kind);
            (lint_file(&item.rel, &text, kind, &facts, settings), kind)
        }
        (What::Manifest, None)
            if item.rel.to_ascii_lowercase().ends_with(".json")
                && cw_model::terraform::looks_like_plan(&text) =>
        {
            let kind = FileKind::TerraformPlan;
            (
                lint_file(&item.rel, &text, kind, &FileFacts::default(), settings),
                kind,
            )
        }
        (What::Manifest, None) if looks_like_compose(&text) => (
            lint_file(
                &item.rel,
                &text,
                FileKind::Compose,
                &facts(walked, opts, &item.abs, FileKind::Compose),
                settings,
            ),
            FileKind::Compose,
        ),
        _ if !settings.any_enabled(InputKind::Text) => return (Vec::new(), None),
        _ => (
            lint_file(
                &item.rel,
                &text,
                FileKind::Text,
                &FileFacts::default(),
                settings,
            ),
            FileKind::Text,
        ),
    };
    suppressed.fetch_add(result.suppressed, Ordering::Relaxed);
    (result.diagnostics, Some(kind.as_str()))
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
            terraform: Vec::new(),
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
            ..FileFacts::default()
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
    fn compose_services_are_judged_by_the_dockerfile_they_build() {
        let found = crate::test_tree::scan_tree(
            &[
                (
                    "api/Dockerfile",
                    "FROM python:3.12-slim\nCMD [\"python\"]\n",
                ),
                (
                    "web/Containerfile",
                    "FROM node:22\nUSER 1000:1000\nCMD [\"node\"]\n",
                ),
                (
                    "deploy/compose.yaml",
                    "services:\n  api:\n    build: ../api\n  web:\n    build:\n      context: ../web\n      dockerfile: Containerfile\n  worker:\n    build: ../missing\n",
                ),
            ],
            Settings::only("CMP020"),
        );
        assert_eq!(
            found,
            [
                "deploy/compose.yaml:3 CMP020 service `api` runs as root: it is built from `api/Dockerfile`, whose final stage has no `USER`, and `python` runs as root (no `user:` here)"
            ]
        );
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
