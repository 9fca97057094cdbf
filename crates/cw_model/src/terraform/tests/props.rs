//! No panic and no hang, whatever the configuration: arbitrary and mutated text, generated
//! expressions, and configurations built to explode.

use std::fmt::Write as _;

use proptest::prelude::*;

use super::{Mem, run, run_with};
use crate::terraform::{Evaluation, Limits, Options, ProblemKind, Value, evaluate};

/// Every range of every value, problem and block points into the address space.
fn check(e: &Evaluation) {
    let end: u32 = e
        .sources
        .sources()
        .last()
        .map_or(0, |s| s.base + s.text.len() as u32);
    let ok = |r: cw_diagnostics::TextRange| {
        assert!(r.start <= r.end && r.end <= end, "{r:?} past {end}");
    };
    for p in &e.problems {
        ok(p.range);
    }
    for m in e.modules() {
        for r in m.resources.iter().chain(&m.data) {
            ok(r.range);
            for a in &r.body.attrs {
                ok(a.range);
                ok(a.value.range);
            }
        }
        for l in &m.locals {
            ok(l.value.range);
        }
    }
}

const SEED: &str = r#"
variable "names" {
  type    = list(string)
  default = ["a", "b"]
}
variable "unset" {}
locals {
  m  = { for n in var.names : n => upper(n) }
  t  = <<-EOT
    %{ for k, v in local.m ~}
    ${k}=${v}
    %{ endfor ~}
    EOT
  c  = try(local.m.z, coalesce(var.unset, "d"))
}
resource "aws_s3_bucket" "b" {
  for_each = toset(var.names)
  bucket   = "${each.key}-${local.m[each.key]}"
  dynamic "rule" {
    for_each = range(2)
    content { id = rule.value * 2 }
  }
}
module "m" {
  source = "./m"
  x      = aws_s3_bucket.b["a"].bucket
}
output "o" {
  value = [for k, b in aws_s3_bucket.b : b.bucket if k != "z"]
}
"#;

const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "${",
    "%{",
    "~",
    "=",
    ":",
    "=>",
    "...",
    ".",
    "*",
    "?",
    ",",
    "\n",
    "#",
    "var.",
    "local.",
    "each.",
    "count.index",
    "module.m.",
    "aws_s3_bucket.b",
    "data.x.y.",
    "null",
    "true",
    "-1",
    "0",
    "1e9",
    "[*]",
    "upper(",
    "length(",
    "merge(",
    "try(",
    "range(",
    "jsondecode(",
    "format(\"%s\",",
    "cidrsubnet(",
    "é",
];

fn mutated() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (any::<prop::sample::Index>(), 0..PIECES.len(), 0..3usize),
        1..8,
    )
    .prop_map(|edits| {
        let mut text = SEED.to_owned();
        for (index, piece, kind) in edits {
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let at = boundaries[index.index(boundaries.len())];
            let next = boundaries.iter().copied().find(|&i| i > at).unwrap_or(at);
            match kind {
                0 => text.insert_str(at, PIECES[piece]),
                1 => text.replace_range(at..next, ""),
                _ => text.replace_range(at..next, PIECES[piece]),
            }
        }
        text
    })
}

/// Expressions built from literals, references (some unknown) and functions.
fn expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("1".to_owned()),
        Just("-2.5".to_owned()),
        Just("\"s\"".to_owned()),
        Just("\"\"".to_owned()),
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("[1, \"a\"]".to_owned()),
        Just("{ a = 1 }".to_owned()),
        Just("var.unset".to_owned()),
        Just("data.x.y.z".to_owned()),
        Just("local.l".to_owned()),
        Just("aws_s3_bucket.b.bucket".to_owned()),
        Just("aws_s3_bucket.b.arn".to_owned()),
    ];
    leaf.prop_recursive(4, 32, 3, |inner| {
        let funcs: Vec<&'static str> = crate::terraform::function_names().collect();
        prop_oneof![
            (
                prop::sample::select(funcs),
                prop::collection::vec(inner.clone(), 0..3)
            )
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c)| format!("({a} ? {b} : {c})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} == {b})")),
            inner.clone().prop_map(|a| format!("[for x in {a} : x]")),
            inner.clone().prop_map(|a| format!("\"pre-${{{a}}}\"")),
            inner.clone().prop_map(|a| format!("{a}[*].k")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("{a}[{b}]")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        check(&run(&[("main.tf", &text)]));
        check(&run(&[("main.tf.json", &text)]));
    }

    #[test]
    fn mutated_modules_never_panic(text in mutated()) {
        check(&run(&[("main.tf", &text), ("m/main.tf", "variable \"x\" {}\noutput \"y\" { value = var.x }\n")]));
    }

    #[test]
    fn generated_expressions_never_panic(e in expr()) {
        let src = format!(
            "variable \"unset\" {{}}\nlocals {{\n  l = [1, 2]\n  x = {e}\n}}\nresource \"aws_s3_bucket\" \"b\" {{\n  bucket = \"n\"\n}}\n"
        );
        let r = run(&[("main.tf", &src)]);
        check(&r);
        prop_assert!(r.problems.iter().all(|p| p.kind != ProblemKind::Syntax), "{src}: {:?}", r.problems);
    }
}

