//! The GitLab CI phase of a scan, before findings stream: each pipeline is read with the files it
//! includes locally (`include: local`, and plain strings naming files of the repository), checked
//! as one configuration, and its findings wait in [`Pending`] for their files' turn.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use cw_linter::{FileKind, Finding, PipelineFile, lint_pipeline, parse_pipeline_file};
use cw_model::gitlab_ci::GitlabCiFile;
use cw_syntax::yaml::YamlFile;
use globset::GlobBuilder;

use crate::kube::Pending;
use crate::scan::{ScanOptions, read_text};
use crate::space::{Space, locate};
use crate::walk::WalkedFile;

/// Included files read for one pipeline, at most.
const MAX_INCLUDES: usize = 150;

/// A file of a pipeline: path relative to the scan base, text, base in the address space.
struct Read {
    path: String,
    text: String,
    base: u32,
}

impl Read {
    fn file(&self) -> PipelineFile<'_> {
        PipelineFile {
            path: &self.path,
            text: &self.text,
            base: self.base,
        }
    }
}

/// Runs the phase for the pipelines `mains` (`.gitlab-ci.yml` files). `files` are the walked
/// files an include may name, by relative path. Findings go into `pending`, keyed by file.
pub(crate) fn run(
    mains: &[&WalkedFile],
    files: &BTreeMap<&str, &PathBuf>,
    opts: &ScanOptions,
    space: &Space,
    pending: &mut HashMap<String, Pending>,
) {
    for main in mains {
        let Ok(text) = read_text(&main.abs, opts.max_file_size) else {
            continue; // The stream reports why.
        };
        let Some(main) = place(&main.rel, text, space, pending) else {
            continue;
        };
        let root = main.path.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
        let includes = read_includes(&main, &root, files, opts, space, pending);
        let included: Vec<PipelineFile<'_>> = includes.iter().map(Read::file).collect();
        let findings = lint_pipeline(main.file(), &included, &opts.settings);
        let mut table: Vec<(u32, u32, String)> = std::iter::once(&main)
            .chain(&includes)
            .map(|r| {
                (
                    r.base,
                    u32::try_from(r.text.len()).unwrap_or(u32::MAX),
                    r.path.clone(),
                )
            })
            .collect();
        table.sort_by_key(|(b, _, _)| *b);
        hand_out(findings, &table, pending);
    }
}

/// Gives `path` its base: the one it already has when another phase placed it.
fn place(
    path: &str,
    text: String,
    space: &Space,
    pending: &mut HashMap<String, Pending>,
) -> Option<Read> {
    let base = if let Some(p) = pending.get(path) {
        p.base
    } else {
        let base = space.place(path, text.len())?;
        pending.insert(
            path.to_owned(),
            Pending {
                base,
                kind: FileKind::GitlabCi,
                ..Pending::default()
            },
        );
        base
    };
    Some(Read {
        path: path.to_owned(),
        text,
        base,
    })
}

/// The files `main` includes locally, at any depth, in GitLab's merge order: a nested include
/// before the file that includes it.
fn read_includes(
    main: &Read,
    root: &str,
    files: &BTreeMap<&str, &PathBuf>,
    opts: &ScanOptions,
    space: &Space,
    pending: &mut HashMap<String, Pending>,
) -> Vec<Read> {
    let mut includes: Vec<Read> = Vec::new();
    // Each file is parsed once; the merge takes copies as the set of files grows.
    let mut ignored = Vec::new();
    let main_yaml = parse_pipeline_file(main.file(), &mut ignored);
    let mut parsed: Vec<YamlFile> = Vec::new();
    loop {
        let included = includes
            .iter()
            .zip(&parsed)
            .map(|(r, yaml)| (r.path.clone(), yaml.clone()))
            .collect();
        let pipeline = GitlabCiFile::with_includes(main_yaml.clone(), included);
        let mut added = false;
        for entry in pipeline.local_includes() {
            for path in resolve(&entry.value, root, files) {
                if path == main.path
                    || includes.iter().any(|r| r.path == path)
                    || includes.len() >= MAX_INCLUDES
                {
                    continue;
                }
                let Some(abs) = files.get(path.as_str()) else {
                    continue;
                };
                let Ok(text) = read_text(abs, opts.max_file_size) else {
                    continue;
                };
                let Some(read) = place(&path, text, space, pending) else {
                    continue;
                };
                // Before the file whose `include:` names it (the main file comes last).
                let at = includes
                    .iter()
                    .position(|r| {
                        let len = u32::try_from(r.text.len()).unwrap_or(u32::MAX);
                        entry.range.start >= r.base && entry.range.start <= r.base + len
                    })
                    .unwrap_or(includes.len());
                parsed.insert(at, parse_pipeline_file(read.file(), &mut ignored));
                includes.insert(at, read);
                added = true;
            }
        }
        if !added {
            return includes;
        }
    }
}

