use super::helpers::{display, report_setting, standalone_databases};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aws_db_instance` without Multi-AZ (`multi_az` unset or `false`). Clusters, cluster
    /// members and read replicas are not reported.
    ///
    /// ## Why is this bad?
    /// A single-AZ instance has no standby: a host or zone failure, and every maintenance that
    /// reboots it, means downtime until it is back.
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
    ///   engine   = "postgres"
    ///   multi_az = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon RDS user guide](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Welcome.html)
    pub struct RdsSingleAz {
        code: "AWS044",
        name: "rds-single-az",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_AWS_157")],
    }
}

impl Rule for RdsSingleAz {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for db in standalone_databases(&input.model) {
            if db.cluster {
                continue; // A cluster is as available as the instances in its AZs.
            }
            let name = display(&db.origin);
            report_setting(
                ctx,
                &db.origin,
                &db.multi_az,
                true,
                |v| !*v,
                |_| format!("`{name}` runs in one availability zone"),
                "set `multi_az = true` for databases that must survive a zone or host failure",
            );
        }
    }
}
