use cw_model::aws::s3::Bucket;

use super::helpers::display;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an S3 bucket whose ACL makes its objects public: the canned ACLs `public-read` and
    /// `public-read-write` (inline `acl` or `aws_s3_bucket_acl`), or a grant to the `AllUsers` or
    /// `AuthenticatedUsers` group. A bucket whose public access block both blocks and ignores
    /// public ACLs is not reported: AWS then disregards them.
    ///
    /// ## Why is this bad?
    /// A public ACL lets anyone on the internet list or read (or, with `public-read-write`,
    /// overwrite) the bucket's objects. `AuthenticatedUsers` means any AWS account, not yours.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "assets" {
    ///   bucket = "acme-assets"
    /// }
    ///
    /// resource "aws_s3_bucket_acl" "assets" {
    ///   bucket = aws_s3_bucket.assets.id
    ///   acl    = "public-read"
    /// }
    /// ```
    ///
    /// Use instead: keep the bucket private and serve public content through CloudFront with an
    /// origin access control.
    ///
    /// ## References
    /// - [Amazon S3: access control list overview](https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html)
    /// - [Amazon S3: blocking public access](https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)
    pub struct S3PublicAcl {
        code: "AWS001",
        name: "s3-public-acl",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_AWS_20"), Checkov("CKV_AWS_57"), Trivy("AVD-AWS-0092")],
    }
}

/// Whether the bucket's public access block makes AWS disregard public ACLs.
fn acls_neutralised(b: &Bucket) -> bool {
    b.public_access_block.value().is_some_and(|p| {
        p.block_public_acls.value() == Some(&true) && p.ignore_public_acls.value() == Some(&true)
    })
}

impl Rule for S3PublicAcl {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for b in &input.model.buckets {
            if acls_neutralised(b) {
                continue;
            }
            for acl in &b.acls {
                if matches!(acl.value.as_str(), "public-read" | "public-read-write") {
                    ctx.report(acl.range, format!("`{}` has the public ACL `{}`", display(&b.origin), acl.value))
                        .help("use the `private` ACL (or none, with object ownership `BucketOwnerEnforced`) and serve public content through CloudFront")
                        .resource(b.origin.address.clone());
                }
            }
            for uri in &b.grant_uris {
                let group = uri.value.rsplit('/').next().unwrap_or("");
                if matches!(group, "AllUsers" | "AuthenticatedUsers") {
                    ctx.report(uri.range, format!("`{}` grants access to the `{group}` group", display(&b.origin)))
                        .help("remove the grant; grant access to specific accounts or roles in a bucket policy instead")
                        .resource(b.origin.address.clone());
                }
            }
        }
    }
}
