use super::helpers::{display, report_setting};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aws_cloudtrail` limited to one region (`is_multi_region_trail` unset or `false`).
    ///
    /// ## Why is this bad?
    /// Activity in the other regions (an attacker starting instances where nobody looks) is not
    /// recorded.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name           = "main"
    ///   s3_bucket_name = "acme-trail"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name                  = "main"
    ///   s3_bucket_name        = "acme-trail"
    ///   is_multi_region_trail = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS CloudTrail: trails for all regions](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html)
    pub struct CloudtrailNotMultiRegion {
        code: "AWS053",
        name: "cloudtrail-not-multi-region",
        category: Observability,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_AWS_67"), Trivy("AVD-AWS-0014"), Kics("CloudTrail Multi Region Disabled")],
    }
}

impl Rule for CloudtrailNotMultiRegion {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for t in &input.model.trails {
            let name = display(&t.origin);
            report_setting(
                ctx,
                &t.origin,
                &t.is_multi_region_trail,
                true,
                |v| !*v,
                |_| format!("`{name}` records one region only"),
                "set `is_multi_region_trail = true`",
            );
        }
    }
}
