//! The AWS model from an evaluated Terraform configuration.

use std::collections::{HashMap, HashSet};

use cw_diagnostics::{Spanned, TextRange};

use super::ec2::{BlockDevice, Direction, LaunchSpec, SecurityGroup, SgRule, Subnet, Volume};
use super::rds::DbInstance;
use super::s3::{Bucket, LifecycleRule, PublicAccessBlock};
use super::{AwsModel, Field, Origin};
mod compute;
mod data;
mod iam;

use crate::terraform::{
    BlockLookup, Body, Evaluation, InstanceKey, NestedBlock, Resource, ResourceMode, Setting, Value,
};

/// Builds the AWS model of every managed `aws_*` resource of the evaluation.
pub fn from_terraform(eval: &Evaluation) -> AwsModel {
    let resources: Vec<&Resource> = eval
        .resources()
        .filter(|r| r.mode == ResourceMode::Managed && r.kind.value.starts_with("aws_"))
        .collect();
    let of = |kind: &str| -> Vec<&Resource> {
        resources
            .iter()
            .copied()
            .filter(|r| r.kind.value == kind)
            .collect()
    };
    let mut model = AwsModel {
        buckets: buckets(&of("aws_s3_bucket"), &resources),
        security_groups: security_groups(
            &of("aws_security_group"),
            &of("aws_default_security_group"),
            &resources,
        ),
        ..AwsModel::default()
    };
    for r in of("aws_s3_account_public_access_block") {
        model
            .account_public_access_blocks
            .push(public_access_block(r));
    }
    for kind in [
        "aws_instance",
        "aws_launch_template",
        "aws_launch_configuration",
    ] {
        model
            .launch_specs
            .extend(of(kind).into_iter().map(launch_spec));
    }
    for r in of("aws_ebs_volume") {
        model.volumes.push(Volume {
            origin: origin(r),
            encrypted: boolean(r.setting("encrypted")),
            snapshot: !r.setting("snapshot_id").is_absent(),
            volume_type: string(r.setting("type")),
        });
    }
    for r in of("aws_subnet") {
        model.subnets.push(Subnet {
            origin: origin(r),
            map_public_ip_on_launch: boolean(r.setting("map_public_ip_on_launch")),
        });
    }
    for r in of("aws_ebs_encryption_by_default") {
        model
            .ebs_default_encryption
            .push(boolean(r.setting("enabled")));
    }
    for (kind, cluster) in [("aws_db_instance", false), ("aws_rds_cluster", true)] {
        model
            .db_instances
            .extend(of(kind).into_iter().map(|r| db_instance(r, cluster)));
    }
    services(&mut model, &of);
    let vpcs: Vec<&Resource> = of("aws_vpc")
        .into_iter()
        .chain(of("aws_default_vpc"))
        .collect();
    let flow_logs = link(&vpcs, &of("aws_flow_log"), "vpc_id", "id");
    for (i, r) in vpcs.iter().enumerate() {
        let flow_logs = if !flow_logs.of(i).is_empty() {
            Field::Known(Spanned::new(true, flow_logs.of(i)[0].range))
        } else if flow_logs.maybe(r) {
            Field::Unknown(r.range)
        } else {
            Field::Absent
        };
        model.vpcs.push(super::ec2::Vpc {
            origin: origin(r),
            flow_logs,
        });
    }
    iam::fill(&mut model, eval, &resources);
    compute::fill(&mut model, eval, &resources);
    data::fill(&mut model, eval, &resources);
    model
}

/// A boolean in the first nested block `block` (absent block: absent).
fn nested_bool(r: &Resource, block: &str, attr: &str) -> Field<bool> {
    match r.block(block) {
        BlockLookup::Present(b) => boolean(b.setting(attr)),
        BlockLookup::Unknown => Field::Unknown(r.range),
        BlockLookup::Absent => Field::Absent,
    }
}

