//! The YAML and HCL layers on arbitrary and mutated text: never a panic, and every range they
//! return lies inside the text, on character boundaries.
#![expect(
    clippy::disallowed_methods,
    reason = "tests read their seed fixtures from disk"
)]

use std::path::{Path, PathBuf};

use cw_diagnostics::TextRange;
use cw_syntax::hcl::{self, Body};
use cw_syntax::yaml::{Node, YamlFile, parse_json, parse_yaml};
use proptest::prelude::*;

fn in_text(src: &str, r: TextRange) -> Result<(), TestCaseError> {
    prop_assert!(
        r.start <= r.end && r.end as usize <= src.len(),
        "{r:?} outside {} bytes",
        src.len()
    );
    prop_assert!(
        src.is_char_boundary(r.start as usize) && src.is_char_boundary(r.end as usize),
        "{r:?} splits a character"
    );
    Ok(())
}

fn yaml_node(src: &str, node: &Node) -> Result<(), TestCaseError> {
    in_text(src, node.range)?;
    for item in node.items() {
        yaml_node(src, item)?;
    }
    for entry in node.entries() {
        yaml_node(src, &entry.key)?;
        yaml_node(src, &entry.value)?;
        in_text(src, entry.range())?;
    }
    Ok(())
}

fn yaml_file(src: &str, file: &YamlFile) -> Result<(), TestCaseError> {
    for doc in &file.documents {
        in_text(src, doc.range)?;
        yaml_node(src, &doc.root)?;
    }
    for r in file
        .comments
        .iter()
        .chain(file.errors.iter().map(|e| &e.range))
    {
        in_text(src, *r)?;
    }
    for d in &file.duplicate_keys {
        in_text(src, d.first)?;
        in_text(src, d.duplicate)?;
    }
    Ok(())
}

fn hcl_body(src: &str, body: &Body) -> Result<(), TestCaseError> {
    for a in &body.attributes {
        in_text(src, a.range)?;
        in_text(src, a.name.range)?;
        in_text(src, a.value.range)?;
    }
    for b in &body.blocks {
        in_text(src, b.range)?;
        in_text(src, b.kind.range)?;
        for l in &b.labels {
            in_text(src, l.range)?;
        }
        hcl_body(src, &b.body)?;
    }
    Ok(())
}

fn check_yaml(src: &str) -> Result<(), TestCaseError> {
    yaml_file(src, &parse_yaml(src))?;
    yaml_file(src, &parse_json(src))
}

fn check_hcl(src: &str) -> Result<(), TestCaseError> {
    for file in [hcl::parse_hcl(src), hcl::parse_tf_json(src)] {
        hcl_body(src, &file.body)?;
        for e in &file.errors {
            in_text(src, e.range)?;
        }
    }
    Ok(())
}

fn files_under(dir: &Path, ext: &[&str], out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if ext.iter().any(|e| p.to_string_lossy().ends_with(e))
            && let Ok(text) = std::fs::read_to_string(&p)
        {
            out.push(text);
        }
    }
}

/// Seeds: the repository's own YAML and JSON fixtures, or its Terraform fixtures.
fn seeds(hcl: bool) -> Vec<String> {
    let crates = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    if hcl {
        files_under(
            &crates.join("cw_model/resources/fixtures/terraform"),
            &[".tf", ".tfvars", ".tf.json"],
            &mut out,
        );
    } else {
        files_under(
            &crates.join("cw_linter/resources/fixtures/kubernetes"),
            &[".yaml", ".json"],
            &mut out,
        );
        files_under(
            &crates.join("cw_linter/resources/fixtures/compose"),
            &[".yaml"],
            &mut out,
        );
    }
    assert!(!out.is_empty(), "seed fixtures found");
    out
}

const YAML_TOKENS: &[&str] = &[
    "\n",
    "- ",
    ": ",
    "  ",
    "\t",
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
    "!Ref ",
    "---\n",
    "...\n",
    "#",
    ",",
    "|\n",
    ">-\n",
    "? ",
    "%YAML 1.2\n",
    "\u{feff}",
    "é",
    "\\u00",
];

const HCL_TOKENS: &[&str] = &[
    "\n",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "${",
    "%{",
    "<<EOT\n",
    "EOT\n",
    "<<-X\n",
    "=",
    ":",
    " for x in y : ",
    "?",
    " && ",
    ".*",
    "[*]",
    "#",
    "//",
    "/*",
    "*/",
    "\\",
    "é",
    "\u{feff}",
    ",",
];

fn mutate(seed: &str, tokens: &[&str], edits: &[(prop::sample::Index, usize)]) -> String {
    let mut text = seed.to_owned();
    for (at, token) in edits {
        let mut pos = at.index(text.len() + 1);
        while !text.is_char_boundary(pos) {
            pos -= 1;
        }
        text.insert_str(pos, tokens[*token % tokens.len()]);
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(src in any::<String>()) {
        check_yaml(&src)?;
        check_hcl(&src)?;
    }

    #[test]
    fn mutated_yaml_never_panics(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..YAML_TOKENS.len()), 1..10),
    ) {
        let seeds = seeds(false);
        check_yaml(&mutate(&seeds[seed.index(seeds.len())], YAML_TOKENS, &edits))?;
    }

    #[test]
    fn mutated_hcl_never_panics(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..HCL_TOKENS.len()), 1..10),
    ) {
        let seeds = seeds(true);
        check_hcl(&mutate(&seeds[seed.index(seeds.len())], HCL_TOKENS, &edits))?;
    }

    #[test]
    fn deep_nesting_never_overflows(depth in 1usize..3000, open in 0usize..4) {
        let (o, c) = [("[", "]"), ("{", "}"), ("(", ")"), ("- ", "")][open];
        let src = format!("a = {}1{}\n", o.repeat(depth), c.repeat(depth));
        check_yaml(&src)?;
        check_hcl(&src)?;
    }
}
