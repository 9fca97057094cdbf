use super::helpers::report_open_ports;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a security group ingress rule that lets `0.0.0.0/0` or `::/0` reach every port:
    /// inline `ingress` blocks, `aws_security_group_rule` and
    /// `aws_vpc_security_group_ingress_rule` alike. The finding points at the open CIDR. Rules whose
    /// ports or CIDRs are known only after apply are not reported.
    ///
    /// ## Why is this bad?
    /// A rule for every protocol (`-1`) or every port from anywhere exposes whatever runs on the instance, including services that were never meant to be reachable.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_security_group" "app" {
    ///   ingress {
    ///     from_port   = 0
    ///     to_port     = 0
    ///     protocol    = "-1"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// Use instead: a source CIDR you control, or another security group as the source.
    ///
    /// ## References
    /// - [Amazon VPC: security group rules](https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)
    pub struct SgAllPortsOpenToWorld {
        code: "AWS021",
        name: "sg-all-ports-open-to-world",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_AWS_277")],
    }
}

impl Rule for SgAllPortsOpenToWorld {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        report_open_ports(
            input,
            ctx,
            None,
            "every port",
            "allow only the ports the service needs, from the sources that need them",
        );
    }
}
