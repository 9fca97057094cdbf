use super::helpers::{display, report_setting};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aws_dynamodb_table` without point-in-time recovery (no `point_in_time_recovery`
    /// block, or `enabled = false`).
    ///
    /// ## Why is this bad?
    /// Without point-in-time recovery, a bad write or delete (a bug, a script run against the wrong
    /// table) cannot be undone: there is no restore to the second before it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_dynamodb_table" "orders" {
    ///   name     = "orders"
    ///   hash_key = "id"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_dynamodb_table" "orders" {
    ///   name     = "orders"
    ///   hash_key = "id"
    ///   point_in_time_recovery {
    ///     enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon DynamoDB: point-in-time recovery](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Point-in-time-recovery.html)
    pub struct DynamodbPitrDisabled {
        code: "AWS051",
        name: "dynamodb-pitr-disabled",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_AWS_28"), Checkov("CKV_AWS_165"), Trivy("AVD-AWS-0024")],
    }
}

impl Rule for DynamodbPitrDisabled {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for t in &input.model.dynamodb_tables {
            let name = display(&t.origin);
            report_setting(
                ctx,
                &t.origin,
                &t.point_in_time_recovery,
                true,
                |v| !*v,
                |_| format!("`{name}` has no point-in-time recovery"),
                "add `point_in_time_recovery { enabled = true }`",
            );
        }
    }
}
