//! The Kustomize renderer on mutated fixtures: it never panics, and every range of every rendered
//! object and problem lies inside a file the loader gave it (or is the empty range at 0 that a
//! problem without a place carries).
#![expect(
    clippy::disallowed_methods,
    reason = "the test reads its fixtures from disk"
)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cw_diagnostics::TextRange;
use cw_model::kustomize::{Loaded, Loader, kustomization_file_name, render};
use cw_syntax::yaml::Node;
use proptest::prelude::*;

/// Files in memory, each at a base of one address space.
struct Mem {
    files: Vec<(String, String, u32)>,
}

impl Mem {
    fn new(files: Vec<(String, String)>) -> Self {
        let mut base = 0;
        let files = files
            .into_iter()
            .map(|(path, text)| {
                let b = base;
                base += u32::try_from(text.len()).expect("small fixture") + 1;
                (path, text, b)
            })
            .collect();
        Self { files }
    }

    fn contains(&self, r: TextRange) -> bool {
        self.files.iter().any(|(_, text, base)| {
            let len = u32::try_from(text.len()).expect("small fixture");
            r.start >= *base && r.end <= base + len && r.start <= r.end
        })
    }
}

impl Loader for Mem {
    fn load(&self, path: &str) -> Result<Loaded, String> {
        self.files
            .iter()
            .find(|(p, _, _)| p == path)
            .map(|(_, text, base)| Loaded {
                text: Arc::from(text.as_str()),
                base: *base,
            })
            .ok_or_else(|| format!("{path}: not found"))
    }

    fn is_dir(&self, path: &str) -> bool {
        let prefix = format!("{}/", path.trim_end_matches('/'));
        path.is_empty() || path == "." || self.files.iter().any(|(p, _, _)| p.starts_with(&prefix))
    }
}

fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, root, out);
        } else if let Ok(text) = std::fs::read_to_string(&p) {
            let rel = p
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, text));
        }
    }
}

/// Every fixture tree: its files, relative to the tree.
fn trees() -> Vec<Vec<(String, String)>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources/fixtures/kustomize");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    names.sort();
    names
        .iter()
        .map(|tree| {
            let mut files = Vec::new();
            walk(tree, tree, &mut files);
            files
        })
        .collect()
}

const TOKENS: &[&str] = &[
    "\n",
    "- ",
    ": ",
    "  ",
    "{",
    "}",
    "[",
    "]",
    "'",
    "\"",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!str ",
    "---\n",
    "#",
    ",",
    "null",
    "$patch: delete\n",
    "op: remove\n",
    "path: /spec\n",
    "../",
    "resources:\n- ",
    "patches:\n- path: ",
    "namePrefix: x-\n",
    "kind: List\n",
    "\u{feff}",
    "é",
];

fn mutate(seed: &str, edits: &[(prop::sample::Index, usize)]) -> String {
    let mut text = seed.to_owned();
    for (at, token) in edits {
        let mut pos = at.index(text.len() + 1);
        while !text.is_char_boundary(pos) {
            pos -= 1;
        }
        text.insert_str(pos, TOKENS[*token % TOKENS.len()]);
    }
    text
}

fn check_node(mem: &Mem, node: &Node) -> Result<(), TestCaseError> {
    prop_assert!(
        mem.contains(node.range),
        "node range {:?} outside every file",
        node.range
    );
    for item in node.items() {
        check_node(mem, item)?;
    }
    for entry in node.entries() {
        check_node(mem, &entry.key)?;
        check_node(mem, &entry.value)?;
    }
    Ok(())
}

/// Renders every kustomization of the tree and checks the ranges.
fn check_tree(files: Vec<(String, String)>) -> Result<(), TestCaseError> {
    let dirs: Vec<String> = files
        .iter()
        .filter(|(p, _)| kustomization_file_name(p.rsplit('/').next().unwrap_or(p)))
        .map(|(p, _)| p.rsplit_once('/').map_or(".", |(d, _)| d).to_owned())
        .collect();
    let mem = Mem::new(files);
    for dir in dirs {
        let r = render(&dir, &mem);
        for o in &r.objects {
            check_node(&mem, &o.object)?;
        }
        for p in &r.problems {
            prop_assert!(
                p.range == TextRange::empty(0) || mem.contains(p.range),
                "problem {p:?}"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn mutated_kustomize_trees_never_panic(
        tree in any::<prop::sample::Index>(),
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..TOKENS.len()), 1..8),
    ) {
        let trees = trees();
        let mut files = trees[tree.index(trees.len())].clone();
        let i = file.index(files.len());
        files[i].1 = mutate(&files[i].1, &edits);
        check_tree(files)?;
    }
}

#[test]
fn fixture_trees_render_with_ranges_in_their_files() {
    for files in trees() {
        check_tree(files).expect("ranges inside the files");
    }
}
