use super::helpers::display;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags EBS volumes of type `gp2`: `aws_ebs_volume` and the block devices of instances, launch
    /// templates and launch configurations.
    ///
    /// ## Why is this bad?
    /// `gp3` costs about 20% less per GB than `gp2`, and its baseline of 3,000 IOPS and 125 MB/s
    /// does not depend on the volume's size (a small `gp2` volume gets 100 IOPS). A volume changes
    /// type online, without downtime.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ebs_volume" "data" {
    ///   availability_zone = "eu-west-1a"
    ///   size              = 100
    ///   type              = "gp2"
    /// }
    /// ```
    ///
    /// Use instead: `type = "gp3"`.
    ///
    /// ## Fix safety
    /// The fix replaces `"gp2"` with `"gp3"` where the value is written as a literal in the
    /// resource. It is safe: the change is applied online, and `gp3`'s baseline performance is at
    /// least `gp2`'s for volumes up to 1 TB (larger `gp2` volumes had more IOPS: set `iops` then).
    ///
    /// ## References
    /// - [Amazon EBS volume types](https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html)
    pub struct EbsGp2Volume {
        code: "AWS012",
        name: "ebs-gp2-volume",
        category: Cost,
        severity: Warning,
        fix: Sometimes,
        peers: [],
    }
}

fn report(ctx: &mut RuleCtx, range: TextRange, block: TextRange, resource: &str, address: &str) {
    let literal =
        ctx.text(range) == "\"gp2\"" && block.start <= range.start && range.end <= block.end;
    let finding = ctx
        .report(range, format!("`{resource}` uses a `gp2` volume"))
        .help("use `gp3`: cheaper per GB, with 3,000 IOPS whatever the size")
        .resource(address.to_owned());
    if literal {
        finding.fix(Fix::safe(
            "use `gp3`",
            vec![Edit::replace(range, "\"gp3\"")],
        ));
    }
}

impl Rule for EbsGp2Volume {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for v in &input.model.volumes {
            if let Some(t) = v.volume_type.known().filter(|t| t.value == "gp2") {
                report(
                    ctx,
                    t.range,
                    v.origin.block,
                    display(&v.origin),
                    &v.origin.address,
                );
            }
        }
        for spec in &input.model.launch_specs {
            for d in &spec.block_devices {
                if let Some(t) = d.volume_type.known().filter(|t| t.value == "gp2") {
                    report(
                        ctx,
                        t.range,
                        spec.origin.block,
                        display(&spec.origin),
                        &spec.origin.address,
                    );
                }
            }
        }
    }
}
