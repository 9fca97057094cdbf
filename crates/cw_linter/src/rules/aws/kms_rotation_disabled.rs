use super::helpers::{display, report_setting};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a symmetric encryption key (`aws_kms_key` with the default key spec and usage) that does
    /// not rotate its key material (`enable_key_rotation` unset or `false`). Asymmetric and HMAC
    /// keys, which AWS cannot rotate automatically, are not reported.
    ///
    /// ## Why is this bad?
    /// Yearly rotation limits how much data one key version protects and how long a leaked key
    /// stays useful, at no cost and without re-encrypting anything.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   description = "data"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   description         = "data"
    ///   enable_key_rotation = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS KMS: rotating keys](https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html)
    pub struct KmsRotationDisabled {
        code: "AWS037",
        name: "kms-rotation-disabled",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_AWS_7"), Trivy("AVD-AWS-0065"), Kics("KMS Key Rotation Disabled")],
    }
}

impl Rule for KmsRotationDisabled {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for k in &input.model.kms_keys {
            let symmetric = k.key_spec.value().is_none_or(|s| s == "SYMMETRIC_DEFAULT")
                && !k.key_spec.is_unknown()
                && k.key_usage.value().is_none_or(|u| u == "ENCRYPT_DECRYPT")
                && !k.key_usage.is_unknown();
            if !symmetric {
                continue;
            }
            let name = display(&k.origin);
            report_setting(
                ctx,
                &k.origin,
                &k.enable_key_rotation,
                true,
                |v| !*v,
                |_| format!("`{name}` does not rotate its key material"),
                "set `enable_key_rotation = true`",
            );
        }
    }
}
