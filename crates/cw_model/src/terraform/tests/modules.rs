//! Module-level evaluation: variables and their sources, locals, expansion, references, module
//! calls, budgets.

use std::collections::BTreeMap;

use super::{local, render, run, run_with};
use crate::terraform::{
    BlockLookup, CliInput, InstanceKey, Limits, ModuleSourceKind, Options, ProblemKind, SourceFile,
    Value, ValueSource,
};

fn kinds(e: &crate::terraform::Evaluation) -> Vec<ProblemKind> {
    e.problems.iter().map(|p| p.kind).collect()
}

#[test]
fn variables_defaults_types_and_optional_attributes() {
    let src = r#"
variable "n" {
  type    = number
  default = "5"
}
variable "cfg" {
  type = list(object({
    name = string
    port = optional(number, 80)
    tags = optional(map(string))
  }))
  default = [{ name = "a" }, { name = "b", port = 8080, tags = { x = "y" } }]
}
variable "s" {
  type    = set(string)
  default = ["b", "a", "b"]
}
variable "nn" {
  default  = "d"
  nullable = false
}
variable "bad" {
  type    = number
  default = "x"
}
locals {
  n    = var.n + 1
  cfg  = var.cfg
  s    = var.s
}
"#;
    let e = run(&[("variables.tf", src)]);
    assert_eq!(render(&local(&e, "n").value), "6");
    assert_eq!(
        render(&local(&e, "cfg").value),
        r#"[{"name":"a","port":80,"tags":null},{"name":"b","port":8080,"tags":{"x":"y"}}]"#
    );
    assert_eq!(render(&local(&e, "s").value), r#"["a","b"]"#);
    let bad = e.root.variable("bad").expect("bad");
    assert_eq!(bad.value.value, Value::Unknown);
    assert!(kinds(&e).contains(&ProblemKind::Invalid));
    let n = e.root.variable("n").expect("n");
    assert_eq!(n.source, ValueSource::Default);
    assert_eq!(e.sources.text(n.value.range), "\"5\"");
}

#[test]
fn variable_sources_apply_in_terraform_order() {
    let main = r#"
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "list" { type = list(string) }
variable "raw" {}
"#;
    let mut env = BTreeMap::new();
    env.insert("TF_VAR_a".to_owned(), "env".to_owned());
    env.insert("TF_VAR_b".to_owned(), "env".to_owned());
    env.insert("TF_VAR_list".to_owned(), r#"["x", "y"]"#.to_owned());
    env.insert("TF_VAR_raw".to_owned(), r#"["not", "parsed"]"#.to_owned());
    env.insert("HOME".to_owned(), "/root".to_owned());
    let options = Options {
        env,
        cli: vec![
            CliInput::VarFile(SourceFile::new(
                "prod.tfvars",
                "d = \"var-file\"\ne = \"var-file\"\n",
            )),
            CliInput::Var("e=cli".to_owned()),
        ],
        ..Options::default()
    };
    let e = run_with(
        &[
            ("main.tf", main),
            ("terraform.tfvars", "b = \"tfvars\"\nc = \"tfvars\"\n"),
            ("b.auto.tfvars.json", r#"{"c": "auto-json"}"#),
            ("a.auto.tfvars", "c = \"auto\"\n"),
            ("other.tfvars", "a = \"never\"\n"),
        ],
        &options,
    );
    let get = |n: &str| {
        let v = e.root.variable(n).unwrap_or_else(|| panic!("{n}"));
        (render(&v.value.value), v.source.clone())
    };
    assert_eq!(get("a"), ("\"env\"".into(), ValueSource::Environment));
    assert_eq!(
        get("b"),
        (
            "\"tfvars\"".into(),
            ValueSource::File("terraform.tfvars".into())
        )
    );
    assert_eq!(
        get("c"),
        (
            "\"auto-json\"".into(),
            ValueSource::File("b.auto.tfvars.json".into())
        )
    );
    assert_eq!(
        get("d"),
        (
            "\"var-file\"".into(),
            ValueSource::CliFile("prod.tfvars".into())
        )
    );
    assert_eq!(get("e"), ("\"cli\"".into(), ValueSource::Cli));
    assert_eq!(get("list").0, r#"["x","y"]"#);
    assert_eq!(get("raw").0, r#""[\"not\", \"parsed\"]""#);
    let e_var = e.root.variable("e").expect("e");
    assert_eq!(e.sources.text(e_var.value.range), "cli");
    assert!(e.problems.is_empty(), "{:?}", e.problems);
}

#[test]
fn locals_in_any_order_and_cycles() {
    let src = r"
locals {
  c = local.b * 2
  b = local.a + 1
  a = 1
  x = local.y
  y = local.x
  z = local.x
  w = 3
}
";
    let e = run(&[("main.tf", src)]);
    assert_eq!(render(&local(&e, "c").value), "4");
    assert_eq!(local(&e, "x").value, Value::Unknown);
    assert_eq!(local(&e, "y").value, Value::Unknown);
    assert_eq!(local(&e, "z").value, Value::Unknown);
    assert_eq!(render(&local(&e, "w").value), "3");
    let cycles: Vec<_> = e
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Cycle)
        .collect();
    assert_eq!(cycles.len(), 2, "{:?}", e.problems);
    assert!(cycles[0].message.contains("local.x, local.y"));
}

#[test]
fn count_and_for_each_instances_are_addressed_like_terraform() {
    let src = r#"
variable "names" { default = ["b", "a"] }
resource "aws_s3_bucket" "counted" {
  count  = 2
  bucket = "bucket-${count.index}"
}
resource "aws_s3_bucket" "each" {
  for_each = toset(var.names)
  bucket   = "${each.key}-${each.value}"
}
resource "aws_s3_bucket" "mapped" {
  for_each = { x = { acl = "private" }, y = { acl = "public-read" } }
  acl      = each.value.acl
}
resource "aws_s3_bucket" "none" {
  count = 0
}
locals {
  ids    = aws_s3_bucket.counted[*].bucket
  keys   = keys(aws_s3_bucket.each)
  acls   = { for k, b in aws_s3_bucket.mapped : k => b.acl }
  arn    = aws_s3_bucket.counted[0].arn
}
"#;
    let e = run(&[("main.tf", src)]);
    let addrs: Vec<&str> = e
        .root
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(
        addrs,
        [
            "aws_s3_bucket.counted[0]",
            "aws_s3_bucket.counted[1]",
            "aws_s3_bucket.each[\"a\"]",
            "aws_s3_bucket.each[\"b\"]",
            "aws_s3_bucket.mapped[\"x\"]",
            "aws_s3_bucket.mapped[\"y\"]",
        ]
    );
    let r = e
        .root
        .resource("aws_s3_bucket.each[\"a\"]")
        .expect("each a");
    assert_eq!(r.key, InstanceKey::Key("a".into()));
    assert_eq!(r.attr("bucket").and_then(|v| v.value.as_str()), Some("a-a"));
    assert_eq!(
        e.root
            .resource("aws_s3_bucket.counted[1]")
            .and_then(|r| r.attr("bucket"))
            .and_then(|v| v.value.as_str()),
        Some("bucket-1")
    );
    assert_eq!(
        render(&local(&e, "ids").value),
        r#"["bucket-0","bucket-1"]"#
    );
    assert_eq!(render(&local(&e, "keys").value), r#"["a","b"]"#);
    assert_eq!(
        render(&local(&e, "acls").value),
        r#"{"x":"private","y":"public-read"}"#
    );
    assert_eq!(local(&e, "arn").value, Value::Unknown);
    let acl = e
        .root
        .resource("aws_s3_bucket.mapped[\"y\"]")
        .and_then(|r| r.attr("acl"))
        .expect("acl");
    assert_eq!(
        e.sources.text(acl.range),
        "\"public-read\"",
        "the value points where it was written"
    );
    assert!(e.problems.is_empty(), "{:?}", e.problems);
}

#[test]
fn dynamic_blocks_expand_into_the_blocks_they_generate() {
    let src = r#"
variable "rules" {
  default = [{ port = 80, cidrs = ["0.0.0.0/0"] }, { port = 443, cidrs = [] }]
}
resource "aws_security_group" "sg" {
  name = "web"
  ingress {
    from_port = 22
  }
  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      cidr_blocks = rule.value.cidrs
      dynamic "tag" {
        for_each = rule.value.cidrs
        content { value = tag.value }
      }
    }
  }
  dynamic "egress" {
    for_each = []
    content { from_port = 0 }
  }
}
"#;
    let e = run(&[("main.tf", src)]);
    let sg = e.root.resource("aws_security_group.sg").expect("sg");
    let ports: Vec<String> = sg
        .blocks("ingress")
        .map(|b| render(&b.attr("from_port").expect("port").value))
        .collect();
    assert_eq!(ports, ["22", "80", "443"]);
    let second = sg.blocks("ingress").nth(1).expect("generated");
    assert_eq!(second.blocks("tag").count(), 1);
    assert_eq!(sg.block("egress"), BlockLookup::Absent);
    assert!(e.problems.is_empty(), "{:?}", e.problems);
}

#[test]
fn references_between_resources_know_configured_attributes_only() {
    let src = r#"
resource "aws_s3_bucket" "b" {
  bucket = "logs"
  tags   = { env = "prod" }
  versioning {
    enabled = true
  }
}
resource "aws_s3_bucket_acl" "acl" {
  bucket  = aws_s3_bucket.b.bucket
  id_ref  = aws_s3_bucket.b.id
  env     = aws_s3_bucket.b.tags.env
  enabled = aws_s3_bucket.b.versioning[0].enabled
  missing = aws_s3_bucket.b.logging
}
"#;
    let e = run(&[("main.tf", src)]);
    let acl = e.root.resource("aws_s3_bucket_acl.acl").expect("acl");
    assert_eq!(
        render(&acl.attr("bucket").expect("bucket").value),
        "\"logs\""
    );
    assert_eq!(acl.attr("id_ref").expect("id").value, Value::Unknown);
    assert_eq!(render(&acl.attr("env").expect("env").value), "\"prod\"");
    assert_eq!(render(&acl.attr("enabled").expect("enabled").value), "true");
    assert_eq!(acl.attr("missing").expect("missing").value, Value::Unknown);
}

#[test]
fn path_and_workspace() {
    let options = Options {
        workspace: "staging".to_owned(),
        ..Options::default()
    };
    let e = run_with(
        &[
            (
                "main.tf",
                "module \"m\" {\n  source = \"./mods/m\"\n}\nlocals {\n  p = [path.module, path.root, path.cwd, terraform.workspace]\n  child = module.m.p\n}\n",
            ),
            (
                "mods/m/main.tf",
                "output \"p\" {\n  value = [path.module, path.root]\n}\n",
            ),
        ],
        &options,
    );
    assert_eq!(render(&local(&e, "p").value), r#"[".",".",".","staging"]"#);
    assert_eq!(render(&local(&e, "child").value), r#"["mods/m","."]"#);
}

#[test]
fn local_modules_are_instantiated_with_arguments_and_outputs_flow_back() {
    let root = r#"
module "single" {
  source = "./modules/bucket"
  name   = "one"
}
module "many" {
  source   = "./modules/bucket"
  for_each = toset(["x", "y"])
  name     = each.key
  acl      = "public-read"
}
module "counted" {
  source = "./modules/bucket"
  count  = 2
  name   = "c${count.index}"
}
module "remote" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
locals {
  single = module.single.bucket_name
  many   = { for k, m in module.many : k => m.bucket_name }
  counted = module.counted[*].bucket_name
  arn    = module.single.arn
  remote = module.remote.vpc_id
}
"#;
    let child = r#"
variable "name" {}
variable "acl" {
  default = "private"
}
resource "aws_s3_bucket" "this" {
  bucket = "${var.name}-bucket"
  acl    = var.acl
}
module "inner" {
  source = "../inner"
  n      = var.name
}
output "bucket_name" {
  value = aws_s3_bucket.this.bucket
}
output "arn" {
  value = aws_s3_bucket.this.arn
}
"#;
    let inner =
        "variable \"n\" {}\nresource \"null_resource\" \"r\" {\n  triggers = { n = var.n }\n}\n";
    let e = run(&[
        ("main.tf", root),
        ("modules/bucket/main.tf", child),
        ("modules/inner/main.tf", inner),
    ]);
    assert_eq!(render(&local(&e, "single").value), "\"one-bucket\"");
    assert_eq!(
        render(&local(&e, "many").value),
        r#"{"x":"x-bucket","y":"y-bucket"}"#
    );
    assert_eq!(
        render(&local(&e, "counted").value),
        r#"["c0-bucket","c1-bucket"]"#
    );
    assert_eq!(local(&e, "arn").value, Value::Unknown);
    assert_eq!(local(&e, "remote").value, Value::Unknown);
    let paths: Vec<&str> = e.modules().iter().map(|m| m.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "",
            "module.single",
            "module.single.module.inner",
            "module.many[\"x\"]",
            "module.many[\"x\"].module.inner",
            "module.many[\"y\"]",
            "module.many[\"y\"].module.inner",
            "module.counted[0]",
            "module.counted[0].module.inner",
            "module.counted[1]",
            "module.counted[1].module.inner",
        ]
    );
    let addrs: Vec<&str> = e.resources().map(|r| r.address.as_str()).collect();
    assert!(
        addrs.contains(&"module.many[\"y\"].aws_s3_bucket.this"),
        "{addrs:?}"
    );
    assert!(
        addrs.contains(&"module.counted[1].module.inner.null_resource.r"),
        "{addrs:?}"
    );
    let y = e
        .modules()
        .into_iter()
        .find(|m| m.path == "module.many[\"y\"]")
        .expect("y");
    let bucket = y.resource("aws_s3_bucket.this").expect("bucket");
    assert_eq!(
        bucket.attr("acl").and_then(|v| v.value.as_str()),
        Some("public-read")
    );
    assert_eq!(
        e.sources.text(bucket.attr("acl").expect("acl").range),
        "\"public-read\""
    );
    let call = y.call.as_ref().expect("call");
    assert_eq!(call.name.value, "many");
    assert!(e.sources.text(call.range).starts_with("module \"many\""));
    assert_eq!(e.root.module_calls[3].kind, ModuleSourceKind::Remote);
    assert_eq!(
        e.root.module_calls[0].kind,
        ModuleSourceKind::Local("modules/bucket".into())
    );
    let not_rendered: Vec<_> = e
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::NotRendered)
        .collect();
    assert_eq!(not_rendered.len(), 1, "{:?}", e.problems);
    assert!(
        e.sources
            .text(not_rendered[0].range)
            .starts_with("module \"remote\"")
    );
}

#[test]
fn module_recursion_missing_directories_and_budgets_are_problems() {
    let e = run(&[
        (
            "main.tf",
            "module \"a\" {\n  source = \"./a\"\n}\nmodule \"gone\" {\n  source = \"./nowhere\"\n}\n",
        ),
        ("a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n"),
        ("b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n"),
    ]);
    let messages: Vec<&str> = e.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("calls itself")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("not found")),
        "{messages:?}"
    );

    // A chain deeper than the budget stops with a problem.
    let mut files: Vec<(String, String)> = vec![(
        "main.tf".into(),
        "module \"m\" {\n  source = \"./d0\"\n}\n".into(),
    )];
    for i in 0..10 {
        files.push((
            format!("d{i}/main.tf"),
            format!("module \"m\" {{\n  source = \"../d{}\"\n}}\n", i + 1),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let options = Options {
        limits: Limits {
            max_module_depth: 4,
            ..Limits::default()
        },
        ..Options::default()
    };
    let e = run_with(&refs, &options);
    assert_eq!(e.modules().len(), 5);
    assert!(kinds(&e).contains(&ProblemKind::Budget));

    // Exponential fan-out is cut by the instance budget.
    let mut files: Vec<(String, String)> = vec![(
        "main.tf".into(),
        "module \"m\" {\n  source = \"./d0\"\n  count = 10\n}\n".into(),
    )];
    for i in 0..6 {
        files.push((
            format!("d{i}/main.tf"),
            format!(
                "module \"m\" {{\n  source = \"../d{}\"\n  count = 10\n}}\n",
                i + 1
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let e = run(&refs);
    assert!(e.modules().len() <= Limits::default().max_module_instances + 1);
    assert!(kinds(&e).contains(&ProblemKind::Budget));
}

#[test]
fn module_arguments_are_checked_against_variables() {
    let e = run(&[
        (
            "main.tf",
            "module \"m\" {\n  source = \"./m\"\n  typo = 1\n}\n",
        ),
        ("m/main.tf", "variable \"required\" {}\n"),
    ]);
    let messages: Vec<&str> = e.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("required")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("no variable named `typo`")),
        "{messages:?}"
    );
}

#[test]
fn terraform_provider_and_output_blocks() {
    let src = r#"
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    legacy = "1.0"
  }
  backend "s3" {
    bucket  = "state"
    encrypt = true
  }
}
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
output "o" {
  value     = "x"
  sensitive = true
}
"#;
    let e = run(&[("versions.tf", src)]);
    let t = &e.root.terraform[0];
    assert_eq!(
        t.required_version.as_ref().and_then(|v| v.value.as_str()),
        Some(">= 1.5")
    );
    assert_eq!(t.required_providers.len(), 2);
    assert_eq!(
        t.required_providers[0]
            .source
            .as_ref()
            .and_then(|v| v.value.as_str()),
        Some("hashicorp/aws")
    );
    assert_eq!(
        t.required_providers[1]
            .version
            .as_ref()
            .and_then(|v| v.value.as_str()),
        Some("1.0")
    );
    let backend = t.backend.as_ref().expect("backend");
    assert_eq!(backend.kind.value, "s3");
    assert_eq!(
        backend.body.attr("encrypt").and_then(|v| v.value.as_bool()),
        Some(true)
    );
    assert_eq!(e.root.providers.len(), 2);
    assert_eq!(e.root.providers[1].alias.as_deref(), Some("us"));
    let o = e.root.output("o").expect("o");
    assert!(o.sensitive);
}

#[test]
fn json_configuration_is_evaluated_like_native() {
    let json = r#"{
  "variable": {"prefix": {"default": "app"}},
  "locals": {"name": "${var.prefix}-logs"},
  "resource": {
    "aws_s3_bucket": {
      "b": {
        "count": "${1 + 1}",
        "bucket": "${local.name}-${count.index}",
        "versioning": {"enabled": true},
        "dynamic": {"rule": {"for_each": "${[\"a\"]}", "content": {"id": "${rule.value}"}}}
      }
    }
  }
}"#;
    let e = run(&[("main.tf.json", json)]);
    assert!(e.problems.is_empty(), "{:?}", e.problems);
    let b = e.root.resource("aws_s3_bucket.b[1]").expect("b[1]");
    assert_eq!(
        b.attr("bucket").and_then(|v| v.value.as_str()),
        Some("app-logs-1")
    );
    let versioning = b
        .block("versioning")
        .present()
        .expect("an object is also a block in JSON");
    assert_eq!(
        versioning.attr("enabled").and_then(|v| v.value.as_bool()),
        Some(true)
    );
    assert_eq!(b.blocks("rule").count(), 1);
}

#[test]
fn files_and_templates_through_the_loader() {
    let e = run(&[
        (
            "main.tf",
            "locals {\n  t = templatefile(\"${path.module}/t.tpl\", { names = [\"a\", \"b\"], port = 8 })\n  f = file(\"data.txt\")\n  e = [fileexists(\"data.txt\"), fileexists(\"nope\")]\n  missing = try(file(\"nope\"), \"fallback\")\n}\n",
        ),
        (
            "t.tpl",
            "%{ for n in names ~}\n${n}:${port}\n%{ endfor ~}\n",
        ),
        ("data.txt", "hello\n"),
    ]);
    assert!(e.problems.is_empty(), "{:?}", e.problems);
    assert_eq!(render(&local(&e, "t").value), r#""a:8\nb:8\n""#);
    assert_eq!(render(&local(&e, "f").value), r#""hello\n""#);
    assert_eq!(render(&local(&e, "e").value), "[true,false]");
    assert_eq!(render(&local(&e, "missing").value), "\"fallback\"");
}

#[test]
fn syntax_errors_are_problems_with_a_range_in_the_right_file() {
    let e = run(&[
        ("a.tf", "locals { a = 1 }\n"),
        ("b.tf", "resource \"x\" {\n"),
    ]);
    let p = e
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::Syntax)
        .expect("syntax");
    let (source, _) = e.sources.locate(p.range).expect("located");
    assert_eq!(source.path, "b.tf");
    assert_eq!(render(&local(&e, "a").value), "1");
}
