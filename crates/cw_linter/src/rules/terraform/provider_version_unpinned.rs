use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an entry of `required_providers` without a `version` constraint, in the root module
    /// and in every module it calls (a legacy entry written as a bare string is a version
    /// constraint).
    ///
    /// ## Why is this bad?
    /// Without a constraint, `terraform init` installs the newest provider release: a new major
    /// version (renamed arguments, changed defaults) reaches the next plan unannounced. A reusable
    /// module should state the oldest provider it works with (`>= 5.0`); a root module should pin
    /// a range it has tested (`~> 5.40`) and commit `.terraform.lock.hcl`.
    ///
    /// ## Example
    /// ```hcl
    /// terraform {
    ///   required_providers {
    ///     aws = {
    ///       source = "hashicorp/aws"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// terraform {
    ///   required_providers {
    ///     aws = {
    ///       source  = "hashicorp/aws"
    ///       version = "~> 5.40"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Terraform: provider requirements](https://developer.hashicorp.com/terraform/language/providers/requirements)
    /// - [tflint: terraform_required_providers](https://github.com/terraform-linters/tflint-ruleset-terraform/blob/main/docs/rules/terraform_required_providers.md)
    pub struct ProviderVersionUnpinned {
        code: "TF004",
        name: "provider-version-unpinned",
        category: Reproducibility,
        severity: Warning,
        fix: None,
        peers: [Tflint("terraform_required_providers")],
    }
}

impl Rule for ProviderVersionUnpinned {
    type Input = TerraformInput;
    type Options = NoOptions;

    fn check(&self, input: &TerraformInput, ctx: &mut RuleCtx) {
        for m in input.eval.modules() {
            for t in &m.terraform {
                for p in t.required_providers.iter().filter(|p| p.version.is_none()) {
                    ctx.report(
                        p.name.range,
                        format!("provider `{}` has no version constraint", p.name.value),
                    )
                    .help("add `version = \"~> X.Y\"` (root modules) or `\">= X.Y\"` (reusable modules) to the entry");
                }
            }
        }
    }
}
