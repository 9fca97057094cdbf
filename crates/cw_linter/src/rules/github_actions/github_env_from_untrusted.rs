use cw_model::github_actions::{
    ActionsFile, Context, Expression, RunScript, Step, expressions_within, referenced_variables,
};
use cw_syntax::shell::{SimpleCommand, Word};

use super::helpers::{head_checkout, privileged_trigger};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `run:` scripts that write attacker-influenced data to `$GITHUB_ENV` or `$GITHUB_PATH`
    /// (`echo ... >> "$GITHUB_ENV"`, `... | tee -a "$GITHUB_PATH"`):
    /// - an attacker-controlled expression (`${{ github.event.issue.body }}`), or an environment
    ///   variable set from one, written to `$GITHUB_ENV` where it can hold a line break (bodies,
    ///   commit messages) or where it starts the line and so names the variable, or written to
    ///   `$GITHUB_PATH` at all;
    /// - in `pull_request_target` and `workflow_run` workflows, after a step that checked out the
    ///   pull request's code or downloaded another run's artifacts: any data that is not written
    ///   out in the workflow (the output of a command, a file's content, a shell variable).
    ///
    /// Values that cannot contain a line break (branch names, titles) written after `NAME=` are not
    /// reported: they cannot define another variable.
    ///
    /// ## Why is this bad?
    /// Each line of `$GITHUB_ENV` defines a variable for every later step of the job. An attacker
    /// who can add a line sets `LD_PRELOAD`, `NODE_OPTIONS` or `BASH_ENV` and runs code with the
    /// job's token and secrets; a line in `$GITHUB_PATH` puts a directory they control first on the
    /// `PATH`.
    ///
    /// ## Example
    /// ```yaml
    /// - run: echo "PR_BODY=$BODY" >> "$GITHUB_ENV"
    ///   env:
    ///     BODY: ${{ github.event.pull_request.body }}
    /// ```
    ///
    /// Use instead: pass the value to the steps that need it through their own `env:`.
    /// ```yaml
    /// - run: ./check-description.sh
    ///   env:
    ///     BODY: ${{ github.event.pull_request.body }}
    /// ```
    ///
    /// ## References
    /// - [Workflow commands: setting an environment variable](https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions#setting-an-environment-variable)
    /// - [GitHub Security Lab: untrusted input](https://securitylab.github.com/resources/github-actions-untrusted-input/)
    /// - [zizmor: github-env](https://docs.zizmor.sh/audits/#github-env)
    pub struct GithubEnvFromUntrusted {
        code: "GHA010",
        name: "github-env-from-untrusted",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Zizmor("github-env")],
    }
}

/// Attacker-controlled fields that can hold line breaks (titles, branch names and author names
/// cannot).
const MULTILINE: &[&str] = &["body", "message"];

fn is_multiline(c: &Context) -> bool {
    c.key(c.parts.len().saturating_sub(1))
        .is_some_and(|k| MULTILINE.contains(&k))
}

/// `$GITHUB_ENV` or `$GITHUB_PATH`, when a word names one of them.
fn env_file(word: &Word) -> Option<&'static str> {
    let raw = word.raw.trim_matches('"');
    match raw {
        "$GITHUB_ENV" | "${GITHUB_ENV}" => Some("GITHUB_ENV"),
        "$GITHUB_PATH" | "${GITHUB_PATH}" => Some("GITHUB_PATH"),
        _ => None,
    }
}

/// The environment file a command writes to: by `>`/`>>`, or as an argument of `tee`.
fn destination(c: &SimpleCommand) -> Option<&'static str> {
    let redirected = c
        .redirects
        .iter()
        .filter(|(op, _)| matches!(op.as_str(), ">" | ">>" | "1>" | "1>>" | ">|" | "&>" | "&>>"))
        .find_map(|(_, w)| env_file(w));
    redirected.or_else(|| {
        (c.program() == "tee")
            .then(|| c.args.iter().find_map(env_file))
            .flatten()
    })
}

/// Variables the runner sets that an outsider does not choose.
fn is_runner_variable(name: &str) -> bool {
    (name.starts_with("GITHUB_") && name != "GITHUB_HEAD_REF")
        || name.starts_with("RUNNER_")
        || matches!(name, "HOME" | "PATH" | "PWD" | "CI" | "USER" | "RANDOM")
}

struct Judge<'a, 'f> {
    file: &'f ActionsFile,
    step: &'a Step<'f>,
    text: &'a str,
    expressions: &'f [Expression],
    /// The job checked out pull request code or downloaded artifacts, in a privileged workflow.
    untrusted_files: bool,
    /// Shell variables the script assigns from attacker-controlled data.
    tainted: Vec<Taint>,
}

