//! YAML and JSON: never a panic or a hang, every range inside the text on char boundaries, and the
//! tree helpers work on whatever comes out.
//!
//! `cargo +nightly fuzz run yaml` (from `crates/cw_syntax`).

#![no_main]

use cw_diagnostics::TextRange;
use cw_syntax::yaml::{Node, YamlFile, parse_json, parse_yaml};
use libfuzzer_sys::fuzz_target;

fn check(src: &str, r: TextRange) {
    assert!(r.start <= r.end && r.end as usize <= src.len(), "{r:?}");
    assert!(
        src.is_char_boundary(r.start as usize) && src.is_char_boundary(r.end as usize),
        "{r:?}"
    );
}

fn walk(src: &str, node: &Node) {
    check(src, node.range);
    if let Some(alias) = node.alias {
        check(src, alias);
    }
    for item in node.items() {
        walk(src, item);
    }
    for entry in node.entries() {
        walk(src, &entry.key);
        walk(src, &entry.value);
        check(src, entry.range());
    }
}

fn check_file(src: &str, file: &YamlFile) {
    for doc in &file.documents {
        check(src, doc.range);
        walk(src, &doc.root);
        let _ = doc.root.pointer("/a/0/b");
    }
    for r in file
        .comments
        .iter()
        .chain(file.errors.iter().map(|e| &e.range))
    {
        check(src, *r);
    }
    for d in &file.duplicate_keys {
        check(src, d.first);
        check(src, d.duplicate);
    }
    for offset in (0..=src.len() as u32).step_by(7) {
        let _ = file.node_at(offset);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    check_file(src, &parse_yaml(src));
    check_file(src, &parse_json(src));
});
