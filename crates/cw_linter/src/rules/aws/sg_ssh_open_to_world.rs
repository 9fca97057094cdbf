use super::helpers::report_open_ports;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a security group ingress rule that lets `0.0.0.0/0` or `::/0` reach SSH (22):
    /// inline `ingress` blocks, `aws_security_group_rule` and
    /// `aws_vpc_security_group_ingress_rule` alike. The finding points at the open CIDR. Rules whose
    /// ports or CIDRs are known only after apply are not reported.
    ///
    /// ## Why is this bad?
    /// 22 open to `0.0.0.0/0` or `::/0` lets every SSH scanner on the internet try its password and key lists, and exposes the daemon's next vulnerability.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_security_group" "app" {
    ///   ingress {
    ///     from_port   = 22
    ///     to_port     = 22
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
    pub struct SgSshOpenToWorld {
        code: "AWS018",
        name: "sg-ssh-open-to-world",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_AWS_24")],
    }
}

impl Rule for SgSshOpenToWorld {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        report_open_ports(
            input,
            ctx,
            Some(&[22]),
            "SSH (22)",
            "restrict the source to a bastion or VPN CIDR, or use SSM Session Manager and close the port",
        );
    }
}
