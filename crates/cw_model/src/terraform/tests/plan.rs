//! Plan JSON: `resources/fixtures/terraform/plan/plan.json` is what `terraform show -json` wrote
//! for the configuration beside it (Terraform 1.11, built-in `terraform_data` resources, so no
//! provider is needed to make it again).

use super::*;

fn fixture() -> String {
    include_str!("../../../resources/fixtures/terraform/plan/plan.json").to_owned()
}

#[test]
fn a_real_plan_reads_as_an_evaluation() {
    let text = fixture();
    assert!(looks_like_plan(&text));
    let eval = evaluate_plan("plan.json", &text);
    assert!(eval.problems.is_empty(), "{:?}", eval.problems);
    let addresses: Vec<&str> = eval.resources().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addresses,
        [
            "terraform_data.x[\"a\"]",
            "terraform_data.x[\"b\"]",
            "terraform_data.y",
            "module.m.terraform_data.z",
        ]
    );
    let x = eval.resources().next().expect("x");
    assert_eq!(x.key, InstanceKey::Key("a".to_owned()));
    assert_eq!(eval.sources.text(x.name.range), "\"x\"");
    let Some(Value::Map(input)) = x.attr("input").map(|v| &v.value) else {
        panic!("input is a known object: {:?}", x.attr("input"));
    };
    assert_eq!(input["public"].value, Value::Bool(true));
    assert_eq!(eval.sources.text(input["public"].range), "true");
    // `triggers_replace` is null, as Terraform writes an argument that is not set.
    assert_eq!(
        x.attr("triggers_replace").map(|v| &v.value),
        Some(&Value::Null)
    );
    // `y.input` refers to `x`'s id, known only after apply; the configuration names `x`.
    let y = eval.resources().nth(2).expect("y");
    assert!(matches!(y.setting("input"), Setting::Unknown(_)));
    let input = y.body.attribute("input").expect("input");
    assert_eq!(input.refs, ["terraform_data.x"]);
    // `id` and `output` are computed and not written in the configuration: not set.
    assert!(y.setting("id").is_absent());
    let z = eval.resources().nth(3).expect("z");
    assert_eq!(z.module, "module.m");
    assert_eq!(z.local_address(), "terraform_data.z");
}

#[test]
fn not_a_plan_and_broken_plans() {
    assert!(!looks_like_plan(
        "{\"apiVersion\": \"v1\", \"kind\": \"List\"}"
    ));
    assert!(!looks_like_plan(
        "{\"format_version\":\"1.0\",\"terraform_version\":\"1.9.0\",\"values\":{}}"
    ));
    let eval = evaluate_plan(
        "p.json",
        "{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.0\",\"planned_values\":{",
    );
    assert_eq!(eval.problems.len(), 1);
    assert_eq!(eval.problems[0].kind, ProblemKind::Syntax);
    assert_eq!(eval.resources().count(), 0);
    // Odd shapes are skipped, never a panic.
    for text in [
        "{\"planned_values\":{\"root_module\":{\"resources\":[1,{\"address\":2},{\"address\":\"a.b\"}]}}}",
        "{\"planned_values\":{\"root_module\":{\"child_modules\":[{\"resources\":[]},3]}}}",
        "{\"planned_values\":[],\"resource_changes\":{},\"configuration\":[]}",
        "[]",
        "",
    ] {
        let eval = evaluate_plan("p.json", text);
        assert_eq!(eval.resources().count(), 0, "{text}");
    }
}

#[test]
fn strip_keys_and_local_resources() {
    assert_eq!(
        crate::terraform::plan::strip_keys("module.a[\"x[1]\"].module.b[0]"),
        "module.a.module.b"
    );
    assert_eq!(
        crate::terraform::plan::local_resource("aws_s3_bucket.logs[0].id").as_deref(),
        Some("aws_s3_bucket.logs")
    );
    assert_eq!(
        crate::terraform::plan::local_resource("data.aws_iam_policy_document.p.json").as_deref(),
        Some("data.aws_iam_policy_document.p")
    );
    assert_eq!(crate::terraform::plan::local_resource("var.names"), None);
    assert_eq!(crate::terraform::plan::local_resource("module.m.out"), None);
}
