//! Never confuse unknown with a default or an absence: a data source, a provider-computed
//! attribute, an unset variable or anything derived from them is unknown, and lookups say so.

use super::{render, run};
use crate::terraform::{BlockLookup, InstanceKey, Setting, Value, function_names};

const SRC: &str = r#"
variable "unset" {}
data "aws_s3_bucket" "src" {
  bucket = "given"
}
resource "aws_s3_bucket" "other" {
  bucket = "set-in-config"
}
resource "aws_s3_bucket" "b" {
  from_data      = data.aws_s3_bucket.src.acl
  from_data_arg  = data.aws_s3_bucket.src.bucket
  from_var       = var.unset
  try_data       = try(data.aws_s3_bucket.src.acl, "default")
  try_var        = try(var.unset, "default")
  coalesce_var   = coalesce(var.unset, "x")
  lookup_data    = lookup(data.aws_s3_bucket.src.tags, "k", "d")
  length_data    = length(data.aws_s3_bucket.src.list)
  cond_var       = var.unset == null ? "a" : "b"
  template_var   = "${var.unset}-x"
  for_data       = [for x in data.aws_s3_bucket.src.list : x]
  merge_data     = merge({}, data.aws_s3_bucket.src.tags)
  can_data       = can(data.aws_s3_bucket.src.x)
  and_var        = var.unset != "" && false
  json_var       = jsonencode({ a = var.unset })
  computed       = aws_s3_bucket.other.arn
  configured     = aws_s3_bucket.other.bucket
  try_computed   = try(aws_s3_bucket.other.versioning[0].enabled, false)
  splat_computed = aws_s3_bucket.other[*].id
  index_var      = { a = 1 }[var.unset]
  list_with_var  = [var.unset, "known"]

  dynamic "rule" {
    for_each = data.aws_s3_bucket.src.rules
    content {
      id = rule.value
    }
  }
}
resource "aws_s3_bucket" "counted" {
  count = var.unset ? 1 : 0
  acl   = "public-read"
  name  = "n-${count.index}"
}
resource "aws_s3_bucket" "each" {
  for_each = data.aws_s3_bucket.src.map
  acl      = each.value
}
"#;

#[test]
fn unknown_inputs_give_unknown_never_a_default() {
    let e = run(&[("main.tf", SRC)]);
    let b = e.root.resource("aws_s3_bucket.b").expect("b");
    for name in [
        "from_data",
        "from_data_arg",
        "from_var",
        "try_data",
        "try_var",
        "coalesce_var",
        "lookup_data",
        "length_data",
        "cond_var",
        "template_var",
        "for_data",
        "merge_data",
        "can_data",
        "and_var",
        "json_var",
        "computed",
        "try_computed",
        "index_var",
    ] {
        let v = b.attr(name).unwrap_or_else(|| panic!("{name} is written"));
        assert_eq!(v.value, Value::Unknown, "{name}");
        assert!(matches!(b.setting(name), Setting::Unknown(_)), "{name}");
    }
    assert_eq!(
        render(&b.attr("configured").expect("configured").value),
        "\"set-in-config\""
    );
    assert_eq!(
        render(&b.attr("splat_computed").expect("splat").value),
        "partial [(unknown)]"
    );
    let list = b.attr("list_with_var").expect("list");
    assert!(list.value.is_known() && !list.value.is_wholly_known());
    assert_eq!(b.setting("not_written"), Setting::Absent);
    assert_eq!(b.block("rule"), BlockLookup::Unknown);
    assert_eq!(b.block("versioning"), BlockLookup::Absent);
    assert!(b.attr("from_var").expect("x").value.as_str().is_none());
}

#[test]
fn unknown_count_and_for_each_give_one_instance_with_an_unknown_key() {
    let e = run(&[("main.tf", SRC)]);
    let counted: Vec<_> = e
        .root
        .resources_of("aws_s3_bucket")
        .filter(|r| r.name.value == "counted")
        .collect();
    assert_eq!(counted.len(), 1);
    assert_eq!(counted[0].key, InstanceKey::Unknown);
    assert_eq!(counted[0].address, "aws_s3_bucket.counted");
    assert_eq!(
        counted[0].attr("acl").and_then(|v| v.value.as_str()),
        Some("public-read")
    );
    assert_eq!(
        counted[0].attr("name").map(|v| &v.value),
        Some(&Value::Unknown)
    );
    let each = e.root.resource("aws_s3_bucket.each").expect("each");
    assert_eq!(each.key, InstanceKey::Unknown);
    assert_eq!(each.attr("acl").map(|v| &v.value), Some(&Value::Unknown));
}

#[test]
fn data_sources_are_evaluated_but_read_as_unknown() {
    let e = run(&[("main.tf", SRC)]);
    let d = e
        .root
        .resource("data.aws_s3_bucket.src")
        .expect("data source");
    assert_eq!(
        d.attr("bucket").and_then(|v| v.value.as_str()),
        Some("given")
    );
    assert_eq!(d.address, "data.aws_s3_bucket.src");
}

/// Every function, given only unknown arguments, returns unknown (or an error), never a value.
#[test]
fn every_function_of_unknown_arguments_is_unknown() {
    let mut failures = Vec::new();
    for name in function_names() {
        for arity in 1..=3 {
            let args: Vec<String> = (0..arity).map(|i| format!("data.d.d.a{i}")).collect();
            let src = format!(
                "data \"d\" \"d\" {{}}\nlocals {{\n  x = {name}({})\n}}\n",
                args.join(", ")
            );
            let e = run(&[("main.tf", &src)]);
            let x = &e.root.local("x").expect("x").value.value;
            if x.is_known() {
                failures.push(format!("{name}/{arity}: {x}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}