#[test]
fn exploding_strings_stop_at_the_budget() {
    let mut src = String::from("locals {\n  a0 = \"xxxxxxxxxxxxxxxx\"\n");
    for i in 1..48 {
        let p = i - 1;
        let _ = writeln!(src, "  a{i} = \"${{local.a{p}}}${{local.a{p}}}\"");
        let _ = writeln!(src, "  j{i} = join(\"\", [local.a{p}, local.a{p}])");
    }
    src.push_str("}\n");
    let options = Options {
        limits: Limits {
            fuel: 50_000_000,
            ..Limits::default()
        },
        ..Options::default()
    };
    let e = run_with(&[("main.tf", &src)], &options);
    assert!(e.problems.iter().any(|p| p.kind == ProblemKind::Budget));
    assert_eq!(
        e.root.local("a47").map(|l| &l.value.value),
        Some(&Value::Unknown)
    );
}

#[test]
fn long_reference_chains_and_deep_values_are_bounded() {
    let n = 3000;
    let mut src = String::from("locals {\n");
    for i in 0..n {
        let next = i + 1;
        let _ = writeln!(src, "  a{i} = local.a{next}\n  d{i} = [local.d{next}]");
    }
    let _ = writeln!(src, "  a{n} = 1\n  d{n} = 1\n}}");
    let e = run(&[("main.tf", &src)]);
    assert_eq!(
        e.root.local("a0").map(|l| &l.value.value),
        Some(&Value::Number(1.0))
    );
    let deep = &e.root.local("d0").expect("d0").value.value;
    assert!(
        deep.weight().1 <= 202,
        "values stay at most about 200 levels deep"
    );
    assert!(e.problems.iter().any(|p| p.kind == ProblemKind::Budget));
}

#[test]
fn huge_counts_and_ranges_are_bounded() {
    let src = r#"
resource "x" "many" {
  count = 1e9
}
resource "x" "each" {
  for_each = { for i in range(1000) : "k${i}" => i }
}
locals {
  r = range(1e9)
  p = length(setproduct(range(1000), range(1000), range(1000)))
  nested = length(flatten([for i in range(1000) : [for j in range(1000) : j]]))
}
"#;
    let e = run(&[("main.tf", src)]);
    assert_eq!(
        e.root
            .resources_of("x")
            .filter(|r| r.name.value == "many")
            .count(),
        1
    );
    assert_eq!(
        e.root
            .resources_of("x")
            .filter(|r| r.name.value == "each")
            .count(),
        1000
    );
    assert_eq!(
        e.root.local("nested").map(|l| &l.value.value),
        Some(&Value::Number(1_000_000.0))
    );
    assert!(e.problems.iter().any(|p| p.kind == ProblemKind::Budget));
}

#[test]
fn module_self_reference_through_for_each_terminates() {
    let mem = Mem::new(&[
        ("main.tf", "module \"m\" {\n  source = \"./m\"\n}\n"),
        (
            "m/main.tf",
            "module \"again\" {\n  source   = \"../m\"\n  for_each = toset([\"a\", \"b\"])\n}\n",
        ),
    ]);
    let e = evaluate(".", &mem.dir("."), &Options::default(), &mem);
    assert_eq!(e.modules().len(), 2);
    assert!(
        e.problems
            .iter()
            .any(|p| p.message.contains("calls itself"))
    );
}
