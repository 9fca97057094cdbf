use super::helpers::prepend_entry;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags jobs without `timeout-minutes`. Jobs that call a reusable workflow (`uses:`) are not
    /// reported: they cannot set a timeout (the called workflow's jobs do).
    ///
    /// ## Why is this bad?
    /// The default timeout is 360 minutes. A job that hangs (a test waiting for a service that
    /// never starts, a prompt, a deadlock) holds its runner for six hours: billed minutes on
    /// GitHub-hosted runners, a blocked machine on self-hosted ones, and a queue behind it.
    ///
    /// ## Example
    /// ```yaml
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - run: make test
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// jobs:
    ///   test:
    ///     timeout-minutes: 30
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - run: make test
    /// ```
    ///
    /// ## Options
    /// `timeout-minutes`: the value the fix writes (default 60).
    ///
    /// ```toml
    /// [rules.job-timeout-missing]
    /// timeout-minutes = 30
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `timeout-minutes` (60 by default, see the option) as the job's first key. A job
    /// that legitimately runs longer than that would be cancelled: set the option, or adjust the
    /// value, for long builds.
    ///
    /// ## References
    /// - [Workflow syntax: jobs.<job_id>.timeout-minutes](https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idtimeout-minutes)
    /// - [Usage limits: job execution time](https://docs.github.com/en/actions/administering-github-actions/usage-limits-billing-and-administration#usage-limits)
    pub struct JobTimeoutMissing {
        code: "GHA015",
        name: "job-timeout-missing",
        category: Cost,
        severity: Info,
        fix: Sometimes,
        peers: [],
    }
}

/// `[rules.job-timeout-missing]`.
#[derive(Debug, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct JobTimeoutMissingOptions {
    /// The timeout the fix writes, in minutes.
    pub timeout_minutes: u32,
}

impl Default for JobTimeoutMissingOptions {
    fn default() -> Self {
        Self {
            timeout_minutes: 60,
        }
    }
}

impl RuleOptions for JobTimeoutMissingOptions {}

impl Rule for JobTimeoutMissing {
    type Input = GithubActionsInput;
    type Options = JobTimeoutMissingOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let minutes = ctx.options::<JobTimeoutMissingOptions>().timeout_minutes;
        let Some(workflow) = input.file.workflow() else {
            return;
        };
        for job in workflow.jobs() {
            if job.is_reusable_call() || job.get("timeout-minutes").is_some() {
                continue;
            }
            let value = minutes.to_string();
            let fix = prepend_entry(job.node, job.key, ctx.source(), "timeout-minutes", &value);
            let finding = ctx
                .report(
                    job.site(),
                    format!(
                        "job `{}` has no `timeout-minutes`, so a hung run holds its runner for 6 hours",
                        job.id()
                    ),
                )
                .help("add `timeout-minutes:` with a little more than the job's usual duration")
                .resource(job.display());
            if let Some(edit) = fix {
                finding.fix(Fix::safe(
                    format!("Add `timeout-minutes: {minutes}`"),
                    vec![edit],
                ));
            }
        }
    }
}
