use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags workflows that leave the `GITHUB_TOKEN` with the repository's default permissions:
    /// there is no top-level `permissions:` and a job has none either. When no job declares
    /// permissions the workflow is reported once (at its `on:` key); otherwise each job without
    /// them is. Reusable workflows that only `workflow_call` triggers are not reported: their
    /// token cannot have more than the caller gave. Jobs that call a reusable workflow count like
    /// any other job.
    ///
    /// ## Why is this bad?
    /// The default token of many repositories and organisations (all of those created before
    /// February 2023, unless changed) can write contents, packages, issues, pull requests and
    /// more. Any step that is compromised, or any injection, then acts with all of them. Declaring
    /// permissions makes the workflow least-privilege wherever it runs.
    ///
    /// ## Example
    /// ```yaml
    /// on: push
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - run: make test
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// on: push
    /// permissions:
    ///   contents: read
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - run: make test
    /// ```
    ///
    /// ## References
    /// - [Controlling permissions for GITHUB_TOKEN](https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token)
    /// - [zizmor: excessive-permissions](https://docs.zizmor.sh/audits/#excessive-permissions)
    pub struct PermissionsUndeclared {
        code: "GHA003",
        name: "permissions-undeclared",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Zizmor("excessive-permissions")],
    }
}

impl Rule for PermissionsUndeclared {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let Some(workflow) = input.file.workflow() else {
            return;
        };
        let Some(on) = workflow.on() else {
            return;
        };
        if workflow.permissions().is_some() || on.is_reusable_only() {
            return;
        }
        let jobs = workflow.jobs();
        let lacking: Vec<_> = jobs.iter().filter(|j| j.permissions().is_none()).collect();
        if lacking.is_empty() {
            return;
        }
        if lacking.len() == jobs.len() {
            let finding = ctx
                .report(
                    workflow.site(),
                    format!(
                        "{} declares no `permissions:`, so its jobs get the repository's default token permissions",
                        workflow.display()
                    ),
                )
                .help("add a top-level `permissions:` block (e.g. `contents: read`) and grant more per job where needed")
                .resource(workflow.display().replace('`', ""));
            if jobs.len() > 1 {
                for job in &jobs {
                    finding.label(
                        job.site(),
                        format!("job `{}` has no `permissions:`", job.id()),
                    );
                }
            }
            return;
        }
        for job in lacking {
            ctx.report(
                job.site(),
                format!(
                    "job `{}` declares no `permissions:` and the workflow sets none, so it gets the repository's default token permissions",
                    job.id()
                ),
            )
            .help("add `permissions:` to the job, or a top-level `permissions:` block for the whole workflow")
            .resource(job.display());
        }
    }
}
