use super::helpers::{display, report_setting, standalone_databases};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aws_db_instance` or `aws_rds_cluster` whose storage is not encrypted
    /// (`storage_encrypted` unset or `false`). Instances that belong to a cluster and read replicas
    /// follow their cluster or source and are not reported.
    ///
    /// ## Why is this bad?
    /// Unencrypted storage, snapshots, backups and replicas can be read by anyone who can copy or
    /// share a snapshot. Encryption cannot be turned on in place later: it takes a snapshot, an
    /// encrypted copy and a restore.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine         = "postgres"
    ///   instance_class = "db.t4g.medium"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine            = "postgres"
    ///   instance_class    = "db.t4g.medium"
    ///   storage_encrypted = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon RDS user guide](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Welcome.html)
    pub struct RdsStorageUnencrypted {
        code: "AWS041",
        name: "rds-storage-unencrypted",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_AWS_16"), Trivy("AVD-AWS-0080"), Trivy("AVD-AWS-0079")],
    }
}

impl Rule for RdsStorageUnencrypted {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for db in standalone_databases(&input.model) {
            let name = display(&db.origin);
            report_setting(
                ctx,
                &db.origin,
                &db.storage_encrypted,
                true,
                |v| !*v,
                |_| format!("`{name}` does not encrypt its storage"),
                "set `storage_encrypted = true` (an existing database needs a snapshot, copy and restore)",
            );
        }
    }
}
