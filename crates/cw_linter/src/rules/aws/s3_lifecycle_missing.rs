use cw_model::aws::Field;

use super::helpers::display;
use crate::prelude::*;
use crate::rules::terraform::helpers::header;

declare_rule! {
    /// ## What it does
    /// Flags an S3 bucket with no enabled lifecycle rule that expires, transitions or cleans up
    /// anything: no lifecycle configuration (inline `lifecycle_rule` or
    /// `aws_s3_bucket_lifecycle_configuration`), or only disabled rules, or rules with no action. A
    /// configuration known only after apply is not reported.
    ///
    /// ## Why is this bad?
    /// Without lifecycle rules, storage only grows: old logs, noncurrent versions (with
    /// versioning on) and the parts of failed multipart uploads are billed forever.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "logs" {
    ///   bucket = "acme-logs"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_s3_bucket_lifecycle_configuration" "logs" {
    ///   bucket = aws_s3_bucket.logs.id
    ///   rule {
    ///     id     = "expire"
    ///     status = "Enabled"
    ///     filter {}
    ///     expiration {
    ///       days = 90
    ///     }
    ///     abort_incomplete_multipart_upload {
    ///       days_after_initiation = 7
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon S3: managing the lifecycle of objects](https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html)
    pub struct S3LifecycleMissing {
        code: "AWS006",
        name: "s3-lifecycle-missing",
        category: Cost,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV2_AWS_61"), Checkov("CKV_AWS_300")],
    }
}

impl Rule for S3LifecycleMissing {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        let help = "add a lifecycle rule that expires or transitions objects and aborts incomplete multipart uploads";
        for b in &input.model.buckets {
            match &b.lifecycle {
                Field::Absent => {
                    ctx.report(
                        b.origin.name,
                        format!("`{}` has no lifecycle rule", display(&b.origin)),
                    )
                    .help(help)
                    .resource(b.origin.address.clone());
                }
                Field::Known(rules) => {
                    let acting = rules
                        .value
                        .iter()
                        .any(|r| r.acts && r.status.value().is_none_or(|s| s != "Disabled"));
                    if !acting {
                        let at = header(ctx, rules.range);
                        ctx.report(
                            at,
                            format!(
                                "no enabled lifecycle rule of `{}` expires or transitions anything",
                                display(&b.origin)
                            ),
                        )
                        .help(help)
                        .resource(b.origin.address.clone());
                    }
                }
                Field::Unknown(_) => {}
            }
        }
    }
}
