use cw_model::github_actions::Container;

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a literal `credentials.password` of a job's `container:` or of one of its
    /// `services:`. A password taken from an expression (`${{ secrets.REGISTRY_TOKEN }}`) is
    /// fine. The password is never shown in full in the output.
    ///
    /// ## Why is this bad?
    /// The workflow file is readable by everyone who can read the repository, lives forever in its
    /// history, and is copied into every fork: a registry password written there is public. It
    /// also cannot be rotated without a commit.
    ///
    /// ## Example
    /// ```yaml
    /// container:
    ///   image: ghcr.io/octo-org/build:1.4
    ///   credentials:
    ///     username: octo-bot
    ///     password: hunter2-registry
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// container:
    ///   image: ghcr.io/octo-org/build:1.4
    ///   credentials:
    ///     username: ${{ github.actor }}
    ///     password: ${{ secrets.GITHUB_TOKEN }}
    /// ```
    ///
    /// ## References
    /// - [Running jobs in a container: credentials](https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idcontainercredentials)
    /// - [zizmor: hardcoded-container-credentials](https://docs.zizmor.sh/audits/#hardcoded-container-credentials)
    /// - [actionlint: credentials](https://github.com/rhysd/actionlint/blob/main/docs/checks.md#hardcoded-credentials)
    pub struct HardcodedContainerCredentials {
        code: "GHA011",
        name: "hardcoded-container-credentials",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Zizmor("hardcoded-container-credentials"),
            Actionlint("credentials"),
        ],
    }
}

fn check_container(ctx: &mut RuleCtx, container: Container<'_>, what: &str, resource: String) {
    let Some(password) = container.password() else {
        return;
    };
    let Some(text) = password.as_str() else {
        return;
    };
    if text.trim().is_empty() || text.contains("${{") {
        return;
    }
    let range = password.site_range();
    ctx.report(
        range,
        format!("{what} has a registry password written in the workflow"),
    )
    .help("store the password as a secret and use `password: ${{ secrets.NAME }}`")
    .resource(resource)
    .redact(range);
}

impl Rule for HardcodedContainerCredentials {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let Some(workflow) = input.file.workflow() else {
            return;
        };
        for job in workflow.jobs() {
            if let Some(container) = job.container() {
                check_container(
                    ctx,
                    container,
                    &format!("the container of job `{}`", job.id()),
                    job.display(),
                );
            }
            for (name, service) in job.services() {
                check_container(
                    ctx,
                    service,
                    &format!("service `{}` of job `{}`", name.value, job.id()),
                    format!("{} service {}", job.display(), name.value),
                );
            }
        }
    }
}
