//! Expression features beyond the console table: origins of values, heredocs with directives,
//! splats, unknowns inside collections.

use super::{ex, local, render, run};
use crate::terraform::Value;

#[test]
fn values_keep_the_range_where_they_were_written() {
    let src = r#"
variable "acl" {
  default = "private"
}
locals {
  defaults = { acl = var.acl, versioning = true }
  merged   = merge(local.defaults, { versioning = false })
  picked   = lookup(local.merged, "acl", "none")
  chosen   = true ? local.defaults.acl : "other"
  single   = "${var.acl}"
  built    = "x-${var.acl}"
  item     = element(["a", "b"], 1)
}
"#;
    let e = run(&[("main.tf", src)]);
    let text = |name: &str| e.sources.text(local(&e, name).range).to_owned();
    assert_eq!(
        text("picked"),
        "\"private\"",
        "through a variable, a map and merge"
    );
    assert_eq!(
        e.sources.text(
            local(&e, "merged")
                .value
                .get("versioning")
                .expect("v")
                .range
        ),
        "false"
    );
    assert_eq!(text("chosen"), "\"private\"");
    assert_eq!(
        text("single"),
        "\"private\"",
        "a lone interpolation is the value itself"
    );
    assert_eq!(text("built"), "\"x-${var.acl}\"");
    assert_eq!(text("item"), "\"b\"");
}

#[test]
fn heredoc_templates_with_directives() {
    let src = r#"
locals {
  names = ["a", "b"]
  flush = <<-EOT
    name=demo
    %{ for n in local.names ~}
    az=${n}
    %{ endfor ~}
    EOT
  plain = <<EOT
%{ if length(local.names) > 1 ~}
many
%{ else ~}
one
%{ endif ~}
EOT
}
"#;
    let e = run(&[("main.tf", src)]);
    assert_eq!(
        render(&local(&e, "flush").value),
        r#""name=demo\n    az=a\n    az=b\n""#
    );
    assert_eq!(render(&local(&e, "plain").value), r#""many\n""#);
}

#[test]
fn splats_and_indexes() {
    assert_eq!(ex("null[*].a"), "[]");
    assert_eq!(ex("{ a = 1 }[*].a"), "[1]");
    assert_eq!(ex("[{ a = [1, 2] }, { a = [3] }][*].a[0]"), "[1,3]");
    assert_eq!(ex("[{ a = [1, 2] }, { a = [3] }].*.a[0]"), "[1,2]");
    assert_eq!(ex("local.l[\"1\"]"), "2");
    assert_eq!(ex("local.l[1.5]"), "error");
}

#[test]
fn unknowns_inside_collections_stay_local() {
    let src = r#"
variable "unset" {}
locals {
  list   = [var.unset, "a"]
  len    = length(local.list)
  first  = local.list[1]
  obj    = { a = var.unset, b = 2 }
  keys   = keys(local.obj)
  b      = local.obj.b
  concat = concat(local.list, ["b"])
  merged = merge(local.obj, { c = 3 })
  joined = join(",", local.list)
}
"#;
    let e = run(&[("main.tf", src)]);
    assert_eq!(render(&local(&e, "len").value), "2");
    assert_eq!(render(&local(&e, "first").value), "\"a\"");
    assert_eq!(render(&local(&e, "keys").value), r#"["a","b"]"#);
    assert_eq!(render(&local(&e, "b").value), "2");
    assert_eq!(
        render(&local(&e, "concat").value),
        r#"partial [(unknown), "a", "b"]"#
    );
    assert_eq!(
        render(&local(&e, "merged").value),
        "partial {a = (unknown), b = 2, c = 3}"
    );
    assert_eq!(local(&e, "joined").value, Value::Unknown);
}

#[test]
fn numbers_print_like_terraform() {
    assert_eq!(ex("0.1 + 0.2"), "0.3");
    assert_eq!(ex("tostring(1e20)"), "\"100000000000000000000\"");
    assert_eq!(ex("tostring(1.5e-7)"), "\"0.00000015\"");
    assert_eq!(ex("tostring(-2.25)"), "\"-2.25\"");
    assert_eq!(ex("1 / 0"), "error");
}
