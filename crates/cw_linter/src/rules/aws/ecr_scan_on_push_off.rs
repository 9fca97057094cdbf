use super::helpers::{display, report_setting};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aws_ecr_repository` that does not scan images on push (no
    /// `image_scanning_configuration`, or `scan_on_push = false`). Registries that scan through
    /// the account-level registry scanning configuration may ignore this finding.
    ///
    /// ## Why is this bad?
    /// Images with known vulnerabilities are pushed and deployed without anyone being told.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name = "api"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name = "api"
    ///   image_scanning_configuration {
    ///     scan_on_push = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon ECR: image scanning](https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html)
    pub struct EcrScanOnPushOff {
        code: "AWS070",
        name: "ecr-scan-on-push-off",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_AWS_163"), Trivy("AVD-AWS-0030")],
    }
}

impl Rule for EcrScanOnPushOff {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for r in &input.model.ecr_repositories {
            let name = display(&r.origin);
            report_setting(
                ctx,
                &r.origin,
                &r.scan_on_push,
                true,
                |v| !*v,
                |_| format!("`{name}` does not scan images on push"),
                "add `image_scanning_configuration { scan_on_push = true }`",
            );
        }
    }
}
