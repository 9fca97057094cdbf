use super::helpers::report_open_ports;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a security group ingress rule that lets `0.0.0.0/0` or `::/0` reach RDP (3389):
    /// inline `ingress` blocks, `aws_security_group_rule` and
    /// `aws_vpc_security_group_ingress_rule` alike. The finding points at the open CIDR. Rules whose
    /// ports or CIDRs are known only after apply are not reported.
    ///
    /// ## Why is this bad?
    /// 3389 open to the internet is the most brute-forced port there is, and RDP has had wormable vulnerabilities.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_security_group" "app" {
    ///   ingress {
    ///     from_port   = 3389
    ///     to_port     = 3389
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// Use instead: a source CIDR you control, or another security group as the source.
    ///
    /// ## References
    /// - [Amazon VPC: security group rules](https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)
    pub struct SgRdpOpenToWorld {
        code: "AWS019",
        name: "sg-rdp-open-to-world",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_AWS_25")],
    }
}

impl Rule for SgRdpOpenToWorld {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        report_open_ports(
            input,
            ctx,
            Some(&[3389]),
            "RDP (3389)",
            "restrict the source to a VPN CIDR, or use Fleet Manager / SSM port forwarding and close the port",
        );
    }
}
