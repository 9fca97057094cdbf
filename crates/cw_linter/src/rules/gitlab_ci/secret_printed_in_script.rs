use cw_model::gitlab_ci::{GitlabCiFile, ScriptLine, Variable};
use cw_syntax::shell::{SimpleCommand, Word};

use super::helpers::{
    Captures, Seen, expanded_variables, jobs_in_order, output_reaches_log, parse_line,
};
use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::unwrapped;
use crate::rules::dockerfile::secret_in_arg_or_env::is_secret_name;

declare_rule! {
    /// ## What it does
    /// Flags scripts (`before_script`, `script`, `after_script`) that write secrets to the job
    /// log:
    /// - `echo`/`printf`/`printenv` of a variable whose name says it is a secret (`echo
    ///   $DEPLOY_TOKEN`, `printf '%s' "$DB_PASSWORD"`, `printenv API_KEY`) when the output reaches
    ///   the log: not redirected to a file, not piped into another command (`echo "$TOKEN" |
    ///   docker login --password-stdin` is fine), not captured by `$(...)`;
    /// - `set -x` (`set -eux`, `set -o xtrace`) in a shell that later expands a secret variable:
    ///   the trace prints every command with its expanded arguments;
    /// - dumps of the whole environment: `env`, `printenv`, `export -p`, `set`, `declare -p`
    ///   alone (or piped into `sort`, `cat`, `tee`);
    /// - `CI_DEBUG_TRACE: "true"` in `variables:`, which makes the runner log every variable.
    ///
    /// Lengths (`${#TOKEN}`), tests (`${TOKEN:+set}`) and single-quoted `'$TOKEN'` print no value
    /// and are not reported.
    ///
    /// ## Why is this bad?
    /// Job logs are kept for a long time and readable by everyone with access to the project (for
    /// a public project, by anyone). GitLab masks only the variables marked as masked in the
    /// settings, and only when the value is printed whole and unchanged; a value set in the file,
    /// a value that cannot be masked, or an encoded one appears in clear.
    ///
    /// ## Example
    /// ```yaml
    /// deploy:
    ///   script:
    ///     - set -x
    ///     - echo "Using token $DEPLOY_TOKEN"
    ///     - curl -H "PRIVATE-TOKEN: $DEPLOY_TOKEN" https://gitlab.example.com/api/v4/projects
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// deploy:
    ///   script:
    ///     - echo "Token length ${#DEPLOY_TOKEN}"
    ///     - curl -H "PRIVATE-TOKEN: $DEPLOY_TOKEN" https://gitlab.example.com/api/v4/projects
    /// ```
    ///
    /// ## References
    /// - [GitLab: CI/CD variable security](https://docs.gitlab.com/ci/variables/#cicd-variable-security)
    /// - [Mask a CI/CD variable](https://docs.gitlab.com/ci/variables/#mask-a-cicd-variable)
    /// - [Debug logging (`CI_DEBUG_TRACE`)](https://docs.gitlab.com/ci/variables/variables_troubleshooting/#enable-debug-logging)
    pub struct SecretPrintedInScript {
        code: "GLC004",
        name: "secret-printed-in-script",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_GITLABCI_1")],
    }
}

impl Rule for SecretPrintedInScript {
    type Input = GitlabCiInput;
    type Options = NoOptions;

    fn check(&self, input: &GitlabCiInput, ctx: &mut RuleCtx) {
        let pipeline = &input.pipeline;
        let mut seen = Seen::default();
        debug_trace(pipeline, &mut seen, ctx);
        for job in jobs_in_order(pipeline) {
            let resource = job.display();
            check_shell(&job.main_shell(), &resource, &mut seen, ctx);
            check_shell(&job.after_script(), &resource, &mut seen, ctx);
        }
        let defaults = pipeline.defaults();
        check_shell(&defaults.before_script(), "default", &mut seen, ctx);
        check_shell(&defaults.after_script(), "default", &mut seen, ctx);
    }
}

/// `CI_DEBUG_TRACE: "true"` anywhere in `variables:`.
fn debug_trace(pipeline: &GitlabCiFile, seen: &mut Seen, ctx: &mut RuleCtx) {
    let mut check = |var: &Variable<'_>, resource: &str, ctx: &mut RuleCtx| {
        if var.name.value != "CI_DEBUG_TRACE" {
            return;
        }
        let Some(value) = &var.value else { return };
        if !value.value.eq_ignore_ascii_case("true") || !seen.first(value.range) {
            return;
        }
        ctx.report(
            value.range,
            "`CI_DEBUG_TRACE` is enabled: the job log shows every variable, secrets included",
        )
        .help("remove it; enable debug logging for one manual run only, in a protected pipeline")
        .resource(resource);
    };
    for var in pipeline.variables() {
        check(&var, "variables", ctx);
    }
    for job in jobs_in_order(pipeline) {
        for var in job.own_variables() {
            check(&var, &job.display(), ctx);
        }
    }
}

