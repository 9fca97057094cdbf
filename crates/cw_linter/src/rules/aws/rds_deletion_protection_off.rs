use super::helpers::{display, report_setting, standalone_databases};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a database without deletion protection (`deletion_protection` unset or `false`).
    /// Cluster members and read replicas are not reported.
    ///
    /// ## Why is this bad?
    /// One `terraform destroy`, or a change that forces replacement, deletes the database and
    /// (unless a final snapshot is taken) its data.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine = "postgres"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine              = "postgres"
    ///   deletion_protection = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon RDS user guide](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Welcome.html)
    pub struct RdsDeletionProtectionOff {
        code: "AWS045",
        name: "rds-deletion-protection-off",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_AWS_293"), Checkov("CKV_AWS_139"), Trivy("AVD-AWS-0177"), Trivy("AVD-AWS-0343")],
    }
}

impl Rule for RdsDeletionProtectionOff {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for db in standalone_databases(&input.model) {
            let name = display(&db.origin);
            report_setting(
                ctx,
                &db.origin,
                &db.deletion_protection,
                true,
                |v| !*v,
                |_| format!("`{name}` has no deletion protection"),
                "set `deletion_protection = true`",
            );
        }
    }
}