/// A shell variable assigned from attacker-controlled data.
struct Taint {
    name: String,
    /// The context it comes from, as written.
    from: String,
    /// It can hold line breaks (`grep -o` and friends print one match per line).
    multiline: bool,
}

/// The attacker-controlled source of a value: a context of an expression within `range` of the
/// script, an environment variable set from one, or a variable already tainted.
fn attacker_source(
    file: &ActionsFile,
    step: &Step<'_>,
    expressions: &[Expression],
    range: TextRange,
    raw: &str,
    tainted: &[Taint],
) -> Option<(String, bool)> {
    for e in expressions_within(expressions, range) {
        if let Some(c) = e
            .flowing_contexts()
            .into_iter()
            .find(|c| c.is_attacker_controlled())
        {
            return Some((e.context_text(c).to_string(), is_multiline(c)));
        }
    }
    for name in referenced_variables(raw) {
        if let Some(var) = step.env_var(name) {
            for e in file.expressions(var.value) {
                if let Some(c) = e
                    .flowing_contexts()
                    .into_iter()
                    .find(|c| c.is_attacker_controlled())
                {
                    return Some((e.context_text(c).to_string(), is_multiline(c)));
                }
            }
        } else if let Some(t) = tainted.iter().rev().find(|t| t.name == name) {
            return Some((t.from.clone(), t.multiline));
        }
    }
    None
}

/// Reads `NAME=value` lines of a script (with `export`, `local`...), in order, and keeps the
/// variables whose value comes from attacker-controlled data. A command substitution may turn
/// one line into several.
fn script_taint(
    file: &ActionsFile,
    step: &Step<'_>,
    text: &str,
    expressions: &[Expression],
) -> Vec<Taint> {
    let mut out: Vec<Taint> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let mut t = line.trim_start();
        for keyword in ["export ", "local ", "declare ", "readonly "] {
            if let Some(rest) = t.strip_prefix(keyword) {
                t = rest.trim_start();
            }
        }
        let name_len = t
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if name_len == 0
            || t.as_bytes()[0].is_ascii_digit()
            || t.as_bytes().get(name_len) != Some(&b'=')
        {
            continue;
        }
        let rhs = &t[name_len + 1..];
        let rhs_start = start + (line.len() - t.len()) + name_len + 1;
        let range = TextRange::from_usize(rhs_start, offset);
        if let Some((from, multiline)) = attacker_source(file, step, expressions, range, rhs, &out)
        {
            out.push(Taint {
                name: t[..name_len].to_string(),
                from,
                multiline: multiline || rhs.contains("$(") || rhs.contains('`'),
            });
        }
    }
    out
}

/// What is wrong with a word written to an environment file.
enum Problem {
    Attacker(String),
    Files,
}

impl Judge<'_, '_> {
    /// Whether data at script offset `at` of a word comes before the first `=` of the word (so it
    /// names the variable). Arguments that a `printf` format places are values when the format
    /// has a `=` before its first `%`.
    fn before_equals(&self, word: &Word, at: usize, placed_after_equals: bool) -> bool {
        if placed_after_equals {
            return false;
        }
        let raw = self.text.get(word.range.as_usize()).unwrap_or("");
        match raw.find('=') {
            Some(eq) => at < word.range.start as usize + eq,
            None => true,
        }
    }

    fn dangerous(&self, multiline: bool, dest: &str, word: &Word, at: usize, value: bool) -> bool {
        dest == "GITHUB_PATH" || multiline || self.before_equals(word, at, value)
    }

    fn word(&self, word: &Word, dest: &str, value: bool) -> Option<Problem> {
        for e in expressions_within(self.expressions, word.range) {
            for c in e.flowing_contexts() {
                if c.is_attacker_controlled()
                    && self.dangerous(is_multiline(c), dest, word, e.text_range.start, value)
                {
                    return Some(Problem::Attacker(format!("`{}`", e.context_text(c))));
                }
            }
        }
        let raw_start = word.range.start as usize;
        for name in referenced_variables(&word.raw) {
            let at = word
                .raw
                .find(&format!("${name}"))
                .or_else(|| word.raw.find(&format!("${{{name}")))
                .map_or(raw_start, |i| raw_start + i);
            if let Some(var) = self.step.env_var(name) {
                for e in self.file.expressions(var.value) {
                    for c in e.flowing_contexts() {
                        if c.is_attacker_controlled()
                            && self.dangerous(is_multiline(c), dest, word, at, value)
                        {
                            return Some(Problem::Attacker(format!(
                                "`${name}` (`{}`)",
                                e.context_text(c)
                            )));
                        }
                    }
                }
            } else if let Some(t) = self.tainted.iter().rev().find(|t| t.name == name) {
                if self.dangerous(t.multiline, dest, word, at, value) {
                    return Some(Problem::Attacker(format!("`${name}` (`{}`)", t.from)));
                }
            } else if self.untrusted_files && !is_runner_variable(name) {
                return Some(Problem::Files);
            }
        }
        if self.untrusted_files && (word.raw.contains("$(") || word.raw.contains('`')) {
            return Some(Problem::Files);
        }
        None
    }

