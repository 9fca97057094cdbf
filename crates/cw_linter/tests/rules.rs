//! Every fixture under `resources/fixtures/` is linted with only the rule its name starts with,
//! and the findings and fixes are snapshot-tested.
#![expect(clippy::disallowed_methods, reason = "tests read their fixtures")]

use std::path::Path;

#[test]
fn rule_fixtures() {
    insta::glob!("../resources/fixtures", "**/*.*", |path: &Path| {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name");
        let text = std::fs::read_to_string(path).expect("readable fixture");
        insta::assert_snapshot!(cw_linter::test_support::lint_and_fix(name, &text));
    });
}

/// Every rule has a fixture, and every fixture belongs to a rule.
#[test]
fn fixtures_match_rules() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/fixtures");
    let mut codes = std::collections::HashSet::new();
    for format in std::fs::read_dir(&dir).expect("fixtures dir") {
        for f in std::fs::read_dir(format.expect("entry").path()).expect("format dir") {
            let name = f.expect("entry").file_name().to_string_lossy().into_owned();
            let code = cw_linter::test_support::code_from_fixture(&name).to_string();
            assert!(
                cw_linter::rule_by_code_or_name(&code).is_some(),
                "fixture {name} names no rule"
            );
            codes.insert(code);
        }
    }
    for r in cw_linter::RULES {
        if r.input != cw_linter::InputKind::Tool {
            assert!(
                codes.contains(r.meta.code),
                "{} has no fixture",
                r.meta.code
            );
        }
    }
}

/// A rule that never fires on its own fixtures is not implemented, or its fixtures test nothing.
#[test]
fn every_rule_fires_on_its_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/fixtures");
    let mut fired = std::collections::HashSet::new();
    for format in std::fs::read_dir(&dir).expect("fixtures dir") {
        for f in std::fs::read_dir(format.expect("entry").path()).expect("format dir") {
            let path = f.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("utf-8")
                .to_string();
            let text = std::fs::read_to_string(&path).expect("readable");
            let code = cw_linter::test_support::code_from_fixture(&name);
            let kind = cw_linter::test_support::kind_from_fixture(&name).expect("known kind");
            let facts = cw_linter::test_support::facts_from_fixture(&text);
            let result = cw_linter::lint_file(
                &name,
                &text,
                kind,
                &facts,
                &cw_linter::test_support::settings_for_fixture(code, &text),
            );
            if !result.diagnostics.is_empty() {
                fired.insert(code.to_string());
            }
        }
    }
    for r in cw_linter::RULES {
        if r.input != cw_linter::InputKind::Tool {
            assert!(
                fired.contains(r.meta.code),
                "{} reports nothing on its fixtures",
                r.meta.code
            );
        }
    }
}
