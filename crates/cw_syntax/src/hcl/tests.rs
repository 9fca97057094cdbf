use std::fmt::Write as _;

use cw_diagnostics::TextRange;

use super::*;

fn at(text: &str, range: TextRange) -> &str {
    &text[range.as_usize()]
}

/// Parses HCL that must have no errors.
fn body(text: &str) -> Body {
    let file = parse_hcl(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    check_ranges(text, &file);
    file.body
}

fn value(text: &str) -> Expr {
    body(text).attributes.remove(0).value
}

/// Every range of every node lies in `text`, on char boundaries.
fn check_ranges(text: &str, file: &HclFile) {
    fn ok(text: &str, r: TextRange) {
        assert!(
            r.start <= r.end
                && (r.end as usize) <= text.len()
                && text.is_char_boundary(r.start as usize)
                && text.is_char_boundary(r.end as usize),
            "{r:?} in {text:?}"
        );
    }
    fn expr(text: &str, e: &Expr) {
        ok(text, e.range);
        match &e.kind {
            ExprKind::Template(t) => template(text, t),
            ExprKind::Tuple(items) => items.iter().for_each(|i| expr(text, i)),
            ExprKind::Object(items) => {
                for i in items {
                    ok(text, i.key.range());
                    expr(text, &i.value);
                }
            }
            ExprKind::Traversal(root, steps) => {
                expr(text, root);
                for s in steps {
                    ok(text, s.range);
                    if let TraverseOp::Index(i) = &s.op {
                        expr(text, i);
                    }
                }
            }
            ExprKind::Call(c) => c.args.iter().for_each(|a| expr(text, a)),
            ExprKind::Conditional(c) => {
                expr(text, &c.condition);
                expr(text, &c.then);
                expr(text, &c.otherwise);
            }
            ExprKind::Unary(_, e) | ExprKind::Paren(e) => expr(text, e),
            ExprKind::Binary(_, a, b) => {
                expr(text, a);
                expr(text, b);
            }
            ExprKind::For(f) => {
                expr(text, &f.collection);
                expr(text, &f.value);
                if let Some(k) = &f.key {
                    expr(text, k);
                }
                if let Some(c) = &f.condition {
                    expr(text, c);
                }
            }
            _ => {}
        }
    }
    fn template(text: &str, t: &Template) {
        for p in &t.parts {
            match p {
                TemplatePart::Literal(l) => ok(text, l.range),
                TemplatePart::Interpolation(e) => expr(text, e),
                TemplatePart::If(i) => {
                    expr(text, &i.condition);
                    template(text, &i.then);
                    template(text, &i.otherwise);
                }
                TemplatePart::For(f) => {
                    expr(text, &f.collection);
                    template(text, &f.body);
                }
            }
        }
    }
    fn body(text: &str, b: &Body) {
        for a in &b.attributes {
            ok(text, a.range);
            ok(text, a.name.range);
            expr(text, &a.value);
        }
        for b in &b.blocks {
            ok(text, b.range);
            ok(text, b.kind.range);
            b.labels.iter().for_each(|l| ok(text, l.range));
            body(text, &b.body);
        }
    }
    for e in &file.errors {
        ok(text, e.range);
    }
    body(text, &file.body);
}

/// The literal text of a template without interpolations (directive-free parts only).
fn literal_text(e: &Expr) -> String {
    match &e.kind {
        ExprKind::String(s) => s.clone(),
        ExprKind::Template(t) => t
            .parts
            .iter()
            .map(|p| match p {
                TemplatePart::Literal(l) => l.value.clone(),
                TemplatePart::Interpolation(_) => "${}".to_owned(),
                TemplatePart::If(_) => "%{if}".to_owned(),
                TemplatePart::For(f) => format!("%{{for}}{}%{{endfor}}", {
                    let inner = Expr::new(ExprKind::Template(f.body.clone()), f.range);
                    literal_text(&inner)
                }),
            })
            .collect(),
        other => panic!("not a template: {other:?}"),
    }
}

#[test]
fn blocks_labels_and_attributes_have_ranges() {
    let text = "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"x\" # c\n  versioning {\n    enabled = true\n  }\n}\nlocals { a = 1 }\n";
    let b = body(text);
    assert_eq!(b.blocks.len(), 2);
    let r = &b.blocks[0];
    assert_eq!(r.kind.value, "resource");
    assert_eq!(r.label(0), Some("aws_s3_bucket"));
    assert_eq!(at(text, r.labels[1].range), "\"logs\"");
    assert!(at(text, r.range).starts_with("resource"));
    assert!(at(text, r.range).ends_with('}'));
    let bucket = r.body.attribute("bucket").expect("bucket");
    assert_eq!(at(text, bucket.range), "bucket = \"x\"");
    assert_eq!(at(text, bucket.name.range), "bucket");
    assert_eq!(at(text, bucket.value.range), "\"x\"");
    assert_eq!(bucket.value.as_str(), Some("x"));
    let versioning = r.body.blocks_of("versioning").next().expect("versioning");
    assert_eq!(
        at(text, versioning.range),
        "versioning {\n    enabled = true\n  }"
    );
    let enabled = versioning.body.attribute("enabled").expect("enabled");
    assert_eq!(enabled.value.kind, ExprKind::Bool(true));
    assert_eq!(
        b.blocks[1].body.attributes[0].value.kind,
        ExprKind::Number(1.0)
    );
}

#[test]
fn every_expression_kind() {
    let text = r#"
a = null
b = [1, 2.5, -3]
c = { x = 1, "y" = 2, (k) = 3 }
d = var.x.y[0]["k"].*.z
e = f(1, [2]...)
f = c ? 1 : 2
g = !a && b || -c == d
h = [for k, v in xs : upper(v) if k != 0]
i = {for v in xs : v.k => v...}
j = (1 + 2) * 3 % 4 / 5 - 6
k = provider::aws::arn_parse("x")
l = xs[*].id
m = "a${b}c"
n = a.0
"#;
    let parsed = body(text);
    let get = |n: &str| parsed.attribute(n).expect(n).value.clone();
    assert_eq!(get("a").kind, ExprKind::Null);
    let ExprKind::Tuple(items) = get("b").kind else {
        panic!()
    };
    assert_eq!(items[1].kind, ExprKind::Number(2.5));
    assert_eq!(items[2].kind, ExprKind::Number(-3.0));
    assert_eq!(at(text, items[2].range), "-3");
    let ExprKind::Object(items) = get("c").kind else {
        panic!()
    };
    assert!(matches!(&items[0].key, ObjectKey::Ident(i) if i.value == "x"));
    assert!(matches!(&items[1].key, ObjectKey::Expr(e) if e.as_str() == Some("y")));
    assert!(matches!(&items[2].key, ObjectKey::Expr(e) if matches!(e.kind, ExprKind::Paren(_))));
    let traversal = get("d");
    let ExprKind::Traversal(root, steps) = &traversal.kind else {
        panic!()
    };
    assert_eq!(root.kind, ExprKind::Variable("var".into()));
    assert_eq!(steps.len(), 6);
    assert_eq!(steps[0].op, TraverseOp::Attr("x".into()));
    assert!(matches!(&steps[2].op, TraverseOp::Index(e) if e.kind == ExprKind::Number(0.0)));
    assert_eq!(steps[4].op, TraverseOp::AttrSplat);
    assert_eq!(at(text, steps[3].range), "[\"k\"]");
    let ExprKind::Call(call) = get("e").kind else {
        panic!()
    };
    assert_eq!(call.name.value, "f");
    assert!(call.expand_final);
    assert_eq!(call.args.len(), 2);
    assert!(matches!(get("f").kind, ExprKind::Conditional(_)));
    assert!(matches!(
        get("g").kind,
        ExprKind::Binary(BinaryOp::Or, _, _)
    ));
    let ExprKind::For(f) = get("h").kind else {
        panic!()
    };
    assert_eq!(f.key_var.as_ref().map(|k| k.value.as_str()), Some("k"));
    assert!(f.condition.is_some() && f.key.is_none());
    let ExprKind::For(f) = get("i").kind else {
        panic!()
    };
    assert!(f.grouping && f.key.is_some());
    assert!(matches!(
        get("j").kind,
        ExprKind::Binary(BinaryOp::Minus, _, _)
    ));
    let ExprKind::Call(call) = get("k").kind else {
        panic!()
    };
    assert_eq!(call.namespace, ["provider", "aws"]);
    assert_eq!(call.name.value, "arn_parse");
    let l = get("l");
    let ExprKind::Traversal(_, steps) = &l.kind else {
        panic!()
    };
    assert_eq!(steps[0].op, TraverseOp::FullSplat);
    assert_eq!(literal_text(&get("m")), "a${}c");
    let ExprKind::Traversal(_, steps) = get("n").kind else {
        panic!()
    };
    assert!(matches!(&steps[0].op, TraverseOp::Index(e) if e.kind == ExprKind::Number(0.0)));
    assert_eq!(
        get("d").as_traversal_path(),
        None,
        "indexes are not a plain reference"
    );
    assert_eq!(
        value("x = aws.west\n").as_traversal_path(),
        Some(vec!["aws", "west"])
    );
}

#[test]
fn string_escapes_are_resolved() {
    assert_eq!(
        value(r#"x = "a\"b\n\u00e9 $${x} %%{y}""#).as_str(),
        Some("a\"b\né ${x} %{y}")
    );
}

/// Expected values checked with `terraform console` (Terraform 1.11).
#[test]
fn heredocs_strip_and_flush_like_terraform() {
    let cases = [
        // `~}` strips only up to the end of its line: a heredoc literal is one token per line.
        (
            "x = <<EOT\n%{ for x in xs ~}\n    az=${x}\n%{ endfor ~}\nEOT\n",
            "%{for}    az=${}\n%{endfor}",
        ),
        // A line-leading literal before a directive counts; the line after `~}` is not line-leading.
        (
            "x = <<-EOT\n    name=demo\n    %{ for x in xs ~}\n        az=${x}\n    %{ endfor ~}\n    EOT\n",
            "name=demo\n%{for}        az=${}\n%{endfor}",
        ),
        // A directive at column 0 means no indentation is removed.
        (
            "x = <<-EOT\n    name=demo\n%{ for x in xs ~}\n      az=${x}\n%{ endfor ~}\n    end\n    EOT\n",
            "    name=demo\n%{for}      az=${}\n%{endfor}    end\n",
        ),
        // An interpolation after indentation; blank lines do not count.
        (
            "x = <<-EOT\n      x\n    ${y}\n       z\n\n    EOT\n",
            "  x\n${}\n   z\n\n",
        ),
        (
            "x = <<-EOT\n    a $${b} %%{c}\n      d\n    EOT\n",
            "a ${b} %{c}\n  d\n",
        ),
        ("x = <<EOT\n  keep\nEOT\n", "  keep\n"),
        ("x = \"a ${~ b ~} c\"\n", "a${}c"),
        ("x = <<-EOT\nEOT\n", ""),
    ];
    for (text, want) in cases {
        assert_eq!(literal_text(&value(text)), want, "{text:?}");
    }
}

#[test]
fn template_literal_ranges_point_at_the_source() {
    let text = "x = <<-EOT\n    hello ${name}\n    bye\n    EOT\n";
    let ExprKind::Template(t) = value(text).kind else {
        panic!()
    };
    let TemplatePart::Literal(first) = &t.parts[0] else {
        panic!()
    };
    assert_eq!(first.value, "hello ");
    assert_eq!(at(text, first.range), "hello ");
    let TemplatePart::Interpolation(e) = &t.parts[1] else {
        panic!()
    };
    assert_eq!(at(text, e.range), "name");
}

#[test]
fn template_directives_nest() {
    let e = value("x = \"%{ if a }A%{ else }B%{ endif }-%{ for k, v in m }${k}%{ endfor }\"\n");
    let ExprKind::Template(t) = e.kind else {
        panic!()
    };
    let TemplatePart::If(i) = &t.parts[0] else {
        panic!()
    };
    assert_eq!(i.then.parts.len(), 1);
    assert_eq!(i.otherwise.parts.len(), 1);
    let TemplatePart::For(f) = &t.parts[2] else {
        panic!()
    };
    assert_eq!(f.key_var.as_ref().map(|k| k.value.as_str()), Some("k"));
    assert_eq!(f.value_var.value, "v");
}

#[test]
fn syntax_errors_have_a_position_and_message() {
    let text = "resource \"a\" \"b\" {\n  x = \n}\n";
    let file = parse_hcl(text);
    assert_eq!(file.errors.len(), 1);
    let e = &file.errors[0];
    assert!(!e.message.is_empty());
    assert_eq!(e.range.start, 25, "{e:?}");
    assert!(file.body.blocks.is_empty());

    let file = parse_hcl("a = \"unterminated");
    assert_eq!(file.errors.len(), 1);
    let file = parse_hcl("a = <<EOT\nno end\n");
    assert_eq!(file.errors.len(), 1);
    let text = "é = 1\né é\n";
    let file = parse_hcl(text);
    check_ranges(text, &file);
    assert_eq!(file.errors.len(), 1);
}

#[test]
fn parse_expr_shifts_ranges() {
    let e = parse_expr("[1, \"a\"]", 100).expect("parses");
    assert_eq!(e.range, TextRange::new(100, 108));
    assert!(parse_expr("[1,", 0).is_err());
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for text in [
        format!("a = {}1{}\n", "[".repeat(5000), "]".repeat(5000)),
        format!("a = {}\n", "(".repeat(100_000)),
        format!("a = {}1{}\n", "{x=".repeat(3000), "}".repeat(3000)),
        format!("{}{}", "a {\n".repeat(3000), "}\n".repeat(3000)),
        format!("a = \"{}\"\n", "${\"".repeat(3000)),
        format!(
            "a = \"{}x{}\"\n",
            "%{if a}".repeat(2000),
            "%{endif}".repeat(2000)
        ),
        format!("a = {}1\n", "1 + ".repeat(100_000)),
        format!("a = {}1\n", "-".repeat(100_000)),
        format!("a = {}1\n", "!".repeat(100_000)),
        format!("a = {}\n", "x.".repeat(100_000)),
        format!("a = x{}\n", "[0]".repeat(100_000)),
        format!("a = {}1\n", "c ? 1 : ".repeat(100_000)),
    ] {
        let file = parse_hcl(&text);
        check_ranges(&text, &file);
    }
    let json = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    let _ = parse_tf_json(&json);
}

#[test]
fn long_but_shallow_input_parses() {
    let mut text = String::new();
    for i in 0..20_000 {
        let _ = writeln!(text, "a{i} = {i}");
    }
    assert_eq!(body(&text).attributes.len(), 20_000);
    let text = format!("a = [{}]\n", "1,".repeat(50_000));
    let ExprKind::Tuple(items) = value(&text).kind else {
        panic!()
    };
    assert_eq!(items.len(), 50_000);
}

/// hcl-edit parses a failing operand nested in brackets twice per level: these took from
/// seconds to forever before the pre-scan.
#[test]
fn backtracking_blowups_are_rejected_quickly() {
    let too_complex = |errors: &[HclError]| {
        errors.len() == 1
            && errors[0]
                .message
                .starts_with("expression too complex to parse")
    };
    // Found by the `hcl` fuzz target (0.7 s at 243 bytes; each added level doubles it).
    let found = "m={_m!=K*GK*!\t{_m_m!=K*GK*{\t{_K*GK*{\t_m!=m={_fu=K*GK*{\t{_m_m!=K*GK*{\t{_K*GK*{{\t{\
                 _m*GK*K*!\t{_m_m!=K*GK*{\t{_K*GK*{\t_m!=m={_fu=K*GK*{\t{_m_m!=K*GK*{\t{_K*GK*{{\t{_m*GK*{!\
                 \t{_m_m!=K*{!\t{_m_m!=K*GK*{\t{_K*GK*{\t_m!=m={_fu=K*GK*{\t{_m_m!=K*GK*{\t{_K*GK*{\t{_";
    let file = parse_hcl(found);
    assert!(too_complex(&file.errors), "{:?}", file.errors);
    assert_eq!(file.errors[0].range, TextRange::new(14, 15));
    check_ranges(found, &file);

    for text in [
        // Unclosed at the end, a bad operator, an unterminated string or heredoc inside.
        format!("a = {}", "1 + 1 * (".repeat(40)),
        format!("a = {}x & y{}\n", "1 + 1 * (".repeat(40), ")".repeat(40)),
        format!("a = {}x !y{}\n", "1 + 1 * {k = ".repeat(40), "}".repeat(40)),
        format!("a = {}\"x", "1 + 1 * x[".repeat(40)),
        format!("a = {}", "1 + 1 * \"${".repeat(40)),
        format!("a = {}", "1 + 1 * <<EOT\n${".repeat(40)),
        format!("a = {}", "1 + 1 * \"%{if 1 + 1 * (".repeat(20)),
        format!("a = {}", "[for x in 1 + 1 * (".repeat(40)),
        format!("a = {}", "{x!=K*{".repeat(40)),
    ] {
        let file = parse_hcl(&text);
        assert!(too_complex(&file.errors), "{text:?}: {:?}", file.errors);
        check_ranges(&text, &file);
    }
    let e = parse_expr(&"1 + 1 * (".repeat(40), 10).expect_err("too complex");
    assert!(e.message.starts_with("expression too complex"), "{e:?}");
    assert_eq!(e.range, TextRange::new(18, 19));
    let e = parse_template(&"${1 + 1 * (".repeat(40), 0).expect_err("too complex");
    assert!(e.message.starts_with("expression too complex"), "{e:?}");
    let json = format!(
        "{{\"locals\": {{\"a\": \"${{{}\"}}}}",
        "1 + 1 * (".repeat(40)
    );
    let file = parse_tf_json(&json);
    assert!(too_complex(&file.errors), "{:?}", file.errors);
    check_ranges(&json, &file);
}

/// The pre-scan counts only brackets that are operands of an operator, skips strings, comments
/// and heredocs, and leaves real code (at most 8 such levels in thousands of real modules) alone.
#[test]
fn operand_nesting_within_budget_parses() {
    let nested = |levels: usize| {
        format!(
            "a = {}x{}\n",
            "1 + 1 * (".repeat(levels),
            ")".repeat(levels)
        )
    };
    assert_eq!(body(&nested(10)).attributes.len(), 1);
    let file = parse_hcl(&nested(30));
    assert!(file.errors[0].message.starts_with("expression too complex"));
    // Plain nesting is not an operand chain: hcl-edit's own limit (64) applies.
    let text = format!("a = {}1{}\n", "{x = [".repeat(30), "]}".repeat(30));
    assert_eq!(body(&text).attributes.len(), 1);
    // Brackets and operators in strings, comments and heredocs are text.
    let text = format!(
        "a = \"{}\"\n# {}\nb = <<EOT\n{}\nEOT\n/* {} */\nc = 1 + 1 * (2)\n",
        "1 + 1 * (".repeat(40),
        "1 + 1 * (".repeat(40),
        "1 + 1 * (".repeat(40),
        "1 + 1 * (".repeat(40),
    );
    assert_eq!(body(&text).attributes.len(), 3);
    // A long operand is fine as long as it is shallow.
    let text = format!("a = 1 + 2 * ({} + 1)\n", "x".repeat(100_000));
    assert_eq!(body(&text).attributes.len(), 1);
}

mod json {
    use super::*;

    fn parse(text: &str) -> Body {
        let file = parse_tf_json(text);
        assert!(file.errors.is_empty(), "{text:?}: {:?}", file.errors);
        assert_eq!(file.syntax, Syntax::Json);
        check_ranges(text, &file);
        file.body
    }

    #[test]
    fn blocks_labels_and_templates() {
        let text = r#"{
  "resource": {
    "aws_s3_bucket": {
      "logs": {"bucket": "${var.prefix}-logs", "acl": "private", "count": "${var.n}",
               "versioning": {"enabled": true},
               "lifecycle": {"ignore_changes": ["tags"]},
               "dynamic": {"rule": {"for_each": "${var.rules}", "iterator": "r", "content": {"id": "${r.value}"}}}},
      "other": [{"bucket": "a"}]
    }
  },
  "variable": {"prefix": {"type": "string", "default": "${not a template}"}},
  "locals": [{"a": 1}, {"b": "x"}],
  "terraform": {"backend": {"s3": {"bucket": "b"}}, "required_providers": {"aws": {"source": "hashicorp/aws"}}},
  "//": "comment"
}"#;
        let b = parse(text);
        let resources: Vec<_> = b.blocks_of("resource").collect();
        assert_eq!(resources.len(), 2);
        let logs = resources[0];
        assert_eq!(logs.label(0), Some("aws_s3_bucket"));
        assert_eq!(logs.label(1), Some("logs"));
        let bucket = logs.body.attribute("bucket").expect("bucket");
        assert_eq!(at(text, bucket.value.range), "${var.prefix}-logs");
        let ExprKind::Template(t) = &bucket.value.kind else {
            panic!("{bucket:?}")
        };
        let TemplatePart::Interpolation(e) = &t.parts[0] else {
            panic!()
        };
        assert_eq!(at(text, e.range), "var.prefix");
        assert_eq!(
            logs.body.attribute("acl").and_then(|a| a.value.as_str()),
            Some("private")
        );
        assert!(matches!(
            logs.body.attribute("versioning").map(|a| &a.value.kind),
            Some(ExprKind::Object(_))
        ));
        assert_eq!(logs.body.blocks_of("lifecycle").count(), 1);
        let dynamic = logs.body.blocks_of("dynamic").next().expect("dynamic");
        assert_eq!(dynamic.label(0), Some("rule"));
        assert_eq!(dynamic.body.blocks_of("content").count(), 1);
        assert_eq!(
            dynamic
                .body
                .attribute("iterator")
                .and_then(|a| a.value.as_traversal_path()),
            Some(vec!["r"])
        );
        let var = b.blocks_of("variable").next().expect("variable");
        assert_eq!(
            var.body.attribute("type").map(|a| a.value.kind.clone()),
            Some(ExprKind::Variable("string".into()))
        );
        assert_eq!(
            var.body.attribute("default").and_then(|a| a.value.as_str()),
            Some("${not a template}")
        );
        assert_eq!(b.blocks_of("locals").count(), 2);
        let tf = b.blocks_of("terraform").next().expect("terraform");
        let backend = tf.body.blocks_of("backend").next().expect("backend");
        assert_eq!(backend.label(0), Some("s3"));
        assert_eq!(tf.body.blocks_of("required_providers").count(), 1);
    }

    #[test]
    fn escaped_strings_get_the_whole_string_range() {
        let text = r#"{"locals": {"a": "\u0041${b}"}}"#;
        let b = parse(text);
        let a = &b.blocks[0].body.attributes[0];
        assert_eq!(at(text, a.value.range), r#""\u0041${b}""#);
        assert_eq!(literal_text(&a.value), "A${}");
    }

    #[test]
    fn errors() {
        let file = parse_tf_json("{\"locals\": {\"a\": \"${\"}}");
        assert_eq!(file.errors.len(), 1);
        assert_eq!(file.errors[0].range.start, 18, "{:?}", file.errors);
        assert_eq!(parse_tf_json("[1]").errors.len(), 1);
        assert_eq!(parse_tf_json("{").errors.len(), 1);
        assert_eq!(parse_tf_json("").errors.len(), 1);
        assert_eq!(parse_tf_json("{\"resource\": 1}").errors.len(), 1);
    }
}

mod props {
    use proptest::prelude::*;

    use super::check_ranges;
    use crate::hcl::{parse_hcl, parse_tf_json};

    const SEED: &str = r#"
variable "x" {
  type    = list(object({ a = optional(string, "d") }))
  default = []
}
locals {
  m = { for k, v in var.x : k => v.a... if v != null }
  s = "a${local.m}b%{ if true ~} c %{ else } d %{ endif }"
  h = <<-EOT
    hi ${x}
    %{ for i in range(3) ~}
      ${i}
    %{ endfor }
    EOT
}
resource "aws_s3_bucket" "b" {
  count  = length(var.x) > 0 ? 1 : 0
  bucket = "${local.s}-${count.index}"
  tags   = merge(var.tags, { Name = "é" })
  dynamic "rule" {
    for_each = var.rules[*].id
    content { id = rule.value }
  }
}
"#;

    const JSON_SEED: &str = r#"{"resource": {"a_b": {"c": {"x": "${var.y}", "dynamic": {"d": {"for_each": "${[1]}", "content": {"k": 1}}}}}}, "locals": {"z": "%{if true}y%{endif}"}}"#;

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
        "}",
        "<<EOT\n",
        "<<-EOT\n",
        "\nEOT\n",
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
        "//",
        "/*",
        "*/",
        "\\",
        "é",
        "\u{1F980}",
        " for x in y :",
        " if ",
        "endif",
        "endfor",
        "0x",
        "1e",
        "-",
        "!",
        "&&",
        "\t",
        "\r\n",
    ];

    fn mutated(seed: &'static str) -> impl Strategy<Value = String> {
        prop::collection::vec(
            (any::<prop::sample::Index>(), 0..PIECES.len(), 0..3usize),
            1..8,
        )
        .prop_map(move |edits| {
            let mut text = seed.to_owned();
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

    #[test]
    fn seeds_parse() {
        let file = parse_hcl(SEED);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let file = parse_tf_json(JSON_SEED);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn hcl_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
            check_ranges(&text, &parse_hcl(&text));
        }

        #[test]
        fn hcl_never_panics_on_mutated_hcl(text in mutated(SEED)) {
            check_ranges(&text, &parse_hcl(&text));
        }

        #[test]
        fn hcl_never_panics_on_hcl_like_noise(text in "([{}\\[\\]()\"=~$%<>:?.*,!#/\\\\ \t\nax0é-]|<<-?EOT\n|\nEOT|\\$\\{|%\\{|endif|endfor| for | in | if ){0,80}") {
            check_ranges(&text, &parse_hcl(&text));
        }

        #[test]
        fn json_never_panics_on_mutated_json(text in mutated(JSON_SEED)) {
            check_ranges(&text, &parse_tf_json(&text));
        }
    }
}

/// Terraform accepts a repeated key in an object constructor (the last value wins); hcl-edit
/// does not. Both items reach the tree in order, with their names and exact ranges.
#[test]
fn repeated_object_keys_parse() {
    let text =
        "a = {\n  min = 2\n  \"max\" = 3\n  min = 4\n  \"max\" = 5\n  Z00 = 6\n  min = 7\n}\n";
    let file = parse_hcl(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    check_ranges(text, &file);
    let ExprKind::Object(items) = &file.body.attributes[0].value.kind else {
        panic!("an object");
    };
    let keys: Vec<String> = items
        .iter()
        .map(|i| match &i.key {
            ObjectKey::Ident(k) => format!("{}@{}", k.value, k.range.start),
            ObjectKey::Expr(e) => match &e.kind {
                ExprKind::String(s) => format!("\"{s}\"@{}", e.range.start),
                other => format!("{other:?}"),
            },
        })
        .collect();
    assert_eq!(
        keys,
        [
            "min@8",
            "\"max\"@18",
            "min@30",
            "\"max\"@40",
            "Z00@52",
            "min@62"
        ]
    );
    // A new name that collides with a real key is replaced by the next candidate.
    let file = parse_hcl("a = { Z = 1, a = 2, a = 3 }\n");
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    // Other errors are reported as before.
    let file = parse_hcl("a = {\n  b = 1\n  b = \n}\n");
    assert_eq!(file.errors.len(), 1);
}
