use super::helpers::{display, report_setting, standalone_databases};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a database that keeps automated backups for less than 7 days: `backup_retention_period`
    /// unset (AWS keeps them 1 day), `0` (no automated backups, no point-in-time recovery) or below
    /// 7. Cluster members and read replicas are not reported.
    ///
    /// ## Why is this bad?
    /// A problem noticed after the weekend (a bad migration, deleted rows) can only be undone from a
    /// backup that still exists.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine                  = "postgres"
    ///   backup_retention_period = 1
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine                  = "postgres"
    ///   backup_retention_period = 14
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon RDS user guide](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Welcome.html)
    pub struct RdsBackupRetentionLow {
        code: "AWS043",
        name: "rds-backup-retention-low",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_AWS_133"), Trivy("AVD-AWS-0077"), Kics("Low RDS Backup Retention Period")],
    }
}

impl Rule for RdsBackupRetentionLow {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for db in standalone_databases(&input.model) {
            let name = display(&db.origin);
            report_setting(
                ctx,
                &db.origin,
                &db.backup_retention_period,
                true,
                |v| *v < 7,
                |v| match v {
                    Some(0) => format!(
                        "`{name}` has automated backups off (`backup_retention_period = 0`)"
                    ),
                    Some(days) => format!("`{name}` keeps backups for only {days} day(s)"),
                    None => format!("`{name}` keeps backups for 1 day (the default)"),
                },
                "set `backup_retention_period` to at least 7 days",
            );
        }
    }
}
