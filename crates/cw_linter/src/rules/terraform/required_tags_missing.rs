use std::collections::BTreeSet;

use cw_model::terraform::{Body, Evaluation, Resource, Setting, Value};

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags taggable resources that lack tag keys your organisation requires (cost allocation,
    /// ownership): AWS resources (counting the AWS provider's `default_tags`), Azure resources
    /// (`tags`) and Google resources (`labels`, counting the provider's `default_labels`). The rule
    /// reports nothing until the required keys are configured. A resource is taggable when it
    /// writes `tags` (or `labels`) or is of a common taggable type. Resources whose tags, or the
    /// provider's default tags, are not known before apply are not reported.
    ///
    /// ## Options
    /// `tags`: the keys every taggable resource must carry.
    ///
    /// ```toml
    /// [rules.required-tags-missing]
    /// tags = ["owner", "environment", "cost-center"]
    /// ```
    ///
    /// ## Why is this bad?
    /// Untagged resources cannot be attributed on the bill, owned, or cleaned up: cost reports show
    /// them as "unallocated", and nobody knows whether they may be deleted.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "logs" {
    ///   bucket = "acme-logs"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// provider "aws" {
    ///   default_tags {
    ///     tags = { owner = "platform", environment = "prod", cost-center = "1234" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS provider: default tags](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/resource-tagging)
    /// - [tflint: aws_resource_missing_tags](https://github.com/terraform-linters/tflint-ruleset-aws/blob/master/docs/rules/aws_resource_missing_tags.md)
    pub struct RequiredTagsMissing {
        code: "TF010",
        name: "required-tags-missing",
        category: Cost,
        severity: Warning,
        fix: None,
        peers: [Tflint("aws_resource_missing_tags")],
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequiredTagsMissingOptions {
    /// Tag keys every taggable resource must carry. Empty: the rule reports nothing.
    pub tags: Vec<String>,
}

impl RuleOptions for RequiredTagsMissingOptions {}

/// Common taggable types, for resources that write no `tags` at all.
const TAGGABLE: [&str; 32] = [
    "aws_instance",
    "aws_s3_bucket",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_dynamodb_table",
    "aws_lambda_function",
    "aws_lb",
    "aws_vpc",
    "aws_subnet",
    "aws_security_group",
    "aws_eks_cluster",
    "aws_eks_node_group",
    "aws_ecs_cluster",
    "aws_ecs_service",
    "aws_ecr_repository",
    "aws_kms_key",
    "aws_cloudwatch_log_group",
    "aws_sqs_queue",
    "aws_sns_topic",
    "aws_efs_file_system",
    "aws_elasticache_replication_group",
    "aws_ebs_volume",
    "aws_nat_gateway",
    "aws_secretsmanager_secret",
    "aws_launch_template",
    "azurerm_resource_group",
    "azurerm_storage_account",
    "azurerm_kubernetes_cluster",
    "azurerm_linux_virtual_machine",
    "google_compute_instance",
    "google_storage_bucket",
    "google_container_cluster",
];

/// The keys of a tags map: `None` when they are not all known.
fn keys(setting: Setting<'_>) -> Option<BTreeSet<String>> {
    match setting {
        Setting::Absent => Some(BTreeSet::new()),
        Setting::Unknown(_) => None,
        Setting::Known(v) => match &v.value {
            Value::Map(m) => Some(m.keys().cloned().collect()),
            Value::Null => Some(BTreeSet::new()),
            _ => None,
        },
    }
}

/// The default tags (AWS `default_tags`, Google `default_labels`) of the root module's provider
/// configuration the resource uses: `None` when not known.
fn default_keys(eval: &Evaluation, r: &Resource) -> Option<BTreeSet<String>> {
    let provider = r.kind.value.split('_').next().unwrap_or("");
    let alias = r
        .provider
        .as_ref()
        .and_then(|p| p.value.split_once('.').map(|(_, a)| a.to_owned()));
    let Some(p) = eval
        .root
        .providers
        .iter()
        .find(|p| p.name.value == provider && p.alias == alias)
    else {
        return Some(BTreeSet::new());
    };
    let defaults = |body: &Body| -> Option<BTreeSet<String>> {
        match provider {
            "aws" => {
                if body.has_unknown_blocks("default_tags") {
                    return None;
                }
                match body.blocks("default_tags").next() {
                    Some(b) => keys(b.setting("tags")),
                    None => Some(BTreeSet::new()),
                }
            }
            "google" => keys(body.setting("default_labels")),
            _ => Some(BTreeSet::new()),
        }
    };
    defaults(&p.body)
}

impl Rule for RequiredTagsMissing {
    type Input = TerraformInput;
    type Options = RequiredTagsMissingOptions;

    fn check(&self, input: &TerraformInput, ctx: &mut RuleCtx) {
        let required = ctx.options::<RequiredTagsMissingOptions>().tags.clone();
        if required.is_empty() {
            return;
        }
        for r in input.eval.resources() {
            let kind = r.kind.value.as_str();
            let attr = if kind.starts_with("google_") {
                "labels"
            } else {
                "tags"
            };
            if !(kind.starts_with("aws_")
                || kind.starts_with("azurerm_")
                || kind.starts_with("google_"))
            {
                continue;
            }
            let setting = r.setting(attr);
            if setting.is_absent() && !TAGGABLE.contains(&kind) {
                continue;
            }
            let (Some(own), Some(defaults)) = (keys(setting), default_keys(&input.eval, r)) else {
                continue;
            };
            let missing: Vec<&str> = required
                .iter()
                .filter(|k| !own.contains(*k) && !defaults.contains(*k))
                .map(String::as_str)
                .collect();
            if missing.is_empty() {
                continue;
            }
            let at = match setting {
                Setting::Known(v) => v.range,
                _ => r.name.range,
            };
            let list = missing
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            ctx.report(
                at,
                format!("`{}` lacks the required {attr} {list}", r.local_address()),
            )
            .help(format!(
                "add them to `{attr}`, or to the provider's default {attr} for every resource"
            ))
            .resource(r.address.clone());
        }
    }
}
