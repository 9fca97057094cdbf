use cw_model::github_actions::Job;

use super::helpers::{FORK_PR_TRIGGERS, is_same_repository_guard};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags jobs that run on a self-hosted runner in a workflow that pull requests trigger
    /// (`pull_request`, `pull_request_target`, `pull_request_review`,
    /// `pull_request_review_comment`), so that anyone who can open a pull request, from a fork too,
    /// can get a job onto the machine. A runner is self-hosted when `runs-on` names the
    /// `self-hosted` label, directly or through a matrix value. Jobs whose `if:` admits only the
    /// repository's own pull requests
    /// (`github.event.pull_request.head.repo.full_name == github.repository`) are not reported.
    /// Runner groups and custom labels alone are not reported: they may be GitHub-hosted larger
    /// runners.
    ///
    /// ## Why is this bad?
    /// A pull request's workflow runs the pull request's code (its build scripts, its tests, its
    /// version of the workflow itself for `pull_request`). On a self-hosted runner that code can
    /// install a persistent backdoor, read credentials and caches left by other jobs, and reach the
    /// network the machine sits in. GitHub recommends self-hosted runners only for private
    /// repositories for this reason; ephemeral, isolated runners reduce but do not remove the risk.
    ///
    /// ## Example
    /// ```yaml
    /// on: pull_request
    /// jobs:
    ///   test:
    ///     runs-on: [self-hosted, linux]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// on: pull_request
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    /// ```
    ///
    /// ## References
    /// - [Security hardening: hardening for self-hosted runners](https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#hardening-for-self-hosted-runners)
    /// - [Approving workflow runs from public forks](https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-workflow-runs/approving-workflow-runs-from-public-forks)
    /// - [zizmor: self-hosted-runner](https://docs.zizmor.sh/audits/#self-hosted-runner)
    pub struct SelfHostedRunnerUntrustedTrigger {
        code: "GHA016",
        name: "self-hosted-runner-untrusted-trigger",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Zizmor("self-hosted-runner")],
    }
}

/// Where the job's `runs-on` names a self-hosted runner.
fn self_hosted_site(job: &Job<'_>) -> Option<TextRange> {
    let runs_on = job.runs_on()?;
    if let Some(label) = runs_on.self_hosted() {
        return Some(label.range);
    }
    // `runs-on: ${{ matrix.runner }}` with `self-hosted` among the matrix values.
    for label in &runs_on.labels {
        let text = label.value.trim();
        let Some(key) = text
            .strip_prefix("${{")
            .and_then(|t| t.strip_suffix("}}"))
            .map(str::trim)
            .and_then(|t| t.strip_prefix("matrix."))
        else {
            continue;
        };
        let values = job.matrix_values(key)?;
        let is_label = |n: &cw_syntax::yaml::Node| {
            n.as_str()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case("self-hosted"))
        };
        let self_hosted = values
            .iter()
            .any(|v| is_label(v) || v.items().iter().any(is_label));
        if self_hosted {
            return Some(label.range);
        }
    }
    None
}

impl Rule for SelfHostedRunnerUntrustedTrigger {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let Some(workflow) = input.file.workflow() else {
            return;
        };
        let Some(on) = workflow.on() else {
            return;
        };
        let Some(trigger) = on.any_of(FORK_PR_TRIGGERS) else {
            return;
        };
        for job in workflow.jobs() {
            if job.condition().is_some_and(is_same_repository_guard) {
                continue;
            }
            let Some(site) = self_hosted_site(&job) else {
                continue;
            };
            ctx.report(
                site,
                format!(
                    "job `{}` runs on a self-hosted runner in a workflow that pull requests trigger (`{}`)",
                    job.id(),
                    trigger.name.value
                ),
            )
            .label(trigger.name.range, "pull requests from forks can start this workflow")
            .help("run pull request jobs on GitHub-hosted runners, or limit the job to the repository's own branches with an `if:`")
            .resource(job.display());
        }
    }
}
