//! Amazon EC2 and VPC: security groups, instances and launch specifications, volumes, subnets.

use cw_diagnostics::{Spanned, TextRange};

use super::{Field, Origin};

#[derive(Clone, Debug)]
pub struct SecurityGroup {
    pub origin: Origin,
    pub rules: Vec<SgRule>,
    /// Whether rules may exist that could not be read or linked (a dynamic block with an unknown
    /// `for_each`, an unlinked `aws_security_group_rule`).
    pub rules_unknown: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Ingress,
    Egress,
}

/// One rule of a security group: an inline `ingress` / `egress` block, an
/// `aws_security_group_rule`, or an `aws_vpc_security_group_ingress_rule` / `_egress_rule`.
#[derive(Clone, Debug)]
pub struct SgRule {
    /// The block or resource that writes the rule.
    pub range: TextRange,
    pub direction: Direction,
    /// `tcp`, `udp`, `icmp`, `-1` / `all` (lower-cased).
    pub protocol: Field<String>,
    pub from_port: Field<i64>,
    pub to_port: Field<i64>,
    /// IPv4 and IPv6 CIDR blocks, each where written; `cidrs_unknown` when some are not known.
    pub cidrs: Vec<Spanned<String>>,
    pub cidrs_unknown: bool,
    pub description: Field<String>,
}

impl SgRule {
    /// Whether the rule lets every protocol through.
    pub fn all_protocols(&self) -> Option<bool> {
        self.protocol
            .value()
            .map(|p| matches!(p.as_str(), "-1" | "all"))
    }

    /// Whether the rule's port range holds `port` (every protocol holds every port).
    pub fn covers(&self, port: i64) -> Option<bool> {
        if self.all_protocols()? {
            return Some(true);
        }
        let (from, to) = (self.from_port.value()?, self.to_port.value()?);
        Some(*from <= port && port <= *to)
    }

    /// The CIDRs open to the whole internet (`0.0.0.0/0`, `::/0`).
    pub fn world(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.cidrs
            .iter()
            .filter(|c| matches!(c.value.as_str(), "0.0.0.0/0" | "::/0"))
    }
}

/// What starts instances: `aws_instance`, `aws_launch_template`, `aws_launch_configuration`.
#[derive(Clone, Debug)]
pub struct LaunchSpec {
    pub origin: Origin,
    /// `metadata_options.http_tokens`: `required` or `optional`.
    pub http_tokens: Field<String>,
    /// `metadata_options.http_endpoint`: `enabled` or `disabled`.
    pub http_endpoint: Field<String>,
    /// Whether the metadata options block may come from a dynamic block.
    pub metadata_unknown: bool,
    /// `associate_public_ip_address` (instance or launch template network interface).
    pub public_ip: Field<bool>,
    pub block_devices: Vec<BlockDevice>,
    pub instance_type: Field<String>,
    /// `user_data` as known text (base64 variants decoded when known).
    pub user_data: Field<String>,
}

#[derive(Clone, Debug)]
pub struct BlockDevice {
    pub range: TextRange,
    /// Root device or extra volume.
    pub root: bool,
    pub encrypted: Field<bool>,
    /// A snapshot the volume is made from (its encryption is the snapshot's).
    pub snapshot: bool,
    pub volume_type: Field<String>,
}

#[derive(Clone, Debug)]
pub struct Volume {
    pub origin: Origin,
    pub encrypted: Field<bool>,
    pub snapshot: bool,
    pub volume_type: Field<String>,
}

#[derive(Clone, Debug)]
pub struct Subnet {
    pub origin: Origin,
    pub map_public_ip_on_launch: Field<bool>,
}

/// `aws_vpc` (and `aws_default_vpc`), with what the configuration says about its flow logs.
#[derive(Clone, Debug)]
pub struct Vpc {
    pub origin: Origin,
    /// `Known(true)`: an `aws_flow_log` is linked to it; `Unknown`: one may be (it could not be
    /// linked); `Absent`: none.
    pub flow_logs: Field<bool>,
}
