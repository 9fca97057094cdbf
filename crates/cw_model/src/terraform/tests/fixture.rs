//! The fixture tree under `resources/fixtures/terraform/eval/`: a root module with tfvars, two
//! local modules, `count`, `for_each`, `dynamic`, a template file and a data source.
#![expect(
    clippy::disallowed_methods,
    reason = "the test reads its fixture tree from disk"
)]

use std::path::{Path, PathBuf};

use super::render;
use crate::terraform::{
    BlockLookup, Evaluation, InstanceKey, Loader, Options, ProblemKind, Setting, SourceFile, Value,
    evaluate,
};

struct Disk;

impl Loader for Disk {
    fn module_files(&self, dir: &str) -> Option<Vec<SourceFile>> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).ok()? {
            let path = entry.ok()?.path();
            let name = path.to_string_lossy().into_owned();
            let wanted = [".tf", ".tf.json", ".tfvars", ".tfvars.json"];
            if path.is_file() && wanted.iter().any(|ext| name.ends_with(ext)) {
                files.push(SourceFile::new(name, std::fs::read_to_string(&path).ok()?));
            }
        }
        Some(files)
    }

    fn read_file(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
}

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/fixtures/terraform/eval/root")
}

fn evaluated() -> Evaluation {
    let root = fixture_root();
    let dir = root.to_string_lossy().into_owned();
    let files = Disk.module_files(&dir).expect("fixture root");
    evaluate(&dir, &files, &Options::default(), &Disk)
}

#[test]
fn fixture_evaluates_without_problems() {
    let e = evaluated();
    assert!(e.problems.is_empty(), "{:#?}", e.problems);
    let paths: Vec<&str> = e.modules().iter().map(|m| m.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "",
            "module.network",
            "module.buckets[\"assets\"]",
            "module.buckets[\"logs\"]"
        ]
    );
}

#[test]
fn variables_come_from_tfvars_and_defaults() {
    let e = evaluated();
    let region = e.root.variable("region").expect("region");
    assert_eq!(
        render(&region.value.value),
        "\"eu-west-1\"",
        "prod.auto.tfvars wins over the default"
    );
    let (source, _) = e.sources.locate(region.value.range).expect("located");
    assert!(source.path.ends_with("prod.auto.tfvars"));
    let buckets = e.root.variable("buckets").expect("buckets");
    assert_eq!(
        render(&buckets.value.value),
        r#"{"assets":{"public":true,"rules":[],"versioning":false},"logs":{"public":false,"rules":[{"days":30,"id":"expire"},{"days":90,"id":"archive"}],"versioning":true}}"#
    );
    assert_eq!(
        e.root
            .variable("admin_cidrs")
            .expect("admin_cidrs")
            .value
            .value,
        Value::Unknown
    );
}

#[test]
fn resources_are_expanded_with_their_values() {
    let e = evaluated();
    let web: Vec<_> = e.root.resources_of("aws_instance").collect();
    assert_eq!(web.len(), 2);
    assert_eq!(web[1].address, "aws_instance.web[1]");
    assert_eq!(web[1].key, InstanceKey::Index(1));
    assert_eq!(
        web[1].attr("instance_type").and_then(|v| v.value.as_str()),
        Some("m5.large")
    );
    assert_eq!(
        web[1].attr("ami").map(|v| &v.value),
        Some(&Value::Unknown),
        "from a data source"
    );
    assert_eq!(
        web[1].attr("subnet_id").and_then(|v| v.value.as_str()),
        Some("10.0.1.0/24")
    );
    assert_eq!(
        web[0].attr("user_data").and_then(|v| v.value.as_str()),
        Some("#!/bin/sh\necho \"prod-shop-0\"\nopen 80\nopen 443\n")
    );
    let rbd = web[0]
        .block("root_block_device")
        .present()
        .expect("root_block_device");
    assert_eq!(
        rbd.attr("encrypted").and_then(|v| v.value.as_bool()),
        Some(true)
    );
    assert_eq!(
        render(&web[0].attr("tags").expect("tags").value),
        r#"{"Application":"shop","Environment":"prod","ManagedBy":"terraform","Name":"prod-shop-web-0"}"#
    );

    let sg = e.root.resource("aws_security_group.web").expect("sg");
    let ingress: Vec<_> = sg.blocks("ingress").collect();
    assert_eq!(ingress.len(), 3);
    assert_eq!(
        ingress[0]
            .attr("description")
            .and_then(|v| v.value.as_str()),
        Some("HTTP")
    );
    assert_eq!(
        render(&ingress[1].attr("from_port").expect("port").value),
        "443"
    );
    assert!(
        matches!(ingress[2].setting("cidr_blocks"), Setting::Unknown(_)),
        "admin_cidrs is unset"
    );
    assert_eq!(sg.attr("vpc_id").map(|v| &v.value), Some(&Value::Unknown));
}

