use super::helpers::{dir_name, header, is_deployment_root, module_anchor};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a root module that keeps its state on local disk: it configures a provider but has no
    /// `backend` block (or `backend "local"`) and no `cloud` block. A directory that only defines
    /// a reusable module (it configures no provider and no backend), and roots under `examples/`,
    /// `test/` or `fixtures/`, are not reported.
    ///
    /// ## Why is this bad?
    /// Local state lives on one laptop or CI runner: nobody else can plan against it, two applies
    /// at once are not locked out, and losing the file means Terraform no longer knows what it
    /// manages. State also holds every secret of the stack in plain text, on whatever disk ran the
    /// apply.
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
    ///   backend "s3" {
    ///     bucket       = "acme-terraform-state"
    ///     key          = "prod/network.tfstate"
    ///     region       = "eu-west-1"
    ///     encrypt      = true
    ///     use_lockfile = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Terraform: backends](https://developer.hashicorp.com/terraform/language/backend)
    /// - [Terraform: state](https://developer.hashicorp.com/terraform/language/state)
    pub struct LocalStateBackend {
        code: "TF001",
        name: "local-state-backend",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [],
    }
}

impl Rule for LocalStateBackend {
    type Input = TerraformInput;
    type Options = NoOptions;

    fn check(&self, input: &TerraformInput, ctx: &mut RuleCtx) {
        let eval = &input.eval;
        if !is_deployment_root(eval) {
            return;
        }
        let root = &eval.root;
        if root.terraform.iter().any(|t| t.cloud.is_some()) {
            return;
        }
        let help = "add a remote backend (`backend \"s3\"`, `\"gcs\"`, `\"azurerm\"`) or a `cloud` block to the `terraform` block";
        match root.terraform.iter().find_map(|t| t.backend.as_ref()) {
            Some(b) if b.kind.value == "local" => {
                ctx.report(
                    b.kind.range,
                    format!(
                        "root module `{}` keeps its state in a local file (`backend \"local\"`)",
                        dir_name(root)
                    ),
                )
                .help(help);
            }
            Some(_) => {}
            None => {
                let Some(at) = module_anchor(root).map(|r| header(ctx, r)) else {
                    return;
                };
                ctx.report(
                    at,
                    format!(
                        "root module `{}` has no backend: its state stays in a local file",
                        dir_name(root)
                    ),
                )
                .help(help);
            }
        }
    }
}