    /// The first problem of a command that produces data for `dest`, with the range to point at.
    fn command(&self, c: &SimpleCommand, dest: &str) -> Option<(TextRange, Problem)> {
        if c.program() == "echo" {
            return c
                .args
                .iter()
                .find_map(|w| self.word(w, dest, false).map(|p| (w.range, p)));
        }
        if c.program() == "printf" {
            let format = c.args.first()?;
            // `printf 'NAME=%s\n' "$VALUE"`: the arguments land after the `=`.
            let placed = format
                .value
                .find('=')
                .is_some_and(|eq| format.value.find('%').is_none_or(|pct| eq < pct));
            return c
                .args
                .iter()
                .enumerate()
                .find_map(|(i, w)| self.word(w, dest, i > 0 && placed).map(|p| (w.range, p)));
        }
        if c.program() == "tee" {
            return None;
        }
        self.untrusted_files.then_some((c.range, Problem::Files))
    }
}

fn check_script(
    ctx: &mut RuleCtx,
    judge: &Judge<'_, '_>,
    script: &RunScript,
    trigger: Option<&str>,
) {
    for pipeline in &script.script.pipelines {
        for (k, c) in pipeline.commands.iter().enumerate() {
            let Some(dest) = destination(c) else {
                continue;
            };
            let producers: &[SimpleCommand] = if c.program() == "tee" {
                &pipeline.commands[..k]
            } else {
                std::slice::from_ref(c)
            };
            let Some((range, problem)) = producers.iter().find_map(|p| judge.command(p, dest))
            else {
                continue;
            };
            let message = match problem {
                Problem::Attacker(what) if dest == "GITHUB_PATH" => {
                    format!("attacker-controlled {what} is added to `$GITHUB_PATH`")
                }
                Problem::Attacker(what) => format!(
                    "attacker-controlled {what} is written to `$GITHUB_ENV`, where it can define any variable"
                ),
                Problem::Files => format!(
                    "data from pull request files or artifacts is written to `${dest}` in a `{}` workflow",
                    trigger.unwrap_or("privileged")
                ),
            };
            let help = if dest == "GITHUB_PATH" {
                "do not add untrusted paths to `$GITHUB_PATH`"
            } else {
                "pass untrusted values to the steps that need them through `env:`, not through `$GITHUB_ENV`"
            };
            ctx.report(script.file_range(range), message)
                .help(help)
                .resource(judge.step.display());
        }
    }
}

/// Whether a step downloads artifacts of another run (`workflow_run` artifacts come from the
/// pull request's own workflow).
fn downloads_artifacts(file: &ActionsFile, step: &Step<'_>) -> bool {
    if step.uses_action("dawidd6/action-download-artifact") {
        return true;
    }
    if step.uses_action("actions/download-artifact") {
        return step.input("run-id").is_some() || step.input("github-token").is_some();
    }
    file.run_script(step).is_some_and(|s| {
        s.script.commands().any(|c| {
            c.program() == "gh"
                && c.args.first().is_some_and(|a| a.value == "run")
                && c.args.get(1).is_some_and(|a| a.value == "download")
        })
    })
}

impl Rule for GithubEnvFromUntrusted {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let file = &input.file;
        for step in file.steps() {
            let Some(run) = step.run() else {
                continue;
            };
            let Some(text) = run.as_str() else {
                continue;
            };
            if !text.contains("GITHUB_ENV") && !text.contains("GITHUB_PATH") {
                continue;
            }
            let Some(script) = file.run_script(&step) else {
                continue;
            };
            let trigger = step
                .job()
                .and_then(|j| privileged_trigger(&j.workflow))
                .map(|t| t.name.value);
            let untrusted_files = trigger.is_some()
                && step
                    .previous()
                    .iter()
                    .any(|s| head_checkout(file, s).is_some() || downloads_artifacts(file, s));
            let expressions = file.expressions(run);
            let judge = Judge {
                file,
                step: &step,
                text,
                expressions,
                untrusted_files,
                tainted: script_taint(file, &step, text, expressions),
            };
            check_script(ctx, &judge, script, trigger);
        }
    }
}
