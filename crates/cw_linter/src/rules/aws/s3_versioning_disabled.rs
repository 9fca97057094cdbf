use cw_model::aws::Field;

use super::helpers::display;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an S3 bucket without versioning enabled: no versioning configuration at all (inline
    /// `versioning` or `aws_s3_bucket_versioning`), or one with status `Suspended` or `Disabled`.
    /// A configuration whose link to the bucket or whose status is known only after apply is not
    /// reported.
    ///
    /// ## Why is this bad?
    /// Without versioning, an overwrite or a delete (by a bug, a user or ransomware) destroys the
    /// object for good. Versioning keeps the previous versions, and a lifecycle rule can expire
    /// them after a while to bound the cost.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "data" {
    ///   bucket = "acme-data"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_s3_bucket_versioning" "data" {
    ///   bucket = aws_s3_bucket.data.id
    ///   versioning_configuration {
    ///     status = "Enabled"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon S3: using versioning](https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html)
    pub struct S3VersioningDisabled {
        code: "AWS004",
        name: "s3-versioning-disabled",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_AWS_21"), Trivy("AVD-AWS-0090"), Kics("S3 Bucket Without Versioning")],
    }
}

impl Rule for S3VersioningDisabled {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        let help = "enable versioning (`aws_s3_bucket_versioning` with `status = \"Enabled\"`)";
        for b in &input.model.buckets {
            match &b.versioning {
                Field::Absent => {
                    ctx.report(
                        b.origin.name,
                        format!("`{}` does not enable versioning", display(&b.origin)),
                    )
                    .help(help)
                    .resource(b.origin.address.clone());
                }
                Field::Known(s) if s.value != "Enabled" => {
                    ctx.report(
                        s.range,
                        format!("`{}` has versioning `{}`", display(&b.origin), s.value),
                    )
                    .help(help)
                    .resource(b.origin.address.clone());
                }
                _ => {}
            }
        }
    }
}
