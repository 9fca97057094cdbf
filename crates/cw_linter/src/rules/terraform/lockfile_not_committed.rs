use super::helpers::{dir_name, header, is_deployment_root, module_anchor};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a root module that deploys something (it configures a provider or a backend) without
    /// a `.terraform.lock.hcl` beside it in the scanned tree. Reusable modules (which should not
    /// commit one), examples and tests are not reported, and nothing is reported when the scan
    /// does not know the directory (text from standard input).
    ///
    /// ## Why is this bad?
    /// The lock file records the exact provider versions and their checksums. Without it, every
    /// `terraform init` may pick a different provider build, and nothing checks that the provider
    /// binary downloaded in CI is the one that was reviewed.
    ///
    /// ## Example
    /// A root module `envs/prod/` with `main.tf` and no `envs/prod/.terraform.lock.hcl`.
    ///
    /// Use instead: run `terraform init` (or `terraform providers lock -platform=linux_amd64
    /// -platform=darwin_arm64`) and commit `.terraform.lock.hcl`.
    ///
    /// ## References
    /// - [Terraform: dependency lock file](https://developer.hashicorp.com/terraform/language/files/dependency-lock)
    pub struct LockfileNotCommitted {
        code: "TF013",
        name: "lockfile-not-committed",
        category: Reproducibility,
        severity: Info,
        fix: None,
        peers: [],
    }
}

impl Rule for LockfileNotCommitted {
    type Input = TerraformInput;
    type Options = NoOptions;

    fn check(&self, input: &TerraformInput, ctx: &mut RuleCtx) {
        if input.lockfile != Some(false) || !is_deployment_root(&input.eval) {
            return;
        }
        let root = &input.eval.root;
        let Some(at) = module_anchor(root).map(|r| header(ctx, r)) else {
            return;
        };
        ctx.report(at, format!("root module `{}` has no `.terraform.lock.hcl`", dir_name(root)))
            .help("run `terraform init` and commit `.terraform.lock.hcl` so that provider versions and checksums are pinned");
    }
}