/// The services whose resources are read from one resource each.
fn services<'a>(model: &mut AwsModel, of: &dyn Fn(&str) -> Vec<&'a Resource>) {
    use super::{cloudfront, cloudtrail, dynamodb, ecr, eks, kms, logs};
    for r in of("aws_kms_key") {
        model.kms_keys.push(kms::Key {
            origin: origin(r),
            enable_key_rotation: boolean(r.setting("enable_key_rotation")),
            key_spec: string(r.setting("customer_master_key_spec")),
            key_usage: string(r.setting("key_usage")),
        });
    }
    for r in of("aws_dynamodb_table") {
        model.dynamodb_tables.push(dynamodb::Table {
            origin: origin(r),
            point_in_time_recovery: nested_bool(r, "point_in_time_recovery", "enabled"),
        });
    }
    for r in of("aws_cloudtrail") {
        model.trails.push(cloudtrail::Trail {
            origin: origin(r),
            is_multi_region_trail: boolean(r.setting("is_multi_region_trail")),
            enable_log_file_validation: boolean(r.setting("enable_log_file_validation")),
        });
    }
    for r in of("aws_cloudwatch_log_group") {
        model.log_groups.push(logs::LogGroup {
            origin: origin(r),
            retention_in_days: integer(r.setting("retention_in_days")),
        });
    }
    for r in of("aws_ecr_repository") {
        model.ecr_repositories.push(ecr::Repository {
            origin: origin(r),
            scan_on_push: nested_bool(r, "image_scanning_configuration", "scan_on_push"),
            image_tag_mutability: string(r.setting("image_tag_mutability")),
        });
    }
    for r in of("aws_eks_cluster") {
        let (endpoint_public_access, cidrs, written, unknown) = match r.block("vpc_config") {
            BlockLookup::Present(b) => {
                let setting = b.setting("public_access_cidrs");
                let (cidrs, unknown) = strings(setting);
                (
                    boolean(b.setting("endpoint_public_access")),
                    cidrs,
                    !setting.is_absent(),
                    unknown,
                )
            }
            _ => (Field::Unknown(r.range), Vec::new(), false, true),
        };
        model.eks_clusters.push(eks::Cluster {
            origin: origin(r),
            endpoint_public_access,
            public_access_cidrs: cidrs,
            public_access_cidrs_written: written,
            public_access_cidrs_unknown: unknown,
        });
    }
    for r in of("aws_lb_listener")
        .into_iter()
        .chain(of("aws_alb_listener"))
    {
        let mut redirects_to_https = false;
        for a in r.blocks("default_action") {
            for redirect in a.body.blocks("redirect") {
                if redirect
                    .attr("protocol")
                    .and_then(|v| v.value.as_str())
                    .is_some_and(|p| p.eq_ignore_ascii_case("HTTPS"))
                {
                    redirects_to_https = true;
                }
            }
        }
        let upper = |f: Field<String>| match f {
            Field::Known(v) => Field::Known(Spanned::new(v.value.to_ascii_uppercase(), v.range)),
            other => other,
        };
        model.listeners.push(super::elb::Listener {
            origin: origin(r),
            protocol: upper(string(r.setting("protocol"))),
            ssl_policy: string(r.setting("ssl_policy")),
            redirects_to_https,
            actions_unknown: r.body.has_unknown_blocks("default_action"),
        });
    }
    for r in of("aws_lambda_function") {
        let mut environment = Vec::new();
        for e in r.blocks("environment") {
            if let Some(Value::Map(vars)) = e.attr("variables").map(|v| &v.value) {
                for (k, v) in vars {
                    if let Value::String(text) = &v.value {
                        environment.push((k.clone(), Spanned::new(text.clone(), v.range)));
                    }
                }
            }
        }
        model.lambda_functions.push(super::lambda::Function {
            origin: origin(r),
            environment,
            runtime: string(r.setting("runtime")),
        });
    }
    for r in of("aws_ssm_parameter") {
        model.ssm_parameters.push(super::ssm::Parameter {
            origin: origin(r),
            name: string(r.setting("name")),
            kind: string(r.setting("type")),
        });
    }
    for r in of("aws_cloudfront_distribution") {
        let behaviours_unknown = r.body.has_unknown_blocks("default_cache_behavior")
            || r.body.has_unknown_blocks("ordered_cache_behavior");
        let viewer_protocol_policies = r
            .blocks("default_cache_behavior")
            .chain(r.blocks("ordered_cache_behavior"))
            .map(|b| string(b.setting("viewer_protocol_policy")))
            .collect();
        model.distributions.push(cloudfront::Distribution {
            origin: origin(r),
            viewer_protocol_policies,
            behaviours_unknown,
        });
    }
}