/// The lines one shell runs, in order: `set -x` stays on until `set +x`.
fn check_shell(lines: &[ScriptLine<'_>], resource: &str, seen: &mut Seen, ctx: &mut RuleCtx) {
    let mut xtrace: Option<TextRange> = None;
    for line in lines {
        let script = parse_line(line, ctx);
        if script.error.is_some() {
            continue;
        }
        let captures = Captures::of(line, ctx);
        for pipeline in &script.pipelines {
            for (i, cmd) in pipeline.commands.iter().enumerate() {
                if let Some(on) = xtrace_switch(cmd) {
                    xtrace = on.then_some(cmd.range);
                    continue;
                }
                if let Some(set_x) = xtrace
                    && let Some((word, name)) = secret_use(cmd)
                    && seen.first(set_x)
                {
                    ctx.report(
                        set_x,
                        format!("`set -x` prints the commands that follow with their values, `${name}` included"),
                    )
                    .label(word.range, format!("`${name}` is expanded here"))
                    .help("turn tracing off (`set +x`) before commands that use secrets, or do not trace")
                    .resource(resource);
                }
                if captures.contains(cmd.range) || !output_reaches_log(&pipeline.commands, i) {
                    continue;
                }
                printed(cmd, resource, seen, ctx);
            }
        }
    }
}

/// `Some(true)` for `set -x`/`set -o xtrace` (also in `set -eux`), `Some(false)` for `set +x`.
fn xtrace_switch(cmd: &SimpleCommand) -> Option<bool> {
    if cmd.name.value != "set" {
        return None;
    }
    let mut result = None;
    let mut args = cmd.args.iter().map(|w| w.value.as_str());
    while let Some(arg) = args.next() {
        match arg {
            "-o" | "+o" if args.next() == Some("xtrace") => result = Some(arg == "-o"),
            "--" => break,
            a if a.len() > 1 && a.starts_with('-') && !a.starts_with("--") && a.contains('x') => {
                result = Some(true);
            }
            a if a.len() > 1 && a.starts_with('+') && a.contains('x') => result = Some(false),
            _ => {}
        }
    }
    result
}

/// The first word of a command that expands a secret variable, and the variable.
fn secret_use(cmd: &SimpleCommand) -> Option<(&Word, &str)> {
    cmd.assignments
        .iter()
        .map(|a| &a.value)
        .chain(std::iter::once(&cmd.name))
        .chain(cmd.args.iter())
        .find_map(|w| {
            expanded_variables(&w.raw)
                .into_iter()
                .find(|n| is_secret_name(n))
                .map(|n| (w, n))
        })
}

/// Reports a command that prints a secret or the environment to the log.
fn printed(cmd: &SimpleCommand, resource: &str, seen: &mut Seen, ctx: &mut RuleCtx) {
    let Some((name, args)) = unwrapped(cmd) else {
        // `env` alone: the wrapper has no command to run.
        if cmd.program() == "env" && cmd.args.iter().all(|a| a.value.starts_with('-')) {
            dump(cmd, "env", resource, seen, ctx);
        }
        return;
    };
    let program = name.value.rsplit('/').next().unwrap_or(&name.value);
    match program {
        "echo" | "printf" => {
            let found = args.iter().find_map(|w| {
                expanded_variables(&w.raw)
                    .into_iter()
                    .find(|n| is_secret_name(n))
                    .map(|n| (w, n))
            });
            if let Some((word, var)) = found
                && seen.first(word.range)
            {
                ctx.report(
                    word.range,
                    format!("`{program}` prints the secret variable `${var}` to the job log"),
                )
                .help(format!(
                    "do not print secrets; to check that it is set, print its length (`${{#{var}}}`)"
                ))
                .resource(resource);
            }
        }
        "printenv" => {
            let operands: Vec<&Word> = args.iter().filter(|a| !a.value.starts_with('-')).collect();
            if operands.is_empty() {
                dump(cmd, "printenv", resource, seen, ctx);
            } else if let Some(word) = operands
                .iter()
                .find(|w| w.literal && is_secret_name(&w.value))
                && seen.first(word.range)
            {
                ctx.report(
                    word.range,
                    format!(
                        "`printenv` prints the secret variable `{}` to the job log",
                        word.value
                    ),
                )
                .help("do not print secrets")
                .resource(resource);
            }
        }
        "export" if args.iter().all(|a| a.value == "-p") => {
            dump(cmd, "export", resource, seen, ctx);
        }
        "declare" | "typeset"
            if args.iter().all(|a| {
                a.value.starts_with('-') && a.value[1..].chars().all(|c| matches!(c, 'p' | 'x'))
            }) =>
        {
            dump(cmd, program, resource, seen, ctx);
        }
        "set" if args.is_empty() => dump(cmd, "set", resource, seen, ctx),
        _ => {}
    }
}

fn dump(cmd: &SimpleCommand, what: &str, resource: &str, seen: &mut Seen, ctx: &mut RuleCtx) {
    if !seen.first(cmd.range) {
        return;
    }
    ctx.report(
        cmd.range,
        format!("`{what}` dumps every variable to the job log, secrets included"),
    )
    .help("print only the variables you need, by name")
    .resource(resource);
}
