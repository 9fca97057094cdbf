use cw_model::github_actions::{Env, EnvLevel};

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `ACTIONS_ALLOW_UNSECURE_COMMANDS` set to a true value (`true`, `1`, any case) in an
    /// `env:` of a workflow, a job, a step, a composite action's step, or a Docker action's
    /// `runs.env`.
    ///
    /// ## Why is this bad?
    /// The variable re-enables the `::set-env::` and `::add-path::` workflow commands, which GitHub
    /// disabled in 2020 because any text a step prints can use them: a log line that echoes an
    /// issue title, a test name or a dependency's output can set `LD_PRELOAD`, `NODE_OPTIONS` or
    /// `PATH` for every later step (CVE-2020-15228).
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   ACTIONS_ALLOW_UNSECURE_COMMANDS: true
    /// ```
    ///
    /// Use instead: write to the environment files, and drop the variable.
    /// ```yaml
    /// - run: echo "TOOL_HOME=/opt/tool" >> "$GITHUB_ENV"
    /// ```
    ///
    /// ## Fix safety
    /// The fix sets the variable to `false`. Steps that still print `::set-env::` or
    /// `::add-path::` stop having an effect (GitHub's default); they need to write to
    /// `$GITHUB_ENV` / `$GITHUB_PATH` instead.
    ///
    /// ## References
    /// - [Deprecating set-env and add-path commands](https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/)
    /// - [Workflow commands: environment files](https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions#environment-files)
    /// - [zizmor: insecure-commands](https://docs.zizmor.sh/audits/#insecure-commands)
    pub struct InsecureCommandsEnabled {
        code: "GHA009",
        name: "insecure-commands-enabled",
        category: Security,
        severity: Error,
        fix: Sometimes,
        peers: [
            Zizmor("insecure-commands"),
            Checkov("CKV_GHA_1"),
            Actionlint("deprecated-commands"),
            Kics("Unsecured Commands"),
        ],
    }
}

const VARIABLE: &str = "ACTIONS_ALLOW_UNSECURE_COMMANDS";

impl Rule for InsecureCommandsEnabled {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let file = &input.file;
        let mut envs: Vec<(Env<'_>, EnvLevel, String)> = Vec::new();
        if let Some(w) = file.workflow() {
            if let Some(env) = w.env() {
                envs.push((env, EnvLevel::Workflow, w.display().replace('`', "")));
            }
            for job in w.jobs() {
                if let Some(env) = job.env() {
                    envs.push((env, EnvLevel::Job, job.display()));
                }
            }
        }
        if let Some(a) = file.action()
            && let Some(env) = a.env()
        {
            envs.push((env, EnvLevel::Action, "action".to_string()));
        }
        for step in file.steps() {
            if let Some(env) = step.env() {
                envs.push((env, EnvLevel::Step, step.display()));
            }
        }
        for (env, level, resource) in envs {
            for var in env.vars(level) {
                if var.name.value != VARIABLE || !var.is_truthy() {
                    continue;
                }
                let range = var.value.site_range();
                let finding = ctx
                    .report(
                        range,
                        "`ACTIONS_ALLOW_UNSECURE_COMMANDS` re-enables the `set-env` and `add-path` workflow commands",
                    )
                    .help("remove it and write to `$GITHUB_ENV` / `$GITHUB_PATH` instead")
                    .resource(resource.clone());
                if var.value.alias.is_none() {
                    finding.fix(Fix::safe(
                        "Set `ACTIONS_ALLOW_UNSECURE_COMMANDS` to `false`",
                        vec![Edit::replace(range, "false")],
                    ));
                }
            }
        }
    }
}