fn origin(r: &Resource) -> Origin {
    Origin {
        address: r.address.clone(),
        local_address: r.local_address().to_owned(),
        kind: r.kind.value.clone(),
        block: r.range,
        name: r.name.range,
    }
}

/// A boolean setting (Terraform converts `"true"` and `"false"`).
pub(super) fn boolean(s: Setting<'_>) -> Field<bool> {
    convert(s, |v| match v {
        Value::Bool(b) => Some(*b),
        Value::String(t) if t == "true" => Some(true),
        Value::String(t) if t == "false" => Some(false),
        _ => None,
    })
}

pub(super) fn string(s: Setting<'_>) -> Field<String> {
    convert(s, |v| match v {
        Value::String(t) => Some(t.clone()),
        Value::Number(n) => Some(crate::terraform::number_to_string(*n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

pub(super) fn integer(s: Setting<'_>) -> Field<i64> {
    convert(s, |v| match v {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "ports and counts are small integers"
        )]
        Value::Number(n) if n.fract() == 0.0 => Some(*n as i64),
        Value::String(t) => t.trim().parse().ok(),
        _ => None,
    })
}

fn convert<T>(s: Setting<'_>, f: impl Fn(&Value) -> Option<T>) -> Field<T> {
    match s {
        Setting::Absent => Field::Absent,
        Setting::Unknown(r) => Field::Unknown(r),
        Setting::Known(v) if v.value.is_null() => Field::Absent,
        Setting::Known(v) => match f(&v.value) {
            Some(t) => Field::Known(Spanned::new(t, v.range)),
            None => Field::Unknown(v.range),
        },
    }
}

/// The known strings of a list setting, each where written, and whether some are not known.
fn strings(s: Setting<'_>) -> (Vec<Spanned<String>>, bool) {
    match s {
        Setting::Absent => (Vec::new(), false),
        Setting::Unknown(_) => (Vec::new(), true),
        Setting::Known(v) => match &v.value {
            Value::List(items) => {
                let mut out = Vec::new();
                let mut unknown = false;
                for i in items {
                    match &i.value {
                        Value::String(t) => out.push(Spanned::new(t.clone(), i.range)),
                        Value::Null => {}
                        _ => unknown = true,
                    }
                }
                (out, unknown)
            }
            Value::String(t) => (vec![Spanned::new(t.clone(), v.range)], false),
            Value::Null => (Vec::new(), false),
            _ => (Vec::new(), true),
        },
    }
}

/// Companion resources linked to their parents: by a reference to the parent in the linking
/// argument (`bucket = aws_s3_bucket.logs.id`), or by the parent's known name.
struct Links<'a> {
    /// Companions by parent index.
    by_parent: HashMap<usize, Vec<&'a Resource>>,
    /// Module paths holding a companion that could not be linked.
    unlinked: HashSet<String>,
}

impl<'a> Links<'a> {
    fn of(&self, parent: usize) -> &[&'a Resource] {
        self.by_parent.get(&parent).map_or(&[], Vec::as_slice)
    }

    /// Whether a companion in the parent's module could not be linked (so it may be the parent's).
    fn maybe(&self, parent: &Resource) -> bool {
        self.unlinked.contains(&parent.module)
    }
}

fn link<'a>(
    parents: &[&Resource],
    companions: &[&'a Resource],
    attr: &str,
    parent_name_attr: &str,
) -> Links<'a> {
    let mut links = Links {
        by_parent: HashMap::new(),
        unlinked: HashSet::new(),
    };
    for c in companions {
        let mut found = Vec::new();
        if let Some(a) = c.body.attribute(attr) {
            for target in &a.refs {
                let (kind, name) = target.split_once('.').unwrap_or(("", ""));
                let named: Vec<usize> = parents
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| {
                        p.module == c.module && p.kind.value == kind && p.name.value == name
                    })
                    .map(|(i, _)| i)
                    .collect();
                let same_key: Vec<usize> = named
                    .iter()
                    .copied()
                    .filter(|&i| parents[i].key == c.key && c.key != InstanceKey::None)
                    .collect();
                found.extend(if same_key.is_empty() { named } else { same_key });
            }
            if found.is_empty()
                && let Value::String(name) = &a.value.value
            {
                found.extend(parents.iter().enumerate().filter_map(|(i, p)| {
                    (p.module == c.module
                        && p.attr(parent_name_attr).and_then(|v| v.value.as_str()) == Some(name))
                    .then_some(i)
                }));
            }
        }
        if found.is_empty() {
            links.unlinked.insert(c.module.clone());
        }
        for i in found {
            links.by_parent.entry(i).or_default().push(c);
        }
    }
    links
}