#[test]
fn module_instances_see_their_arguments() {
    let e = evaluated();
    let modules = e.modules();
    let network = modules
        .iter()
        .find(|m| m.path == "module.network")
        .expect("network");
    let subnets: Vec<_> = network
        .resources_of("aws_subnet")
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(
        subnets,
        [
            "module.network.aws_subnet.private[\"eu-west-1a\"]",
            "module.network.aws_subnet.private[\"eu-west-1b\"]"
        ]
    );
    let logs = modules
        .iter()
        .find(|m| m.path == "module.buckets[\"logs\"]")
        .expect("logs");
    let bucket = logs.resource("aws_s3_bucket.this").expect("bucket");
    assert_eq!(
        bucket.attr("bucket").and_then(|v| v.value.as_str()),
        Some("prod-shop-logs")
    );
    assert_eq!(logs.resources_of("aws_s3_bucket_versioning").count(), 1);
    let lifecycle = logs
        .resource("aws_s3_bucket_lifecycle_configuration.this[0]")
        .expect("lifecycle");
    let days: Vec<String> = lifecycle
        .blocks("rule")
        .map(|r| match r.block("expiration") {
            BlockLookup::Present(b) => render(&b.attr("days").expect("days").value),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(days, ["30", "90"]);
    let assets = modules
        .iter()
        .find(|m| m.path == "module.buckets[\"assets\"]")
        .expect("assets");
    assert_eq!(assets.resources_of("aws_s3_bucket_versioning").count(), 0);
    let pab = assets
        .resource("aws_s3_bucket_public_access_block.this")
        .expect("pab");
    assert_eq!(
        pab.attr("block_public_acls")
            .and_then(|v| v.value.as_bool()),
        Some(false)
    );
    let call = assets.call.as_ref().expect("call");
    assert!(e.sources.text(call.range).starts_with("module \"buckets\""));
}

#[test]
fn outputs_and_settings() {
    let e = evaluated();
    assert_eq!(
        render(&e.root.output("subnets").expect("subnets").value.value),
        r#"["10.0.0.0/24","10.0.1.0/24"]"#
    );
    assert_eq!(
        render(&e.root.output("bucket_names").expect("names").value.value),
        r#"["prod-shop-assets","prod-shop-logs"]"#
    );
    assert_eq!(
        render(&e.root.output("bucket_arns").expect("arns").value.value),
        "partial {assets = (unknown), logs = (unknown)}"
    );
    let t = &e.root.terraform[0];
    assert_eq!(
        t.backend.as_ref().map(|b| b.kind.value.as_str()),
        Some("s3")
    );
    let provider = &e.root.providers[0];
    assert_eq!(
        provider.body.attr("region").and_then(|v| v.value.as_str()),
        Some("eu-west-1")
    );
    assert!(e.problems.iter().all(|p| p.kind != ProblemKind::Syntax));
}
