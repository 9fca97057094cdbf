use super::helpers::{dir_name, header, is_deployment_root, module_anchor};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a root module that deploys something (it configures a provider or a backend) and
    /// states no `required_version` for Terraform in any of its `terraform` blocks. Reusable
    /// modules, examples and tests are not reported.
    ///
    /// ## Why is this bad?
    /// Without a constraint, whoever runs the next apply uses whatever Terraform they have: a newer
    /// version upgrades the state format so older versions can no longer read it, and an older one
    /// may not understand the configuration.
    ///
    /// ## Example
    /// ```hcl
    /// provider "aws" {
    ///   region = "eu-west-1"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// terraform {
    ///   required_version = "~> 1.9"
    /// }
    ///
    /// provider "aws" {
    ///   region = "eu-west-1"
    /// }
    /// ```
    ///
    /// ## References
    /// - [Terraform: version constraints](https://developer.hashicorp.com/terraform/language/terraform#terraform-required_version)
    /// - [tflint: terraform_required_version](https://github.com/terraform-linters/tflint-ruleset-terraform/blob/main/docs/rules/terraform_required_version.md)
    pub struct TerraformVersionUnpinned {
        code: "TF012",
        name: "terraform-version-unpinned",
        category: Reproducibility,
        severity: Info,
        fix: None,
        peers: [Tflint("terraform_required_version")],
    }
}

impl Rule for TerraformVersionUnpinned {
    type Input = TerraformInput;
    type Options = NoOptions;

    fn check(&self, input: &TerraformInput, ctx: &mut RuleCtx) {
        let root = &input.eval.root;
        if !is_deployment_root(&input.eval)
            || root.terraform.iter().any(|t| t.required_version.is_some())
        {
            return;
        }
        let Some(at) = module_anchor(root).map(|r| header(ctx, r)) else {
            return;
        };
        ctx.report(
            at,
            format!(
                "root module `{}` does not constrain the Terraform version",
                dir_name(root)
            ),
        )
        .help("add `required_version = \"~> 1.9\"` (the version you run) to the `terraform` block");
    }
}