fn of_kind<'a>(all: &[&'a Resource], kind: &str) -> Vec<&'a Resource> {
    all.iter()
        .copied()
        .filter(|r| r.kind.value == kind)
        .collect()
}

/// A setting a companion may provide: the companions' value, else the inline one; unknown when an
/// unlinked companion may provide it.
fn with_companions<T: Clone>(
    inline: Field<T>,
    linked: &[&Resource],
    maybe: bool,
    read: impl Fn(&Resource) -> Field<T>,
) -> Field<T> {
    if let Some(last) = linked.last() {
        return read(last);
    }
    if maybe && inline.is_absent() {
        return Field::Unknown(TextRange::empty(0));
    }
    inline
}

fn buckets(parents: &[&Resource], all: &[&Resource]) -> Vec<Bucket> {
    let link_of = |kind: &str| link(parents, &of_kind(all, kind), "bucket", "bucket");
    let acl = link_of("aws_s3_bucket_acl");
    let pab = link_of("aws_s3_bucket_public_access_block");
    let versioning = link_of("aws_s3_bucket_versioning");
    let lifecycle = link_of("aws_s3_bucket_lifecycle_configuration");
    let policy = link_of("aws_s3_bucket_policy");
    parents
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut acls = Vec::new();
            let mut grant_uris = Vec::new();
            let mut acl_unknown = acl.maybe(r) || r.body.has_unknown_blocks("grant");
            let mut read_acl = |body: &Body, unknown: &mut bool| {
                match string(body.setting("acl")) {
                    Field::Known(v) => acls.push(v),
                    Field::Unknown(_) => *unknown = true,
                    Field::Absent => {}
                }
                let grants = body.blocks("grant").chain(
                    body.blocks("access_control_policy")
                        .flat_map(|p| p.body.blocks("grant")),
                );
                for g in grants {
                    let grantee: &Body = match g.body.block("grantee") {
                        BlockLookup::Present(b) => &b.body,
                        BlockLookup::Unknown => {
                            *unknown = true;
                            continue;
                        }
                        BlockLookup::Absent => &g.body,
                    };
                    match string(grantee.setting("uri")) {
                        Field::Known(v) => grant_uris.push(v),
                        Field::Unknown(_) => *unknown = true,
                        Field::Absent => {}
                    }
                }
            };
            read_acl(&r.body, &mut acl_unknown);
            for c in acl.of(i) {
                read_acl(&c.body, &mut acl_unknown);
            }
            let inline_versioning = match r.body.block("versioning") {
                BlockLookup::Present(b) => convert(b.setting("enabled"), |v| match v {
                    Value::Bool(true) => Some("Enabled".to_owned()),
                    Value::Bool(false) => Some("Suspended".to_owned()),
                    _ => None,
                }),
                BlockLookup::Unknown => Field::Unknown(r.range),
                BlockLookup::Absent => Field::Absent,
            };
            let versioning = with_companions(
                inline_versioning,
                versioning.of(i),
                versioning.maybe(r),
                |c| match c.body.block("versioning_configuration") {
                    BlockLookup::Present(b) => string(b.setting("status")),
                    _ => Field::Unknown(c.range),
                },
            );
            let inline_lifecycle = lifecycle_rules(&r.body, "lifecycle_rule", r.range);
            let lifecycle =
                with_companions(inline_lifecycle, lifecycle.of(i), lifecycle.maybe(r), |c| {
                    lifecycle_rules(&c.body, "rule", c.range)
                });
            let mut policies: Vec<Field<String>> = Vec::new();
            if !r.setting("policy").is_absent() {
                policies.push(string(r.setting("policy")));
            }
            for c in policy.of(i) {
                policies.push(string(c.setting("policy")));
            }
            Bucket {
                origin: origin(r),
                name: string(r.setting("bucket")),
                acls,
                grant_uris,
                acl_unknown,
                public_access_block: with_companions(Field::Absent, pab.of(i), pab.maybe(r), |c| {
                    Field::Known(Spanned::new(public_access_block(c), c.range))
                }),
                versioning,
                lifecycle,
                policies,
                policy_unknown: policy.maybe(r),
            }
        })
        .collect()
}

