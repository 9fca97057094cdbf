//! End-to-end tests: the real binary on fixture repositories.

use std::path::{Path, PathBuf};
use std::process::Command;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_cloudwright"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn version_filter(s: &str) -> String {
    s.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

#[test]
fn every_format_on_the_basic_repository() {
    let dir = data("basic");
    for format in ["text", "json", "sarif", "junit", "github", "markdown"] {
        let r = run(&dir, &["scan", "--no-config", "--format", format]);
        assert_eq!(
            r.code, 1,
            "{format}: findings at error severity exit 1\n{}",
            r.stderr
        );
        insta::assert_snapshot!(format!("basic_{format}"), version_filter(&r.stdout));
    }
}

#[test]
fn sarif_output_is_schema_valid() {
    let r = run(
        &data("basic"),
        &["scan", "--no-config", "--format", "sarif"],
    );
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/schemas/sarif-schema-2.1.0.json");
    let schema_text = std::fs::read_to_string(&schema_path)
        .expect("the SARIF schema beside the repository")
        .replace(
            "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
            "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
        );
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let log: serde_json::Value = serde_json::from_str(&r.stdout).expect("SARIF is JSON");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn exit_codes() {
    let dir = data("basic");
    assert_eq!(
        run(&dir, &["scan", "--no-config", "--fail-on", "never"]).code,
        0
    );
    assert_eq!(
        run(&dir, &["scan", "--no-config", "--select", "DKR012"]).code,
        0,
        "info never fails by default"
    );
    assert_eq!(
        run(
            &dir,
            &[
                "scan",
                "--no-config",
                "--select",
                "DKR012",
                "--fail-on",
                "info"
            ]
        )
        .code,
        1
    );
    let bad = run(&dir, &["scan", "--select", "DKR9999"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("unknown rule or prefix `DKR9999`"),
        "{}",
        bad.stderr
    );
    let missing = run(&dir, &["scan", "no/such/dir"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("no/such/dir: no such file or directory"),
        "{}",
        missing.stderr
    );
    assert_eq!(run(&dir, &["scan", "--format", "yaml"]).code, 2);
    assert_eq!(run(&dir, &["--version"]).code, 0);
}

#[test]
fn default_command_is_scan() {
    let dir = data("basic");
    let a = run(&dir, &["--no-config", "--format", "json", "app"]);
    let b = run(&dir, &["scan", "--no-config", "--format", "json", "app"]);
    assert_eq!(a.code, b.code);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn min_severity_hides_but_fail_on_decides() {
    let dir = data("basic");
    let r = run(
        &dir,
        &[
            "scan",
            "--no-config",
            "--min-severity",
            "error",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let findings = v["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["severity"] == "error"));
    assert_eq!(r.code, 1);
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn codes(r: &Run) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json output");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["code"].as_str().unwrap_or(""),
                f["start"]["line"]
            )
        })
        .collect()
}

#[test]
fn baseline_survives_line_shifts_and_reports_new_findings() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    write(
        dir,
        "Dockerfile",
        "FROM python:latest\nUSER root\nCMD [\"python\"]\n",
    );
    let json = ["scan", "--no-config", "--format", "json"];
    let before = codes(&run(dir, &json));
    assert!(
        before.iter().any(|c| c.starts_with("DKR001:1")),
        "{before:?}"
    );
    let w = run(
        dir,
        &["scan", "--no-config", "--write-baseline", "baseline.json"],
    );
    assert_eq!(w.code, 0, "{}", w.stderr);
    // Move every finding ten lines down.
    let shifted = format!(
        "{}FROM python:latest\nUSER root\nCMD [\"python\"]\n",
        "# comment\n".repeat(10)
    );
    write(dir, "Dockerfile", &shifted);
    let mut args = json.to_vec();
    args.extend(["--baseline", "baseline.json"]);
    let after = run(dir, &args);
    assert_eq!(
        codes(&after),
        Vec::<String>::new(),
        "shifted findings stay baselined"
    );
    assert_eq!(after.code, 0);
    // A new finding is reported.
    write(
        dir,
        "Dockerfile",
        &format!("{shifted}ADD app.tar.gz /srv/\nRUN curl -k https://x.example/i.sh | sh\n"),
    );
    let new = codes(&run(dir, &args));
    assert!(!new.is_empty(), "a new finding is reported");
    assert!(new.iter().all(|c| !c.starts_with("DKR001")), "{new:?}");
}

#[test]
fn config_errors_name_file_line_and_key() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(
        tmp.path(),
        "cloudwright.toml",
        "fail-on = \"error\"\nselcet = [\"DKR\"]\n",
    );
    write(tmp.path(), "Dockerfile", "FROM python:3.12\n");
    let r = run(tmp.path(), &["scan"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("cloudwright.toml:2:1: unknown field `selcet`"),
        "{}",
        r.stderr
    );
    write(
        tmp.path(),
        "cloudwright.toml",
        "[severity]\nDKR001 = \"loud\"\n",
    );
    let r = run(tmp.path(), &["scan"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cloudwright.toml:2:10"), "{}", r.stderr);
    write(tmp.path(), "cloudwright.toml", "ignore = [\"DKR0001\"]\n");
    let r = run(tmp.path(), &["scan"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `DKR001`?"), "{}", r.stderr);
    assert_eq!(
        run(tmp.path(), &["scan", "--no-config", "--fail-on", "never"]).code,
        0
    );
}

#[test]
fn config_is_found_upwards_and_applies() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(
        tmp.path(),
        "cloudwright.toml",
        "ignore = [\"DKR004\"]\nexclude = [\"vendor/**\"]\n[severity]\nDKR001 = \"error\"\n\
         [[per-path]]\npaths = [\"old/**\"]\nignore = [\"DKR001\"]\nreason = \"frozen\"\n\
         [[per-path]]\npaths = [\"gone/**\"]\nignore = [\"DKR001\"]\nexpires = 2020-01-01\n",
    );
    let df = "FROM python:latest\nUSER root\nCMD [\"python\"]\n";
    for d in ["svc/a", "old", "gone", "vendor/x"] {
        write(tmp.path(), &format!("{d}/Dockerfile"), df);
    }
    let r = run(&tmp.path().join("svc"), &["scan", "--format", "json", "."]);
    let found = codes(&r);
    assert!(found.contains(&"DKR001:1".to_string()), "{found:?}");
    assert!(
        !found.iter().any(|c| c.starts_with("DKR004")),
        "ignored by config: {found:?}"
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let dkr001 = v["findings"]
        .as_array()
        .expect("array")
        .iter()
        .find(|f| f["code"] == "DKR001");
    assert_eq!(
        dkr001.expect("DKR001")["severity"],
        "error",
        "severity override"
    );
    let r = run(tmp.path(), &["scan", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .expect("array")
        .iter()
        .filter(|f| f["code"] == "DKR001")
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert_eq!(
        paths,
        ["gone/Dockerfile", "svc/a/Dockerfile"],
        "per-path ignores old/, exclude skips vendor/"
    );
    assert!(r.stderr.contains("expired on 2020-01-01"), "{}", r.stderr);
}

#[test]
fn skipped_files_are_findings_not_failures() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(tmp.path(), "cloudwright.toml", "max-file-size = 100\n");
    write(
        tmp.path(),
        "big/Dockerfile",
        &format!("FROM python:3.12\n{}", "# padding\n".repeat(20)),
    );
    std::fs::create_dir_all(tmp.path().join("bin")).expect("mkdir");
    std::fs::write(
        tmp.path().join("bin/Dockerfile"),
        b"FROM python:3.12\n\xff\xfe\n",
    )
    .expect("write");
    let r = run(tmp.path(), &["scan", "--format", "json", "--select", "CW"]);
    assert_eq!(r.code, 0, "CW003 is info: {}", r.stderr);
    assert_eq!(codes(&r), ["CW003:1", "CW003:1"]);
    assert!(r.stdout.contains("size cap"), "{}", r.stdout);
    assert!(r.stdout.contains("not UTF-8"), "{}", r.stdout);
}

#[test]
fn rules_and_rule() {
    let dir = data("basic");
    let r = run(&dir, &["rules", "--format", "json"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert!(
        v.as_array()
            .expect("array")
            .iter()
            .any(|r| r["code"] == "DKR001")
    );
    let page = run(&dir, &["rule", "base-image-latest-tag"]);
    assert_eq!(page.code, 0);
    assert!(
        page.stdout.starts_with("# DKR001 base-image-latest-tag"),
        "{}",
        page.stdout
    );
    assert_eq!(run(&dir, &["rule", "DKR001"]).stdout, page.stdout);
    let unknown = run(&dir, &["rule", "DKR0001"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn fix_previews_and_applies() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let original = "FROM debian:12\nRUN apt-get update && apt-get install curl\nUSER 1000\n";
    write(tmp.path(), "Dockerfile", original);
    let diff = run(tmp.path(), &["fix", "--no-config", "--diff"]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    assert!(
        diff.stdout.contains("+RUN apt-get update"),
        "{}",
        diff.stdout
    );
    let unchanged = std::fs::read_to_string(tmp.path().join("Dockerfile")).expect("read");
    assert_eq!(unchanged, original, "--diff writes nothing");
    let r = run(tmp.path(), &["fix", "--no-config"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let fixed = std::fs::read_to_string(tmp.path().join("Dockerfile")).expect("read");
    assert_ne!(fixed, original);
    let again = run(tmp.path(), &["fix", "--no-config", "--diff"]);
    assert_eq!(again.stdout, "", "fixes converged");
}

#[test]
fn dockerignore_is_looked_up_beside_and_above_the_dockerfile() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(
        tmp.path(),
        "svc/api/Dockerfile",
        "FROM python:3.12\nCOPY . /app\nUSER 1000\n",
    );
    let args = [
        "scan",
        "--no-config",
        "--select",
        "DKR011",
        "--format",
        "json",
    ];
    assert_eq!(codes(&run(tmp.path(), &args)), ["DKR011:2"]);
    assert_eq!(
        codes(&run(
            tmp.path(),
            &[
                "scan",
                "--no-config",
                "--select",
                "DKR011",
                "--format",
                "json",
                "svc/api/Dockerfile"
            ]
        )),
        ["DKR011:2"]
    );
    write(tmp.path(), "svc/.dockerignore", ".git\n");
    assert_eq!(
        codes(&run(tmp.path(), &args)),
        Vec::<String>::new(),
        "a parent's .dockerignore applies"
    );
    assert_eq!(
        codes(&run(
            tmp.path(),
            &[
                "scan",
                "--no-config",
                "--select",
                "DKR011",
                "--format",
                "json",
                "svc/api/Dockerfile"
            ]
        )),
        Vec::<String>::new()
    );
}

/// `--var-file` and `--var` set variables of every root module, after `terraform.tfvars` and
/// `[terraform] var-files`, with `--var` last; a variable they leave unset stays unknown.
#[test]
fn terraform_variables_from_the_command_line_and_the_config() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    write(
        dir,
        "infra/main.tf",
        "variable \"public\" {}\nvariable \"encrypted\" {}\n\nresource \"aws_db_instance\" \"db\" {\n  engine              = \"postgres\"\n  publicly_accessible = var.public\n  storage_encrypted   = var.encrypted\n}\n",
    );
    write(dir, "envs/prod.tfvars", "public = true\nencrypted = true\n");
    write(dir, "envs/unencrypted.tfvars", "encrypted = false\n");
    let select = [
        "scan",
        "--format",
        "json",
        "--select",
        "AWS041,AWS042",
        "infra",
    ];
    let unknown = run(dir, &select);
    assert_eq!(codes(&unknown), Vec::<String>::new(), "{}", unknown.stderr);

    let mut args = select.to_vec();
    args.extend(["--var-file", "envs/prod.tfvars"]);
    assert_eq!(codes(&run(dir, &args)), ["AWS042:6"]);
    args.extend(["--var-file", "envs/unencrypted.tfvars"]);
    assert_eq!(codes(&run(dir, &args)), ["AWS042:6", "AWS041:7"]);
    args.extend(["--var", "public=false"]);
    assert_eq!(codes(&run(dir, &args)), ["AWS041:7"]);

    // The config's var-files come first, relative to the config file.
    write(
        dir,
        "cloudwright.toml",
        "[terraform]\nvar-files = [\"envs/prod.tfvars\"]\n",
    );
    assert_eq!(codes(&run(dir, &select)), ["AWS042:6"]);

    let bad = run(dir, &["scan", "infra", "--var", "no-equals-sign"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("--var `no-equals-sign`: expected NAME=VALUE"),
        "{}",
        bad.stderr
    );
    let missing = run(dir, &["scan", "infra", "--var-file", "nope.tfvars"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("--var-file: cannot read `nope.tfvars`"),
        "{}",
        missing.stderr
    );
}
