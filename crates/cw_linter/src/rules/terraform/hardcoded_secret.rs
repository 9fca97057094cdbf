use std::collections::HashSet;

use cw_model::terraform::{Body, Value};

use crate::prelude::*;
use crate::rules::dockerfile::secret_in_arg_or_env::redact;
use crate::rules::kubernetes::helpers::literal_secret;

declare_rule! {
    /// ## What it does
    /// Flags a literal secret written in Terraform: a resource argument, a nested block argument
    /// or a map key whose name says it holds a secret (`password`, `master_password`,
    /// `client_secret`, `DB_PASSWORD = "..."` in an environment map), or a URL with a password,
    /// when its value is a literal string, and the `default` of a secret-named variable. The
    /// finding points where the value is written: the argument, the variable's default, or the
    /// line of `terraform.tfvars` that sets it. Values from data sources, from other resources
    /// (`random_password.db.result`), from unset variables, placeholders (`changeme`,
    /// `<password>`) and references to secret stores are not reported. Provider blocks are
    /// TF009's, database master passwords AWS046's and Lambda environments AWS076's.
    ///
    /// ## Why is this bad?
    /// A secret in the configuration is in every clone of the repository and in its history. It
    /// also ends up in the state and in plan output.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine   = "postgres"
    ///   username = "app"
    ///   password = "Sup3rS3cret!"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine                      = "postgres"
    ///   username                    = "app"
    ///   manage_master_user_password = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [Terraform: sensitive data in state](https://developer.hashicorp.com/terraform/language/state/sensitive-data)
    /// - [Terraform: ephemeral values and write-only arguments](https://developer.hashicorp.com/terraform/language/resources/ephemeral)
    pub struct HardcodedSecret {
        code: "TF008",
        name: "hardcoded-secret",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Kics("Passwords And Secrets")],
    }
}

/// Reports the literal secrets under `name` = `value`, once per place.
pub(super) fn report_secrets(
    ctx: &mut RuleCtx,
    seen: &mut HashSet<(u32, u32)>,
    name: &str,
    value: &Spanned<Value>,
    what: &str,
) {
    match &value.value {
        Value::String(s) => {
            if literal_secret(name, s).is_none()
                || !seen.insert((value.range.start, value.range.end))
            {
                return;
            }
            ctx.report(value.range, format!("{what} `{name}` is set to a literal secret (`{}`)", redact(s)))
                .help("pass the value in at apply time (a sensitive variable set by CI, or a secret store such as Secrets Manager or Vault)")
                .redact(value.range);
        }
        Value::Map(entries) => {
            for (k, v) in entries {
                report_secrets(ctx, seen, k, v, what);
            }
        }
        Value::List(items) => {
            for v in items {
                report_secrets(ctx, seen, name, v, what);
            }
        }
        _ => {}
    }
}

fn body(ctx: &mut RuleCtx, seen: &mut HashSet<(u32, u32)>, b: &Body, what: &str) {
    for a in &b.attrs {
        report_secrets(ctx, seen, &a.name.value, &a.value, what);
    }
    for nested in &b.blocks {
        body(ctx, seen, &nested.body, what);
    }
}

impl Rule for HardcodedSecret {
    type Input = TerraformInput;
    type Options = NoOptions;

    fn check(&self, input: &TerraformInput, ctx: &mut RuleCtx) {
        let mut seen = HashSet::new();
        for m in input.eval.modules() {
            for v in &m.variables {
                if let Some(default) = &v.default {
                    report_secrets(ctx, &mut seen, &v.name.value, default, "variable");
                }
            }
            for r in &m.resources {
                // AWS046 reports database master passwords.
                let rds = match r.kind.value.as_str() {
                    "aws_db_instance" => Some("password"),
                    "aws_rds_cluster" => Some("master_password"),
                    _ => None,
                };
                if let Some(arg) = rds
                    && let Some(v) = r.attr(arg)
                {
                    seen.insert((v.range.start, v.range.end));
                }
                // AWS076 reports Lambda environments.
                if r.kind.value == "aws_lambda_function" {
                    continue;
                }
                body(ctx, &mut seen, &r.body, "argument");
            }
        }
    }
}