fn lifecycle_rules(body: &Body, block: &str, range: TextRange) -> Field<Vec<LifecycleRule>> {
    if body.has_unknown_blocks(block) {
        return Field::Unknown(range);
    }
    let rules: Vec<LifecycleRule> = body
        .blocks(block)
        .map(|b| LifecycleRule {
            range: b.range,
            status: if b.body.setting("status").is_absent() {
                convert(b.setting("enabled"), |v| match v {
                    Value::Bool(true) => Some("Enabled".to_owned()),
                    Value::Bool(false) => Some("Disabled".to_owned()),
                    _ => None,
                })
            } else {
                string(b.setting("status"))
            },
            acts: [
                "expiration",
                "noncurrent_version_expiration",
                "transition",
                "noncurrent_version_transition",
                "abort_incomplete_multipart_upload",
            ]
            .iter()
            .any(|k| !b.block(k).is_absent())
                || !b
                    .setting("abort_incomplete_multipart_upload_days")
                    .is_absent(),
        })
        .collect();
    if rules.is_empty() {
        Field::Absent
    } else {
        Field::Known(Spanned::new(rules, range))
    }
}

fn public_access_block(r: &Resource) -> PublicAccessBlock {
    PublicAccessBlock {
        range: r.range,
        block_public_acls: boolean(r.setting("block_public_acls")),
        block_public_policy: boolean(r.setting("block_public_policy")),
        ignore_public_acls: boolean(r.setting("ignore_public_acls")),
        restrict_public_buckets: boolean(r.setting("restrict_public_buckets")),
    }
}

fn security_groups(
    groups: &[&Resource],
    defaults: &[&Resource],
    all: &[&Resource],
) -> Vec<SecurityGroup> {
    let parents: Vec<&Resource> = groups.iter().chain(defaults).copied().collect();
    let classic = link(
        &parents,
        &of_kind(all, "aws_security_group_rule"),
        "security_group_id",
        "id",
    );
    let ingress = link(
        &parents,
        &of_kind(all, "aws_vpc_security_group_ingress_rule"),
        "security_group_id",
        "id",
    );
    let egress = link(
        &parents,
        &of_kind(all, "aws_vpc_security_group_egress_rule"),
        "security_group_id",
        "id",
    );
    parents
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut rules = Vec::new();
            let mut rules_unknown = r.body.has_unknown_blocks("ingress")
                || r.body.has_unknown_blocks("egress")
                || classic.maybe(r)
                || ingress.maybe(r)
                || egress.maybe(r);
            for (kind, direction) in [
                ("ingress", Direction::Ingress),
                ("egress", Direction::Egress),
            ] {
                if let Setting::Unknown(_) = r.setting(kind) {
                    rules_unknown = true;
                }
                for b in r.blocks(kind) {
                    rules.push(sg_rule(
                        &b.body,
                        b.range,
                        direction,
                        "cidr_blocks",
                        "ipv6_cidr_blocks",
                    ));
                }
            }
            for c in classic.of(i) {
                let direction = match c.attr("type").and_then(|v| v.value.as_str()) {
                    Some("ingress") => Direction::Ingress,
                    Some("egress") => Direction::Egress,
                    _ => {
                        rules_unknown = true;
                        continue;
                    }
                };
                rules.push(sg_rule(
                    &c.body,
                    c.range,
                    direction,
                    "cidr_blocks",
                    "ipv6_cidr_blocks",
                ));
            }
            for (links, direction) in [(&ingress, Direction::Ingress), (&egress, Direction::Egress)]
            {
                for c in links.of(i) {
                    let mut rule = sg_rule(&c.body, c.range, direction, "cidr_ipv4", "cidr_ipv6");
                    rule.protocol = string(c.setting("ip_protocol"));
                    rules.push(rule);
                }
            }
            SecurityGroup {
                origin: origin(r),
                rules,
                rules_unknown,
            }
        })
        .collect()
}

