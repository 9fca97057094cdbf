use cw_model::aws::Field;

use super::helpers::display;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aws_instance`, `aws_launch_template` or `aws_launch_configuration` that allows
    /// IMDSv1: no `metadata_options` block, or `http_tokens` not set to `required`. Instances whose
    /// metadata endpoint is disabled (`http_endpoint = "disabled"`) are not reported, and neither
    /// are values known only after apply.
    ///
    /// ## Why is this bad?
    /// IMDSv1 answers any plain HTTP GET from the instance, so a server-side request forgery in
    /// the application hands out the instance role's credentials (the Capital One breach). IMDSv2
    /// requires a session token obtained with a PUT, which SSRF cannot do.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "t3.micro"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "t3.micro"
    ///   metadata_options {
    ///     http_tokens = "required"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon EC2: use IMDSv2](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html)
    pub struct Imdsv1Allowed {
        code: "AWS013",
        name: "imdsv1-allowed",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Checkov("CKV_AWS_79"),
            Trivy("AVD-AWS-0028"),
            Trivy("AVD-AWS-0130"),
            Kics("IMDSv1 enabled")
        ],
    }
}

impl Rule for Imdsv1Allowed {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for spec in &input.model.launch_specs {
            if spec.metadata_unknown || spec.http_endpoint.value().is_some_and(|e| e == "disabled")
            {
                continue;
            }
            let at = match &spec.http_tokens {
                Field::Absent => spec.origin.name,
                Field::Known(t) if t.value != "required" => t.range,
                _ => continue,
            };
            ctx.report(
                at,
                format!(
                    "`{}` allows IMDSv1 (`http_tokens` is not `required`)",
                    display(&spec.origin)
                ),
            )
            .help("add `metadata_options { http_tokens = \"required\" }`")
            .resource(spec.origin.address.clone());
        }
    }
}
