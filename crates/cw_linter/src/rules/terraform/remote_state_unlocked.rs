use cw_model::terraform::Setting;

use super::remote_state_unencrypted::s3_backends;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `s3` backend with neither `use_lockfile = true` (S3-native locking, Terraform
    /// 1.10+) nor a `dynamodb_table`. A backend block that names no `bucket` is partially
    /// configured and is not reported.
    ///
    /// ## Why is this bad?
    /// Without a lock, two applies of the same state (two pipelines, a pipeline and a laptop) run
    /// at once: each writes its own view of the world, and the state ends up corrupted or
    /// forgetting resources that still exist.
    ///
    /// ## Example
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
    /// Use instead:
    /// ```hcl
    /// terraform {
    ///   backend "s3" {
    ///     bucket       = "acme-terraform-state"
    ///     key          = "prod.tfstate"
    ///     region       = "eu-west-1"
    ///     encrypt      = true
    ///     use_lockfile = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Terraform: S3 backend, state locking](https://developer.hashicorp.com/terraform/language/backend/s3#state-locking)
    pub struct RemoteStateUnlocked {
        code: "TF003",
        name: "remote-state-unlocked",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [],
    }
}

impl Rule for RemoteStateUnlocked {
    type Input = TerraformInput;
    type Options = NoOptions;

    fn check(&self, input: &TerraformInput, ctx: &mut RuleCtx) {
        for backend in s3_backends(input) {
            let lockfile = backend.body.setting("use_lockfile");
            let table = backend.body.setting("dynamodb_table");
            let locked = |s: Setting<'_>| match s {
                Setting::Absent => Some(false),
                Setting::Unknown(_) => None,
                Setting::Known(v) => Some(match &v.value {
                    cw_model::terraform::Value::Bool(b) => *b,
                    cw_model::terraform::Value::String(t) => !t.is_empty(),
                    cw_model::terraform::Value::Null => false,
                    _ => true,
                }),
            };
            if locked(lockfile) == Some(false) && locked(table) == Some(false) {
                let at = match lockfile {
                    Setting::Known(v) => v.range,
                    _ => backend.kind.range,
                };
                ctx.report(at, "the S3 backend does not lock the state: neither `use_lockfile = true` nor `dynamodb_table` is set")
                    .help("set `use_lockfile = true` (Terraform 1.10+) or a `dynamodb_table` for locking");
            }
        }
    }
}
