use super::helpers::display;
use crate::prelude::*;
use crate::rules::dockerfile::secret_in_arg_or_env::redact;
use crate::rules::kubernetes::helpers::literal_secret;

declare_rule! {
    /// ## What it does
    /// Flags a database whose master password is a literal in the configuration (`password` or the
    /// write-only `password_wo` of `aws_db_instance`, `master_password` or `master_password_wo` of
    /// `aws_rds_cluster`), written in the resource, in a module argument, as a
    /// variable's default or in a `.tfvars` file. Passwords from `random_password`, a data source,
    /// an unset variable, or managed by RDS (`manage_master_user_password = true`) are not
    /// reported, and neither are placeholders. (TF008 leaves these arguments to this rule.)
    ///
    /// ## Why is this bad?
    /// The password is in every clone of the repository, in its history, in the state and in plan
    /// output; rotating it means a commit.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine   = "postgres"
    ///   username = "app"
    ///   password = "Sup3rS3cretPassw0rd"
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
    /// - [Amazon RDS: password management with Secrets Manager](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html)
    pub struct RdsPasswordInCode {
        code: "AWS046",
        name: "rds-password-in-code",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Kics("Passwords And Secrets"), Checkov("CKV_SECRET_10")],
    }
}

impl Rule for RdsPasswordInCode {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for db in &input.model.db_instances {
            if db.manage_master_user_password.value() == Some(&true) {
                continue;
            }
            let Some(p) = db.password.known() else {
                continue;
            };
            if literal_secret("password", &p.value).is_none() {
                continue;
            }
            ctx.report(p.range, format!("`{}` has a literal master password (`{}`)", display(&db.origin), redact(&p.value)))
                .help("set `manage_master_user_password = true`, or pass the password from a secret store")
                .redact(p.range)
                .resource(db.origin.address.clone());
        }
    }
}
