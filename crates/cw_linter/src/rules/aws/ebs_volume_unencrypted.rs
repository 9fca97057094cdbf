use cw_model::aws::Field;

use super::helpers::{display, ebs_default_encryption_may_be_on};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aws_ebs_volume` that is not encrypted: `encrypted` not set (the default is
    /// `false`) or `false`. Volumes made from a snapshot (whose encryption they inherit) are not
    /// reported, and nothing is reported when the same configuration turns on EBS encryption by
    /// default for the account (`aws_ebs_encryption_by_default`).
    ///
    /// ## Why is this bad?
    /// Anyone who can create a snapshot of an unencrypted volume, or share one, can read its data
    /// in another account. Encryption uses KMS, costs nothing extra and has no performance cost.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ebs_volume" "data" {
    ///   availability_zone = "eu-west-1a"
    ///   size              = 100
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_ebs_volume" "data" {
    ///   availability_zone = "eu-west-1a"
    ///   size              = 100
    ///   encrypted         = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon EBS encryption](https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html)
    pub struct EbsVolumeUnencrypted {
        code: "AWS009",
        name: "ebs-volume-unencrypted",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_AWS_3"), Trivy("AVD-AWS-0026")],
    }
}

impl Rule for EbsVolumeUnencrypted {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        if ebs_default_encryption_may_be_on(&input.model) {
            return;
        }
        for v in input.model.volumes.iter().filter(|v| !v.snapshot) {
            let at = match &v.encrypted {
                Field::Absent => v.origin.name,
                Field::Known(e) if !e.value => e.range,
                _ => continue,
            };
            ctx.report(at, format!("`{}` is not encrypted", display(&v.origin)))
                .help("set `encrypted = true` (and `kms_key_id` for a customer-managed key)")
                .resource(v.origin.address.clone());
        }
    }
}
