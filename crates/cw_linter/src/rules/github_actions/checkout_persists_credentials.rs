use cw_model::github_actions::{ActionsFile, Step};

use super::helpers::add_nested_entry;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `actions/checkout` steps that do not set `persist-credentials: false`. A checkout that
    /// sets it explicitly (`true`, or an expression) is taken as intended, and so is one followed in
    /// the same job by a step that uses the stored credentials: `git push`, `git pull`, `git fetch`
    /// or `git config user.name` (the start of a commit) in a script, or an action that commits and
    /// pushes (`stefanzweifel/git-auto-commit-action`, `peter-evans/create-pull-request`, ...).
    ///
    /// ## Why is this bad?
    /// By default the checkout stores the job's token in the repository's git configuration (before
    /// v6, in `.git/config` inside the workspace), where every later step can read it, and where
    /// `actions/upload-artifact` of the workspace publishes it: anyone who can download the
    /// artifact gets a token that may write to the repository.
    ///
    /// ## Example
    /// ```yaml
    /// - uses: actions/checkout@v4
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// - uses: actions/checkout@v4
    ///   with:
    ///     persist-credentials: false
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `persist-credentials: false` to the step's `with:`. It is safe when no later
    /// step relies on git being authenticated; the rule does not report jobs where one visibly does.
    /// A script that runs authenticated git commands through a helper script would need the
    /// credentials back (`persist-credentials: true`).
    ///
    /// ## References
    /// - [actions/checkout: persist-credentials](https://github.com/actions/checkout#usage)
    /// - [ArtiPACKED: hacking giants through a race condition in GitHub Actions artifacts](https://unit42.paloaltonetworks.com/github-repo-artifacts-leak-tokens/)
    /// - [zizmor: artipacked](https://docs.zizmor.sh/audits/#artipacked)
    pub struct CheckoutPersistsCredentials {
        code: "GHA007",
        name: "checkout-persists-credentials",
        category: Security,
        severity: Warning,
        fix: Sometimes,
        peers: [Zizmor("artipacked")],
    }
}

/// Actions that commit and push with the credentials a checkout left behind.
const PUSHING_ACTIONS: &[&str] = &[
    "stefanzweifel/git-auto-commit-action",
    "EndBug/add-and-commit",
    "ad-m/github-push-action",
    "peter-evans/create-pull-request",
    "changesets/action",
    "JamesIves/github-pages-deploy-action",
    "github-actions-x/commit",
    "rickstaa/action-create-tag",
];

/// Whether a step uses git's stored credentials.
fn uses_git_credentials(file: &ActionsFile, step: &Step<'_>) -> bool {
    if PUSHING_ACTIONS.iter().any(|a| step.uses_action(a)) {
        return true;
    }
    let Some(script) = file.run_script(step) else {
        return false;
    };
    if script.script.error.is_some() {
        // Not analysed: look for the words.
        return step.run().and_then(|r| r.as_str()).is_some_and(|t| {
            ["git push", "git pull", "git fetch"]
                .iter()
                .any(|w| t.contains(w))
        });
    }
    script.script.commands().any(|c| {
        if c.program() != "git" {
            return false;
        }
        let mut args = c.arg_values().filter(|a| !a.starts_with('-'));
        match args.next() {
            Some("push" | "pull" | "fetch" | "ls-remote" | "submodule") => true,
            // Setting an identity is the first step of committing and pushing.
            Some("config") => args.any(|a| matches!(a, "user.name" | "user.email")),
            _ => false,
        }
    })
}

impl Rule for CheckoutPersistsCredentials {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let file = &input.file;
        for step in file.steps() {
            if !step.uses_action("actions/checkout") {
                continue;
            }
            if let Some(with) = step.get("with")
                && (with.get("persist-credentials").is_some()
                    || with.as_str().is_some_and(|s| s.contains("${{")))
            {
                continue;
            }
            if step
                .following()
                .iter()
                .any(|s| uses_git_credentials(file, s))
            {
                continue;
            }
            let Some((_, uses)) = step.uses() else {
                continue;
            };
            let fix = add_nested_entry(
                step.node,
                ctx.source(),
                "with",
                "persist-credentials",
                "false",
            );
            let finding = ctx
                .report(
                    uses.site_range(),
                    "`actions/checkout` leaves the job's token in the git configuration for later steps and artifacts",
                )
                .help("add `persist-credentials: false` under `with:`")
                .resource(step.display());
            if let Some(edit) = fix {
                finding.fix(Fix::safe("Add `persist-credentials: false`", vec![edit]));
            }
        }
    }
}
