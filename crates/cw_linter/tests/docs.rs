//! `docs/rules/` is generated from the registry. This test fails when it is stale; run it with
//! `UPDATE_DOCS=1` to regenerate (`UPDATE_DOCS=1 cargo test -p cw_linter --test docs`).
#![expect(
    clippy::disallowed_methods,
    reason = "the docs check reads and writes docs/rules"
)]

use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn rule_docs_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let files = cw_linter::docs::generate();
    let expected: BTreeSet<String> = files.iter().map(|(n, _)| n.clone()).collect();
    if update {
        std::fs::create_dir_all(&dir).expect("create docs/rules");
        for entry in std::fs::read_dir(&dir).expect("docs/rules") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            if std::path::Path::new(&name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md"))
                && !expected.contains(&name)
            {
                std::fs::remove_file(&path).expect("remove stale page");
            }
        }
    }
    let mut stale = Vec::new();
    for (name, content) in &files {
        let path = dir.join(name);
        if update {
            std::fs::write(&path, content).expect("write docs page");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            stale.push(name.clone());
        }
    }
    let present: BTreeSet<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| {
                    std::path::Path::new(n)
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
                })
                .collect()
        })
        .unwrap_or_default();
    stale.extend(present.difference(&expected).cloned());
    assert!(
        stale.is_empty(),
        "docs/rules is stale ({}); run `UPDATE_DOCS=1 cargo test -p cw_linter --test docs`",
        stale.join(", ")
    );
}
