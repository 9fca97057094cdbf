use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags jobs that call a reusable workflow with `secrets: inherit`.
    ///
    /// ## Why is this bad?
    /// `inherit` hands the called workflow every secret the caller can see (repository,
    /// environment and organisation secrets), whatever it needs. A compromised or careless reusable
    /// workflow, or a later change to it, then reaches all of them. Passing secrets by name keeps
    /// each one where it is used, and shows in review which ones leave the workflow.
    ///
    /// ## Example
    /// ```yaml
    /// jobs:
    ///   deploy:
    ///     uses: octo-org/pipelines/.github/workflows/deploy.yml@v2
    ///     secrets: inherit
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// jobs:
    ///   deploy:
    ///     uses: octo-org/pipelines/.github/workflows/deploy.yml@v2
    ///     secrets:
    ///       deploy-token: ${{ secrets.DEPLOY_TOKEN }}
    /// ```
    ///
    /// ## References
    /// - [Reusing workflows: passing secrets](https://docs.github.com/en/actions/sharing-automations/reusing-workflows#passing-inputs-and-secrets-to-a-reusable-workflow)
    /// - [zizmor: secrets-inherit](https://docs.zizmor.sh/audits/#secrets-inherit)
    pub struct SecretsInherit {
        code: "GHA008",
        name: "secrets-inherit",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Zizmor("secrets-inherit")],
    }
}

impl Rule for SecretsInherit {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let Some(workflow) = input.file.workflow() else {
            return;
        };
        for job in workflow.jobs() {
            let Some(inherit) = job.secrets_inherit() else {
                continue;
            };
            let called = job
                .get("uses")
                .and_then(|u| u.as_str())
                .map_or_else(String::new, |u| format!(" `{}`", u.trim()));
            ctx.report(
                inherit.site_range(),
                format!(
                    "job `{}` passes every secret to the reusable workflow{called}",
                    job.id()
                ),
            )
            .help("list only the secrets the called workflow needs under `secrets:`")
            .resource(job.display());
        }
    }
}
