use cw_model::terraform::{Backend, Setting};

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `s3` backend that does not set `encrypt = true`. A backend block that names no
    /// `bucket` is partially configured (the rest comes from `-backend-config` at `terraform init`)
    /// and is not reported.
    ///
    /// ## Why is this bad?
    /// State holds every attribute of every resource in plain text: database passwords, private
    /// keys, tokens. `encrypt = true` makes Terraform request server-side encryption for the state
    /// object, so the state is encrypted at rest whatever the bucket's defaults become.
    ///
    /// ## Example
    /// ```hcl
    /// terraform {
    ///   backend "s3" {
    ///     bucket = "acme-terraform-state"
    ///     key    = "prod.tfstate"
    ///     region = "eu-west-1"
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// terraform {
    ///   backend "s3" {
    ///     bucket  = "acme-terraform-state"
    ///     key     = "prod.tfstate"
    ///     region  = "eu-west-1"
    ///     encrypt = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Terraform: S3 backend](https://developer.hashicorp.com/terraform/language/backend/s3)
    pub struct RemoteStateUnencrypted {
        code: "TF002",
        name: "remote-state-unencrypted",
        category: Security,
        severity: Error,
        fix: None,
        peers: [],
    }
}

/// The S3 backends of the root module that are configured in the file (they name a bucket).
pub(super) fn s3_backends(input: &TerraformInput) -> impl Iterator<Item = &Backend> {
    input
        .eval
        .root
        .terraform
        .iter()
        .filter_map(|t| t.backend.as_ref())
        .filter(|b| b.kind.value == "s3" && !b.body.setting("bucket").is_absent())
}

impl Rule for RemoteStateUnencrypted {
    type Input = TerraformInput;
    type Options = NoOptions;

    fn check(&self, input: &TerraformInput, ctx: &mut RuleCtx) {
        for backend in s3_backends(input) {
            let help = "set `encrypt = true` in the backend block";
            match backend.body.setting("encrypt") {
                Setting::Absent => {
                    ctx.report(
                        backend.kind.range,
                        "the S3 backend does not encrypt the state (`encrypt` is not set)",
                    )
                    .help(help);
                }
                Setting::Known(v) if v.value.as_bool() == Some(false) => {
                    ctx.report(
                        v.range,
                        "the S3 backend does not encrypt the state (`encrypt = false`)",
                    )
                    .help(help);
                }
                _ => {}
            }
        }
    }
}
