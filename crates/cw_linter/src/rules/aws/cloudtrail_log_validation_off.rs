use super::helpers::{display, report_setting};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aws_cloudtrail` without log file validation (`enable_log_file_validation` unset or
    /// `false`).
    ///
    /// ## Why is this bad?
    /// Without digest files, a log that was altered or deleted after delivery cannot be told from an
    /// intact one: an intruder can cover their tracks.
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
    ///   name                       = "main"
    ///   s3_bucket_name             = "acme-trail"
    ///   enable_log_file_validation = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS CloudTrail: log file integrity validation](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html)
    pub struct CloudtrailLogValidationOff {
        code: "AWS054",
        name: "cloudtrail-log-validation-off",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_AWS_36"), Trivy("AVD-AWS-0016"), Kics("CloudTrail Log File Validation Disabled")],
    }
}

impl Rule for CloudtrailLogValidationOff {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for t in &input.model.trails {
            let name = display(&t.origin);
            report_setting(
                ctx,
                &t.origin,
                &t.enable_log_file_validation,
                true,
                |v| !*v,
                |_| format!("`{name}` does not validate its log files"),
                "set `enable_log_file_validation = true`",
            );
        }
    }
}
