use super::helpers::display;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a subnet with `map_public_ip_on_launch = true`.
    ///
    /// ## Why is this bad?
    /// Every instance launched in the subnet gets a public address, whether or not it was meant to
    /// be reachable from the internet.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_subnet" "app" {
    ///   vpc_id                  = aws_vpc.main.id
    ///   cidr_block              = "10.0.1.0/24"
    ///   map_public_ip_on_launch = true
    /// }
    /// ```
    ///
    /// Use instead: `map_public_ip_on_launch = false`, and public addresses only where asked for.
    ///
    /// ## Fix safety
    /// The fix sets the value to `false`. It only changes instances launched afterwards.
    ///
    /// ## References
    /// - [Amazon VPC: IP addressing of subnets](https://docs.aws.amazon.com/vpc/latest/userguide/subnet-public-ip.html)
    pub struct SubnetAutoPublicIp {
        code: "AWS015",
        name: "subnet-auto-public-ip",
        category: Security,
        severity: Warning,
        fix: Sometimes,
        peers: [Checkov("CKV_AWS_130"), Trivy("AVD-AWS-0164")],
    }
}

impl Rule for SubnetAutoPublicIp {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for s in &input.model.subnets {
            if let Some(v) = s.map_public_ip_on_launch.known().filter(|v| v.value) {
                let literal = ctx.text(v.range) == "true"
                    && s.origin.block.start <= v.range.start
                    && v.range.end <= s.origin.block.end;
                let finding = ctx
                    .report(
                        v.range,
                        format!(
                            "`{}` gives every instance a public IP address",
                            display(&s.origin)
                        ),
                    )
                    .help("set `map_public_ip_on_launch = false`")
                    .resource(s.origin.address.clone());
                if literal {
                    finding.fix(Fix::safe(
                        "set it to `false`",
                        vec![Edit::replace(v.range, "false")],
                    ));
                }
            }
        }
    }
}
