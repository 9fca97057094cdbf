use cw_model::aws::Field;

use super::helpers::{display, ebs_default_encryption_may_be_on};
use crate::prelude::*;
use crate::rules::terraform::helpers::header;

declare_rule! {
    /// ## What it does
    /// Flags a block device written in an `aws_instance`, `aws_launch_template` or
    /// `aws_launch_configuration` that is not encrypted (`encrypted` unset or `false`). Devices made
    /// from a snapshot, devices the configuration does not describe (their encryption comes from
    /// the AMI), and configurations that turn on EBS encryption by default are not reported.
    ///
    /// ## Why is this bad?
    /// Root and data volumes hold application data, credentials and logs; unencrypted, their
    /// snapshots can be copied and read in another account.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "t3.micro"
    ///   root_block_device {
    ///     volume_size = 20
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "t3.micro"
    ///   root_block_device {
    ///     volume_size = 20
    ///     encrypted   = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon EBS encryption](https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html)
    pub struct InstanceBlockDeviceUnencrypted {
        code: "AWS011",
        name: "instance-block-device-unencrypted",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_AWS_8"), Trivy("AVD-AWS-0131"), Trivy("AVD-AWS-0008")],
    }
}

impl Rule for InstanceBlockDeviceUnencrypted {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        if ebs_default_encryption_may_be_on(&input.model) {
            return;
        }
        for spec in &input.model.launch_specs {
            for d in spec.block_devices.iter().filter(|d| !d.snapshot) {
                let at = match &d.encrypted {
                    Field::Absent => header(ctx, d.range),
                    Field::Known(e) if !e.value => e.range,
                    _ => continue,
                };
                let which = if d.root {
                    "root volume"
                } else {
                    "block device"
                };
                ctx.report(
                    at,
                    format!("a {which} of `{}` is not encrypted", display(&spec.origin)),
                )
                .help("set `encrypted = true` in the block device")
                .resource(spec.origin.address.clone());
            }
        }
    }
}
