use cw_model::github_actions::{ActionsFile, Step, Uses};

use super::helpers::{head_checkout, is_same_repository_guard, privileged_trigger};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags jobs of `pull_request_target` and `workflow_run` workflows that check out the code of
    /// the pull request (or of the run that triggered them) and then run code from it. A checkout of
    /// the head is `actions/checkout` with a `ref:` or `repository:` taken from
    /// `github.event.pull_request.head.*`, `github.head_ref`, `refs/pull/<number>/...` or
    /// `github.event.workflow_run.head_*`, or `gh pr checkout` / `git fetch ... pull/...` in a
    /// script. Running code is any later `run:` step that does more than inspect files (`echo`,
    /// `cat`, `git`, `gh`, `jq`...), a local action (`uses: ./...`), or an action known to build
    /// the checkout (`github/codeql-action/autobuild`, `docker/build-push-action`, ...).
    ///
    /// Jobs and steps whose `if:` admits only pull requests from the repository itself
    /// (`github.event.pull_request.head.repo.full_name == github.repository`) are not reported.
    ///
    /// ## Why is this bad?
    /// These triggers run in the context of the base repository: the job has its secrets and a
    /// token that can write, even when a fork opened the pull request. Build scripts, test suites,
    /// package manager hooks and local actions of the checked-out code then run with them: this is
    /// the "pwn request" that has taken over many open-source repositories.
    ///
    /// ## Example
    /// ```yaml
    /// on: pull_request_target
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///         with:
    ///           ref: ${{ github.event.pull_request.head.sha }}
    ///       - run: npm ci && npm test
    /// ```
    ///
    /// Use instead: test pull requests in a `pull_request` workflow, which has no secrets and a
    /// read-only token for forks, and keep `pull_request_target` for jobs that do not run their code
    /// (labelling, commenting).
    /// ```yaml
    /// on: pull_request
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: npm ci && npm test
    /// ```
    ///
    /// ## References
    /// - [GitHub Security Lab: preventing pwn requests](https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/)
    /// - [Events that trigger workflows: pull_request_target](https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#pull_request_target)
    /// - [zizmor: dangerous-triggers](https://docs.zizmor.sh/audits/#dangerous-triggers)
    pub struct UntrustedCheckoutInPrivilegedTrigger {
        code: "GHA005",
        name: "untrusted-checkout-in-privileged-trigger",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Zizmor("dangerous-triggers")],
    }
}

/// Commands that read or move files without running any of them.
const INERT_COMMANDS: &[&str] = &[
    "echo",
    "printf",
    "true",
    "false",
    "exit",
    "set",
    "export",
    "unset",
    "cd",
    "pwd",
    "ls",
    "test",
    "[",
    "mkdir",
    "cp",
    "mv",
    "rm",
    "cat",
    "head",
    "tail",
    "wc",
    "sleep",
    "date",
    "printenv",
    "jq",
    "yq",
    "gh",
    "git",
    "curl",
    "wget",
    "tar",
    "zip",
    "unzip",
    "gzip",
    "grep",
    "sed",
    "awk",
    "sort",
    "uniq",
    "tee",
    "touch",
    "chmod",
    "basename",
    "dirname",
    "diff",
    "cmp",
    "sha256sum",
];

/// Actions that build or run the code in the workspace.
const BUILDING_ACTIONS: &[&str] = &[
    "github/codeql-action/autobuild",
    "docker/build-push-action",
    "docker/bake-action",
    "gradle/gradle-build-action",
    "gradle/actions/setup-gradle",
    "cypress-io/github-action",
    "pre-commit/action",
    "borales/actions-yarn",
    "ruby/setup-ruby",
    "bahmutov/npm-install",
];

/// Whether a step runs code from the workspace.
fn runs_code(file: &ActionsFile, step: &Step<'_>) -> bool {
    if let Some((uses, _)) = step.uses() {
        return match uses {
            Uses::Local(_) => true,
            Uses::Repository(r) => BUILDING_ACTIONS.iter().any(|a| r.is(a)),
            Uses::Docker(_) => false,
        };
    }
    let Some(script) = file.run_script(step) else {
        return false;
    };
    if script.script.error.is_some() {
        return true;
    }
    script
        .script
        .commands()
        .any(|c| !INERT_COMMANDS.contains(&c.program()))
}

impl Rule for UntrustedCheckoutInPrivilegedTrigger {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let file = &input.file;
        let Some(workflow) = file.workflow() else {
            return;
        };
        let Some(trigger) = privileged_trigger(&workflow) else {
            return;
        };
        for job in workflow.jobs() {
            if job.condition().is_some_and(is_same_repository_guard) {
                continue;
            }
            let steps = job.steps();
            for (i, step) in steps.iter().enumerate() {
                if step.condition().is_some_and(is_same_repository_guard) {
                    continue;
                }
                let Some((range, what)) = head_checkout(file, step) else {
                    continue;
                };
                let Some(runner) = steps[i + 1..].iter().find(|s| runs_code(file, s)) else {
                    continue;
                };
                ctx.report(
                    range,
                    format!(
                        "job `{}` checks out pull request code (`{what}`) in a `{}` workflow and runs it in a later step",
                        job.id(),
                        trigger.name.value
                    ),
                )
                .label(
                    trigger.name.range,
                    format!(
                        "`{}` runs with the repository's secrets and a token that can write",
                        trigger.name.value
                    ),
                )
                .label(runner.site(), "this step runs code from the checkout")
                .help("build and test pull requests in a `pull_request` workflow; keep this trigger for jobs that do not run their code")
                .resource(job.display());
                break;
            }
        }
    }
}
