//! The SARIF output validates against the OASIS SARIF 2.1.0 schema.

mod common;

use common::{empty_report, render, report};
use cw_render::{Format, RenderOptions};
use serde_json::Value;

/// The schema lives in `shared/` beside the repository (`<repo>/../shared`).
const SCHEMA_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/schemas/sarif-schema-2.1.0.json"
);

/// The schema's `language` pattern, which the Rust `regex` engine rejects, and an equivalent.
const BAD_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
const GOOD_PATTERN: &str = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$";

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(SCHEMA_PATH)
        .unwrap_or_else(|e| panic!("cannot read {SCHEMA_PATH}: {e}"));
    assert!(
        text.contains(BAD_PATTERN),
        "the schema changed: revisit the patch"
    );
    let schema: Value =
        serde_json::from_str(&text.replace(BAD_PATTERN, GOOD_PATTERN)).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn sarif(report: &cw_diagnostics::ScanReport) -> Value {
    let out = render(report, Format::Sarif, RenderOptions::default());
    serde_json::from_str(&out).expect("SARIF is JSON")
}

fn errors(validator: &jsonschema::Validator, log: &Value) -> Vec<String> {
    validator
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn sarif_output_is_valid() {
    let validator = validator();
    for log in [sarif(&report()), sarif(&empty_report())] {
        assert_eq!(errors(&validator, &log), Vec::<String>::new());
    }
}

#[test]
fn broken_sarif_is_rejected() {
    let validator = validator();
    let mut log = sarif(&report());
    log["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!errors(&validator, &log).is_empty(), "level `fatal` passed");

    let mut log = sarif(&report());
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!errors(&validator, &log).is_empty(), "startLine 0 passed");
}

/// What GitHub code scanning relies on beyond the schema.
#[test]
fn sarif_descriptors_and_results() {
    let log = sarif(&report());
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 6, "a descriptor for every registry rule");
    for result in run["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex");
        let rule = &rules[usize::try_from(index).expect("small")];
        assert_eq!(rule["id"], result["ruleId"]);
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
            "%SRCROOT%"
        );
        assert!(result["partialFingerprints"]["cloudwright/v1"].is_string());
    }
    let aws = rules.iter().find(|r| r["id"] == "AWS001").expect("AWS001");
    assert_eq!(aws["properties"]["security-severity"], "8.0");
    assert_eq!(
        aws["properties"]["tags"],
        serde_json::json!(["security", "aws"])
    );
    let pip = rules.iter().find(|r| r["id"] == "DKR014").expect("DKR014");
    assert!(pip["properties"].get("security-severity").is_none());
}
