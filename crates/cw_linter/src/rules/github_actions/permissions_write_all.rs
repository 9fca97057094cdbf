use cw_model::github_actions::Permissions;

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `permissions: write-all`, at the top of a workflow or on a job.
    ///
    /// ## Why is this bad?
    /// `write-all` gives the `GITHUB_TOKEN` write access to every scope: contents (push to any
    /// branch, tags, releases), packages, actions, deployments, issues, pull requests, security
    /// events. Any compromised step, dependency or injection gets all of it. Jobs rarely need more
    /// than one or two scopes.
    ///
    /// ## Example
    /// ```yaml
    /// permissions: write-all
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// permissions:
    ///   contents: read
    ///   pull-requests: write
    /// ```
    ///
    /// ## References
    /// - [Controlling permissions for GITHUB_TOKEN](https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token)
    /// - [zizmor: excessive-permissions](https://docs.zizmor.sh/audits/#excessive-permissions)
    pub struct PermissionsWriteAll {
        code: "GHA004",
        name: "permissions-write-all",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV2_GHA_1"), Zizmor("excessive-permissions")],
    }
}

impl Rule for PermissionsWriteAll {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let Some(workflow) = input.file.workflow() else {
            return;
        };
        if let Some(Permissions::WriteAll(node)) = workflow.permissions() {
            ctx.report(
                node.site_range(),
                format!(
                    "{} gives every job a token with `write-all` permissions",
                    workflow.display()
                ),
            )
            .help("declare only the scopes the jobs need (e.g. `contents: read`), and grant writes per job")
            .resource(workflow.display().replace('`', ""));
        }
        for job in workflow.jobs() {
            if let Some(Permissions::WriteAll(node)) = job.permissions() {
                ctx.report(
                    node.site_range(),
                    format!("job `{}` gets a token with `write-all` permissions", job.id()),
                )
                .help("declare only the scopes the job needs (e.g. `contents: read`, `pull-requests: write`)")
                .resource(job.display());
            }
        }
    }
}
