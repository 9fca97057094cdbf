use cw_model::aws::Field;

use super::helpers::display;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aws_vpc` (or `aws_default_vpc`) that no `aws_flow_log` in the configuration
    /// records. A flow log whose `vpc_id` cannot be linked (it comes from another module's output)
    /// may be this VPC's, so the rule stays quiet then.
    ///
    /// ## Why is this bad?
    /// Without flow logs there is no record of which addresses talked to what: no network forensics
    /// after an incident, no way to see exfiltration or a scan.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc" "main" {
    ///   cidr_block = "10.0.0.0/16"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_flow_log" "main" {
    ///   vpc_id               = aws_vpc.main.id
    ///   traffic_type         = "ALL"
    ///   log_destination_type = "s3"
    ///   log_destination      = aws_s3_bucket.flow_logs.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon VPC: flow logs](https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html)
    pub struct VpcFlowLogsMissing {
        code: "AWS026",
        name: "vpc-flow-logs-missing",
        category: Observability,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV2_AWS_11"), Trivy("AVD-AWS-0178"), Kics("VPC FlowLogs Disabled")],
    }
}

impl Rule for VpcFlowLogsMissing {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for v in &input.model.vpcs {
            if v.flow_logs == Field::Absent {
                ctx.report(
                    v.origin.name,
                    format!("`{}` has no flow log", display(&v.origin)),
                )
                .help("add an `aws_flow_log` with `vpc_id` set to this VPC")
                .resource(v.origin.address.clone());
            }
        }
    }
}