/// The walked files an include path names, relative to the scan base: a path relative to the
/// repository root (the pipeline's directory), or a glob (`*` within a directory, `**` across).
/// Paths with variables are not known.
fn resolve(written: &str, root: &str, files: &BTreeMap<&str, &PathBuf>) -> Vec<String> {
    if written.contains('$') {
        return Vec::new();
    }
    let relative = written.trim_start_matches('/');
    let joined = if root.is_empty() {
        relative.to_owned()
    } else {
        format!("{root}/{relative}")
    };
    if !joined.contains(['*', '?', '[', '{']) {
        return vec![joined];
    }
    let Ok(glob) = GlobBuilder::new(&joined).literal_separator(true).build() else {
        return Vec::new();
    };
    let matcher = glob.compile_matcher();
    // Only the files under the glob's literal directory can match.
    let literal = &joined[..joined.find(['*', '?', '[', '{']).unwrap_or(joined.len())];
    let prefix = &literal[..literal.rfind('/').map_or(0, |i| i + 1)];
    files
        .range(prefix..)
        .take_while(|(p, _)| p.starts_with(prefix))
        .filter(|(p, _)| matcher.is_match(p))
        .map(|(p, _)| (*p).to_owned())
        .collect()
}

/// Hands each finding to the file of `table` that holds it.
fn hand_out(
    findings: Vec<Finding>,
    table: &[(u32, u32, String)],
    pending: &mut HashMap<String, Pending>,
) {
    for f in findings {
        if let Some(i) = locate(table, f.range().start)
            && let Some(p) = pending.get_mut(&table[i].2)
        {
            p.findings.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use cw_linter::Settings;

    use crate::test_tree::scan_tree;

    #[test]
    fn included_files_are_merged_and_findings_land_where_values_are_written() {
        let found = scan_tree(
            &[
                (
                    "app/.gitlab-ci.yml",
                    "include:\n  - local: ci/templates.yml\n  - local: '/ci/jobs/*.yml'\n  - local: $CI_DIR/x.yml\nbuild:\n  extends: .node\n  script: [npm ci]\n",
                ),
                (
                    "app/ci/templates.yml",
                    "include:\n  - local: ci/nested.yml\n.node:\n  image: node:latest\n",
                ),
                ("app/ci/nested.yml", "variables:\n  LOG: debug\n"),
                (
                    "app/ci/jobs/test.yml",
                    "test:\n  image: python\n  script: [pytest]\n",
                ),
                (
                    "app/ci/jobs/deep/skip.yml",
                    "skip:\n  image: ruby\n  script: [rake]\n",
                ),
            ],
            Settings::only("GLC001"),
        );
        let at: Vec<&str> = found
            .iter()
            .map(|f| f.split_once(" GLC001").map_or(f.as_str(), |(at, _)| at))
            .collect();
        // `*` stays within its directory; `ci/jobs/deep/skip.yml` is not included.
        assert_eq!(at, ["app/ci/jobs/test.yml:2", "app/ci/templates.yml:4"]);
    }
}
