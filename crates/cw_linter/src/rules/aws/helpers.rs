//! Shared pieces of the AWS rules.

use cw_model::aws::{AwsModel, Field, Origin};

/// `aws_s3_bucket.logs`: the resource as messages name it, by its address within its module and
/// without instance key (a value written once in a block is one finding, whichever instances and
/// module calls reach it; the finding names the calls).
pub(crate) fn display(origin: &Origin) -> &str {
    // Without the instance key: the instances of one block share the value written there.
    let a = origin.local_address.as_str();
    a.find('[').map_or(a, |i| &a[..i])
}

/// Whether the unit turns on EBS encryption by default for the account (`aws_ebs_encryption_by_default`),
/// or may (an unknown value).
pub(crate) fn ebs_default_encryption_may_be_on(model: &AwsModel) -> bool {
    model
        .ebs_default_encryption
        .iter()
        .any(|f| f.is(true, |v| *v) != Some(false))
}

/// Reports every ingress rule of every security group that lets the whole internet reach one of
/// `ports` (`None`: reach every port): at the world-open CIDR.
pub(crate) fn report_open_ports(
    input: &crate::AwsInput,
    ctx: &mut crate::RuleCtx,
    ports: Option<&[i64]>,
    what: &str,
    help: &str,
) {
    use cw_model::aws::ec2::Direction;
    for sg in &input.model.security_groups {
        for rule in sg
            .rules
            .iter()
            .filter(|r| r.direction == Direction::Ingress)
        {
            let open = match ports {
                // Every port: all protocols, or a TCP/UDP range from 0 (or 1) to 65535.
                None => {
                    rule.all_protocols() == Some(true)
                        || (rule.from_port.value().is_some_and(|p| *p <= 1)
                            && rule.to_port.value().is_some_and(|p| *p >= 65535))
                }
                // A port rule that is not already an every-port rule (AWS021 reports those).
                Some(ports) => {
                    let every = rule.all_protocols() == Some(true)
                        || (rule.from_port.value().is_some_and(|p| *p <= 1)
                            && rule.to_port.value().is_some_and(|p| *p >= 65535));
                    !every
                        && rule
                            .protocol
                            .value()
                            .is_none_or(|p| p != "icmp" && p != "icmpv6")
                        && ports.iter().any(|&p| rule.covers(p) == Some(true))
                }
            };
            if !open {
                continue;
            }
            for cidr in rule.world() {
                ctx.report(
                    cidr.range,
                    format!(
                        "`{}` opens {what} to the internet (`{}`)",
                        display(&sg.origin),
                        cidr.value
                    ),
                )
                .help(help.to_owned())
                .label(rule.range, "this rule")
                .resource(sg.origin.address.clone());
            }
        }
    }
}

/// The databases whose own settings decide storage, backups and availability: clusters, and
/// instances that belong to no cluster and replicate no other database.
pub(crate) fn standalone_databases(
    model: &AwsModel,
) -> impl Iterator<Item = &cw_model::aws::rds::DbInstance> {
    model
        .db_instances
        .iter()
        .filter(|d| !d.cluster_member && !d.replica)
}

/// Reports a setting that is absent (when that is bad) or known to be `bad`: at the value, or at
/// the resource's name.
pub(crate) fn report_setting<T>(
    ctx: &mut crate::RuleCtx,
    origin: &Origin,
    field: &Field<T>,
    absent_is_bad: bool,
    bad: impl Fn(&T) -> bool,
    message: impl Fn(Option<&T>) -> String,
    help: &str,
) {
    let (at, value) = match field {
        Field::Absent if absent_is_bad => (origin.name, None),
        Field::Known(v) if bad(&v.value) => (v.range, Some(&v.value)),
        _ => return,
    };
    ctx.report(at, message(value))
        .help(help.to_owned())
        .resource(origin.address.clone());
}
