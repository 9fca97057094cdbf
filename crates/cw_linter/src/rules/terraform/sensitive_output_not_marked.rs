use super::sensitive_variable_not_marked::insert_attribute;
use crate::prelude::*;
use crate::rules::dockerfile::secret_in_arg_or_env::is_secret_name;

declare_rule! {
    /// ## What it does
    /// Flags an `output` whose name says it exposes a secret (`db_password`, `admin_token`,
    /// `client_secret`, `private_key`) and that is not marked `sensitive = true`. (An output that
    /// passes on a value Terraform already knows is sensitive, from a sensitive variable or a
    /// provider attribute such as a database password, is an error in Terraform itself.)
    ///
    /// ## Why is this bad?
    /// Terraform prints outputs at the end of every apply and in `terraform output`, and CI keeps
    /// those logs. A secret passed through a value Terraform does not know to be sensitive (a
    /// `random_password` made into a connection string, a value read from a file) is shown in
    /// clear.
    ///
    /// ## Example
    /// ```hcl
    /// output "db_password" {
    ///   value = random_password.db.result
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// output "db_password" {
    ///   value     = random_password.db.result
    ///   sensitive = true
    /// }
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `sensitive = true` to the block: `terraform output` then hides the value
    /// unless asked for it by name (`terraform output -raw db_password`).
    ///
    /// ## References
    /// - [Terraform: sensitive outputs](https://developer.hashicorp.com/terraform/language/values/outputs#sensitive-suppressing-values-in-cli-output)
    pub struct SensitiveOutputNotMarked {
        code: "TF007",
        name: "sensitive-output-not-marked",
        category: Security,
        severity: Warning,
        fix: Sometimes,
        peers: [],
    }
}

impl Rule for SensitiveOutputNotMarked {
    type Input = TerraformInput;
    type Options = NoOptions;

    fn check(&self, input: &TerraformInput, ctx: &mut RuleCtx) {
        for m in input.eval.modules() {
            for o in &m.outputs {
                if o.sensitive || !is_secret_name(&o.name.value) {
                    continue;
                }
                let fix = insert_attribute(ctx, o.range, "sensitive = true");
                let finding = ctx
                    .report(
                        o.name.range,
                        format!(
                            "output `{}` looks like a secret but is not marked `sensitive`",
                            o.name.value
                        ),
                    )
                    .help("add `sensitive = true` so that Terraform does not print it after apply");
                if let Some(fix) = fix {
                    finding.fix(fix);
                }
            }
        }
    }
}
