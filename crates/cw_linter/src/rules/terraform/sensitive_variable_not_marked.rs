use cw_model::terraform::{Value, Variable};

use crate::prelude::*;
use crate::rules::dockerfile::secret_in_arg_or_env::is_secret_name;

declare_rule! {
    /// ## What it does
    /// Flags a `variable` whose name says it holds a secret (`db_password`, `api_token`,
    /// `client_secret`, `private_key`) and that is not marked `sensitive = true`. Variables of type
    /// `bool` or `number`, or with a boolean or numeric default (`create_password = true`), name a
    /// setting, not a secret, and are not reported; neither are names that describe a secret
    /// rather than hold it (`password_length`, `secret_arn`, `token_file`).
    ///
    /// ## Why is this bad?
    /// Terraform prints variable values in plans, in `terraform console` and in error messages,
    /// and CI keeps those logs. `sensitive = true` redacts the value everywhere Terraform shows it
    /// and makes every output derived from it sensitive too.
    ///
    /// ## Example
    /// ```hcl
    /// variable "db_password" {
    ///   type = string
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// variable "db_password" {
    ///   type      = string
    ///   sensitive = true
    /// }
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `sensitive = true` to the block. It changes only what Terraform shows; outputs
    /// that pass the value on must then be marked sensitive too (Terraform says which).
    ///
    /// ## References
    /// - [Terraform: sensitive input variables](https://developer.hashicorp.com/terraform/language/values/variables#suppressing-values-in-cli-output)
    pub struct SensitiveVariableNotMarked {
        code: "TF006",
        name: "sensitive-variable-not-marked",
        category: Security,
        severity: Warning,
        fix: Sometimes,
        peers: [],
    }
}

/// Whether the variable's declared type or its default says it is a flag or a number.
fn is_setting(v: &Variable, ctx: &RuleCtx) -> bool {
    let declared = v.type_range.map(|r| ctx.text(r).trim());
    if declared.is_some_and(|t| t == "bool" || t == "number") {
        return true;
    }
    v.default
        .as_ref()
        .is_some_and(|d| matches!(d.value, Value::Bool(_) | Value::Number(_)))
}

/// `sensitive = true` as a last line of a multi-line block, indented like its other lines.
pub(super) fn insert_attribute(ctx: &RuleCtx, block: TextRange, line: &str) -> Option<Fix> {
    let text = ctx.text(block);
    if !text.ends_with('}') {
        return None;
    }
    let close = text.rfind('\n')?;
    if text[close + 1..].trim() != "}" {
        return None;
    }
    let indent = text
        .lines()
        .skip(1)
        .find(|l| !l.trim().is_empty() && l.trim() != "}")
        .map_or("  ", |l| &l[..l.len() - l.trim_start().len()]);
    let at = block.start + u32::try_from(close + 1).ok()?;
    Some(Fix::safe(
        format!("add `{line}`"),
        vec![Edit::insert(at, format!("{indent}{line}\n"))],
    ))
}

impl Rule for SensitiveVariableNotMarked {
    type Input = TerraformInput;
    type Options = NoOptions;

    fn check(&self, input: &TerraformInput, ctx: &mut RuleCtx) {
        for m in input.eval.modules() {
            for v in &m.variables {
                if v.sensitive || !is_secret_name(&v.name.value) || is_setting(v, ctx) {
                    continue;
                }
                let fix = insert_attribute(ctx, v.range, "sensitive = true");
                let finding = ctx
                    .report(
                        v.name.range,
                        format!(
                            "variable `{}` looks like a secret but is not marked `sensitive`",
                            v.name.value
                        ),
                    )
                    .help("add `sensitive = true` so that Terraform redacts it in plans and logs");
                if let Some(fix) = fix {
                    finding.fix(fix);
                }
            }
        }
    }
}
