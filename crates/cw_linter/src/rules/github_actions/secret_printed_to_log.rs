use cw_model::github_actions::{
    ActionsFile, Expression, RunScript, Step, expressions_within, referenced_variables,
};
use cw_syntax::shell::{SimpleCommand, Word};

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags the ways a workflow or a composite action writes secrets where they can be read:
    /// - `echo` or `printf` of a secret in a `run:` script, directly (`${{ secrets.X }}`) or
    ///   through an environment variable set from one, when the output reaches the job log (it is
    ///   not redirected to a file or piped into another program), or when it is piped through a
    ///   transformation (`base64`, `rev`, `xxd`, `tr`, `sed`...) whose output reaches the log;
    /// - `toJSON(secrets)` (or the bare `secrets` object), which expands every secret of the
    ///   repository at once;
    /// - `fromJSON(secrets.X)`: values decoded from a JSON secret are not masked in logs.
    ///
    /// Workflow commands (`echo "::add-mask::$TOKEN"`) are not reported.
    ///
    /// ## Why is this bad?
    /// The runner masks the exact value of each secret in logs, and nothing more: a secret that is
    /// encoded, reversed, split, decoded from JSON or printed in a structured form appears in clear
    /// text, and public repositories' logs are public. `toJSON(secrets)` hands every secret to one
    /// step, whatever it needs.
    ///
    /// ## Example
    /// ```yaml
    /// - run: echo "$TOKEN" | base64
    ///   env:
    ///     TOKEN: ${{ secrets.DEPLOY_TOKEN }}
    /// ```
    ///
    /// Use instead: pass secrets to the programs that use them, never to the log.
    /// ```yaml
    /// - run: deploy --token-file <(printf '%s' "$TOKEN")
    ///   env:
    ///     TOKEN: ${{ secrets.DEPLOY_TOKEN }}
    /// ```
    ///
    /// ## References
    /// - [Using secrets in GitHub Actions](https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions)
    /// - [Security hardening: using secrets](https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-secrets)
    /// - [zizmor: unredacted-secrets](https://docs.zizmor.sh/audits/#unredacted-secrets)
    /// - [zizmor: overprovisioned-secrets](https://docs.zizmor.sh/audits/#overprovisioned-secrets)
    pub struct SecretPrintedToLog {
        code: "GHA006",
        name: "secret-printed-to-log",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Zizmor("unredacted-secrets"),
            Zizmor("overprovisioned-secrets"),
            Checkov("CKV_GHA_3"),
        ],
    }
}

/// Programs that pass their input through unchanged.
const PASS_THROUGH: &[&str] = &["cat", "tee"];

/// Programs that print a transformed copy of their input.
const TRANSFORMERS: &[&str] = &[
    "base64", "base32", "basenc", "xxd", "od", "hexdump", "rev", "tr", "sed", "awk", "cut", "jq",
    "fold", "sort",
];

/// Whether a command's standard output goes to a file rather than the log.
fn stdout_redirected(c: &SimpleCommand) -> bool {
    c.redirects.iter().any(|(op, target)| {
        let to_file = matches!(op.as_str(), ">" | ">>" | "1>" | "1>>" | ">|" | "&>" | "&>>");
        to_file
            && !matches!(
                target.value.as_str(),
                "/dev/stdout" | "/dev/stderr" | "/dev/tty"
            )
    })
}

/// The secret a word expands, named as written: `secrets.TOKEN`, or `$TOKEN (secrets.TOKEN)`.
fn secret_in_word(
    file: &ActionsFile,
    step: &Step<'_>,
    expressions: &[Expression],
    word: &Word,
) -> Option<String> {
    if let Some(e) = expressions_within(expressions, word.range).find(|e| e.reads_secret()) {
        let contexts = e.flowing_contexts();
        let name = contexts
            .iter()
            .find(|c| c.root() == "secrets")
            .map_or(e.inner(), |c| e.context_text(c));
        return Some(format!("`{name}`"));
    }
    referenced_variables(&word.raw)
        .into_iter()
        .find_map(|name| {
            let var = step.env_var(name)?;
            let e = file
                .expressions(var.value)
                .iter()
                .find(|e| e.reads_secret())?;
            Some(format!("`${name}` (`{}`)", e.inner()))
        })
}

/// A workflow command (`echo "::add-mask::..."`): read by the runner, not shown as is.
fn is_workflow_command(c: &SimpleCommand) -> bool {
    c.args
        .first()
        .is_some_and(|w| w.raw.trim_start_matches(['"', '\'']).starts_with("::"))
}

fn check_script(
    ctx: &mut RuleCtx,
    file: &ActionsFile,
    step: &Step<'_>,
    script: &RunScript,
    expressions: &[Expression],
) {
    for pipeline in &script.script.pipelines {
        for (k, c) in pipeline.commands.iter().enumerate() {
            if !matches!(c.program(), "echo" | "printf") || is_workflow_command(c) {
                continue;
            }
            let Some((word, secret)) = c
                .args
                .iter()
                .find_map(|w| secret_in_word(file, step, expressions, w).map(|s| (w, s)))
            else {
                continue;
            };
            let downstream = &pipeline.commands[k + 1..];
            let last = downstream.last().unwrap_or(c);
            if stdout_redirected(last) {
                continue;
            }
            let transformed = if downstream
                .iter()
                .all(|d| PASS_THROUGH.contains(&d.program()))
            {
                false
            } else if downstream
                .iter()
                .all(|d| PASS_THROUGH.contains(&d.program()) || TRANSFORMERS.contains(&d.program()))
            {
                true
            } else {
                // Piped into a program that consumes it (`docker login --password-stdin`).
                continue;
            };
            let range = script.file_range(word.range);
            let finding = if transformed {
                let via = downstream
                    .iter()
                    .find(|d| TRANSFORMERS.contains(&d.program()))
                    .map_or("", |d| d.program());
                ctx.report(
                    range,
                    format!(
                        "`{}` pipes the secret {secret} through `{via}` into the job log, where masking does not recognise it",
                        c.program()
                    ),
                )
                .help("never print values derived from secrets; if one must be used, mask it first with `::add-mask::`")
            } else {
                ctx.report(
                    range,
                    format!("`{}` prints the secret {secret} to the job log", c.program()),
                )
                .help("do not print secrets: log masking hides exact values only, not encoded, split or multi-line forms")
            };
            finding.resource(step.display());
        }
    }
}

impl Rule for SecretPrintedToLog {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let file = &input.file;
        for e in file.all_expressions() {
            let Some(expr) = &e.expr else {
                continue;
            };
            if expr.flowing_contexts().iter().any(|c| c.is_all_secrets()) {
                ctx.report(
                    e.range,
                    format!(
                        "`{}` expands every secret of the repository at once",
                        e.text
                    ),
                )
                .help("pass only the secrets the step needs, one by one (`secrets.NAME`)");
                continue;
            }
            let decoded = expr.calls().into_iter().any(|call| {
                call.name == "fromjson"
                    && call
                        .args
                        .iter()
                        .any(|a| a.flowing_contexts().iter().any(|c| c.root() == "secrets"))
            });
            if decoded && e.reads_secret() {
                ctx.report(
                    e.range,
                    format!(
                        "`{}` decodes a secret with `fromJSON`; the values it yields are not masked in logs",
                        e.text
                    ),
                )
                .help("store each value as its own secret, or mask it with `::add-mask::` before use");
            }
        }
        for step in file.steps() {
            let Some(run) = step.run() else {
                continue;
            };
            let Some(script) = file.run_script(&step) else {
                continue;
            };
            check_script(ctx, file, &step, script, file.expressions(run));
        }
    }
}
