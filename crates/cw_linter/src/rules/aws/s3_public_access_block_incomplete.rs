use cw_model::aws::Field;

use super::helpers::display;
use crate::prelude::*;
use crate::rules::terraform::helpers::header;

declare_rule! {
    /// ## What it does
    /// Flags an S3 bucket that is not covered by a public access block with all four settings on
    /// (`block_public_acls`, `block_public_policy`, `ignore_public_acls`,
    /// `restrict_public_buckets`): no `aws_s3_bucket_public_access_block` for it, or one that leaves a
    /// setting off (each defaults to `false`). An account-level block
    /// (`aws_s3_account_public_access_block`) with all four on covers every bucket. A block whose
    /// link to the bucket, or whose settings, are known only after apply are not reported.
    ///
    /// ## Why is this bad?
    /// The public access block is the guard rail that keeps a later ACL or policy change from
    /// making the bucket public. Without it, one wrong `acl` or `Principal: "*"` is a data leak.
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
    /// resource "aws_s3_bucket_public_access_block" "data" {
    ///   bucket                  = aws_s3_bucket.data.id
    ///   block_public_acls       = true
    ///   block_public_policy     = true
    ///   ignore_public_acls      = true
    ///   restrict_public_buckets = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon S3: blocking public access](https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)
    pub struct S3PublicAccessBlockIncomplete {
        code: "AWS002",
        name: "s3-public-access-block-incomplete",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Checkov("CKV2_AWS_6"),
            Checkov("CKV_AWS_53"),
            Checkov("CKV_AWS_54"),
            Checkov("CKV_AWS_55"),
            Checkov("CKV_AWS_56"),
            Trivy("AVD-AWS-0086"),
            Trivy("AVD-AWS-0087"),
            Trivy("AVD-AWS-0091"),
            Trivy("AVD-AWS-0093"),
            Trivy("AVD-AWS-0094")
        ],
    }
}

impl Rule for S3PublicAccessBlockIncomplete {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        let account_covers = input.model.account_public_access_blocks.iter().any(|p| {
            [
                &p.block_public_acls,
                &p.block_public_policy,
                &p.ignore_public_acls,
                &p.restrict_public_buckets,
            ]
            .iter()
            .all(|f| f.value() != Some(&false) && !f.is_absent())
        });
        if account_covers {
            return;
        }
        let help = "add an `aws_s3_bucket_public_access_block` with all four settings `true`";
        for b in &input.model.buckets {
            match &b.public_access_block {
                Field::Absent => {
                    ctx.report(
                        b.origin.name,
                        format!("`{}` has no public access block", display(&b.origin)),
                    )
                    .help(help)
                    .resource(b.origin.address.clone());
                }
                Field::Unknown(_) => {}
                Field::Known(p) => {
                    let settings = [
                        ("block_public_acls", &p.value.block_public_acls),
                        ("block_public_policy", &p.value.block_public_policy),
                        ("ignore_public_acls", &p.value.ignore_public_acls),
                        ("restrict_public_buckets", &p.value.restrict_public_buckets),
                    ];
                    for (name, f) in settings {
                        let at = match f {
                            Field::Absent => header(ctx, p.value.range),
                            Field::Known(v) if !v.value => v.range,
                            _ => continue,
                        };
                        ctx.report(
                            at,
                            format!(
                                "the public access block of `{}` leaves `{name}` off",
                                display(&b.origin)
                            ),
                        )
                        .help(format!("set `{name} = true`"))
                        .resource(b.origin.address.clone());
                    }
                }
            }
        }
    }
}
