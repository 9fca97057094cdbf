use super::helpers::display;
use crate::prelude::*;
use crate::rules::dockerfile::secret_in_arg_or_env::is_secret_name;

declare_rule! {
    /// ## What it does
    /// Flags an `aws_ssm_parameter` whose name says it holds a secret (its last path segment is
    /// `password`, `db_password`, `api_key`, `token`...) stored as `String` or `StringList` instead
    /// of `SecureString`.
    ///
    /// ## Why is this bad?
    /// A plain `String` parameter is not encrypted with KMS and can be read by anyone with
    /// `ssm:GetParameter`, and its value shows in the console and in CloudTrail.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ssm_parameter" "db" {
    ///   name  = "/app/db_password"
    ///   type  = "String"
    ///   value = var.db_password
    /// }
    /// ```
    ///
    /// Use instead: `type = "SecureString"`.
    ///
    /// ## Fix safety
    /// The fix replaces the literal type with `"SecureString"`. Changing the type replaces the
    /// parameter (same name, same value); readers must ask for decryption (`WithDecryption`).
    ///
    /// ## References
    /// - [AWS Systems Manager: SecureString parameters](https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html)
    pub struct SsmParameterPlaintext {
        code: "AWS040",
        name: "ssm-parameter-plaintext",
        category: Security,
        severity: Error,
        fix: Sometimes,
        peers: [Checkov("CKV2_AWS_34"), Checkov("CKV_AWS_384")],
    }
}

impl Rule for SsmParameterPlaintext {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for p in &input.model.ssm_parameters {
            let (Some(name), Some(kind)) = (p.name.value(), p.kind.known()) else {
                continue;
            };
            let last = name.rsplit('/').next().unwrap_or(name);
            if kind.value == "SecureString" || !is_secret_name(last) {
                continue;
            }
            let literal = matches!(ctx.text(kind.range), "\"String\"" | "\"StringList\"")
                && p.origin.block.start <= kind.range.start
                && kind.range.end <= p.origin.block.end;
            let finding = ctx
                .report(
                    kind.range,
                    format!(
                        "`{}` stores the secret `{name}` as `{}`",
                        display(&p.origin),
                        kind.value
                    ),
                )
                .help("use `type = \"SecureString\"`")
                .resource(p.origin.address.clone());
            if literal {
                finding.fix(Fix::safe(
                    "use `SecureString`",
                    vec![Edit::replace(kind.range, "\"SecureString\"")],
                ));
            }
        }
    }
}