fn sg_rule(body: &Body, range: TextRange, direction: Direction, v4: &str, v6: &str) -> SgRule {
    let (mut cidrs, mut unknown) = strings(body.setting(v4));
    let (more, more_unknown) = strings(body.setting(v6));
    cidrs.extend(more);
    unknown |= more_unknown;
    let lower = |f: Field<String>| match f {
        Field::Known(v) => Field::Known(Spanned::new(v.value.to_ascii_lowercase(), v.range)),
        other => other,
    };
    SgRule {
        range,
        direction,
        protocol: lower(string(body.setting("protocol"))),
        from_port: integer(body.setting("from_port")),
        to_port: integer(body.setting("to_port")),
        cidrs,
        cidrs_unknown: unknown,
        description: string(body.setting("description")),
    }
}

fn launch_spec(r: &Resource) -> LaunchSpec {
    let kind = r.kind.value.as_str();
    let (http_tokens, http_endpoint, metadata_unknown) = match r.body.block("metadata_options") {
        BlockLookup::Present(b) => (
            string(b.setting("http_tokens")),
            string(b.setting("http_endpoint")),
            false,
        ),
        BlockLookup::Unknown => (Field::Unknown(r.range), Field::Unknown(r.range), true),
        BlockLookup::Absent => (Field::Absent, Field::Absent, false),
    };
    let mut public_ip = boolean(r.setting("associate_public_ip_address"));
    if kind == "aws_launch_template"
        && let Some(ni) = r.blocks("network_interfaces").next()
    {
        public_ip = boolean(ni.setting("associate_public_ip_address"));
    }
    let mut block_devices = Vec::new();
    let device = |b: &NestedBlock, root: bool, body: &Body| BlockDevice {
        range: b.range,
        root,
        encrypted: boolean(body.setting("encrypted")),
        snapshot: !body.setting("snapshot_id").is_absent(),
        volume_type: string(body.setting("volume_type")),
    };
    for b in r.blocks("root_block_device") {
        block_devices.push(device(b, true, &b.body));
    }
    for b in r.blocks("ebs_block_device") {
        block_devices.push(device(b, false, &b.body));
    }
    for b in r.blocks("block_device_mappings") {
        if let Some(ebs) = b.body.blocks("ebs").next() {
            block_devices.push(device(b, false, &ebs.body));
        }
    }
    let user_data = match string(r.setting("user_data")) {
        Field::Absent => string(r.setting("user_data_base64")),
        other => other,
    };
    LaunchSpec {
        origin: origin(r),
        http_tokens,
        http_endpoint,
        metadata_unknown,
        public_ip,
        block_devices,
        instance_type: string(r.setting("instance_type")),
        user_data,
    }
}

fn db_instance(r: &Resource, cluster: bool) -> DbInstance {
    DbInstance {
        origin: origin(r),
        cluster,
        cluster_member: !cluster && !r.setting("cluster_identifier").is_absent(),
        replica: !r.setting("replicate_source_db").is_absent(),
        engine: string(r.setting("engine")),
        storage_encrypted: boolean(r.setting("storage_encrypted")),
        publicly_accessible: boolean(r.setting("publicly_accessible")),
        backup_retention_period: integer(r.setting("backup_retention_period")),
        multi_az: boolean(r.setting("multi_az")),
        deletion_protection: boolean(r.setting("deletion_protection")),
        password: {
            let (plain, write_only) = if cluster {
                ("master_password", "master_password_wo")
            } else {
                ("password", "password_wo")
            };
            match string(r.setting(plain)) {
                Field::Absent => string(r.setting(write_only)),
                other => other,
            }
        },
        manage_master_user_password: boolean(r.setting("manage_master_user_password")),
        instance_class: string(r.setting(if cluster {
            "db_cluster_instance_class"
        } else {
            "instance_class"
        })),
    }
}
