use super::helpers::display;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an instance or launch template that asks for a public IP address
    /// (`associate_public_ip_address = true`).
    ///
    /// ## Why is this bad?
    /// A public address puts the instance on the internet, guarded only by its security group.
    /// The usual pattern keeps instances in private subnets behind a load balancer, with outbound
    /// traffic through a NAT gateway.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami                         = "ami-0123456789abcdef0"
    ///   instance_type               = "t3.micro"
    ///   associate_public_ip_address = true
    /// }
    /// ```
    ///
    /// Use instead: a private subnet, and a load balancer for inbound traffic.
    ///
    /// ## References
    /// - [Amazon EC2: public IPv4 addresses](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses)
    pub struct InstancePublicIp {
        code: "AWS014",
        name: "instance-public-ip",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_AWS_88"), Trivy("AVD-AWS-0009"), Kics("EC2 Instance Has Public IP")],
    }
}

impl Rule for InstancePublicIp {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for spec in &input.model.launch_specs {
            if let Some(v) = spec.public_ip.known().filter(|v| v.value) {
                ctx.report(
                    v.range,
                    format!("`{}` gets a public IP address", display(&spec.origin)),
                )
                .help("run it in a private subnet behind a load balancer")
                .resource(spec.origin.address.clone());
            }
        }
    }
}
