use super::helpers::{display, report_setting};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aws_cloudwatch_log_group` that keeps its events forever: `retention_in_days` unset
    /// or `0`.
    ///
    /// ## Why is this bad?
    /// Log storage is billed per GB-month: without a retention period, every byte ever logged stays
    /// on the bill.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudwatch_log_group" "app" {
    ///   name = "/app/api"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_cloudwatch_log_group" "app" {
    ///   name              = "/app/api"
    ///   retention_in_days = 90
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon CloudWatch Logs: log retention](https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention)
    pub struct LogRetentionMissing {
        code: "AWS057",
        name: "log-retention-missing",
        category: Cost,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_AWS_66"), Checkov("CKV_AWS_338")],
    }
}

impl Rule for LogRetentionMissing {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for g in &input.model.log_groups {
            let name = display(&g.origin);
            report_setting(
                ctx,
                &g.origin,
                &g.retention_in_days,
                true,
                |v| *v == 0,
                |_| format!("`{name}` keeps its logs forever"),
                "set `retention_in_days` (e.g. 30, 90 or 365)",
            );
        }
    }
}
