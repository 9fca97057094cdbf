use super::helpers::{display, report_setting, standalone_databases};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a database with `publicly_accessible = true`.
    ///
    /// ## Why is this bad?
    /// A public endpoint lets anyone on the internet try the database's password, guarded
    /// only by a security group. Databases belong in private subnets.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine              = "postgres"
    ///   publicly_accessible = true
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine              = "postgres"
    ///   publicly_accessible = false
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon RDS user guide](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Welcome.html)
    pub struct RdsPubliclyAccessible {
        code: "AWS042",
        name: "rds-publicly-accessible",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_AWS_17"), Trivy("AVD-AWS-0180"), Kics("RDS DB Instance Publicly Accessible")],
    }
}

impl Rule for RdsPubliclyAccessible {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for db in standalone_databases(&input.model) {
            let name = display(&db.origin);
            report_setting(
                ctx,
                &db.origin,
                &db.publicly_accessible,
                false,
                |v| *v,
                |_| {
                    format!(
                        "`{name}` is reachable from the internet (`publicly_accessible = true`)"
                    )
                },
                "set `publicly_accessible = false` and reach it from inside the VPC",
            );
        }
    }
}
