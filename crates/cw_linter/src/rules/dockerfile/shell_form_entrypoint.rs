use cw_model::dockerfile::{Dockerfile, Stage};
use cw_syntax::dockerfile::{Instruction, Keyword, ShellText};
use cw_syntax::shell::{self, Script, SimpleCommand};

use super::helpers::stages::{
    is_windows_image, keyword_instructions, last_in_chain, root_image, stage_resource,
};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `CMD` and `ENTRYPOINT` written in shell form (`CMD node server.js`) instead of exec form
    /// (`CMD ["node", "server.js"]`), in every stage. Not reported: a shell form whose last command
    /// starts with `exec` (the documented way to let the process replace the shell), and stages whose
    /// shell is not a POSIX shell (a `SHELL` such as PowerShell, or a Windows base image, whose default
    /// shell is `cmd`).
    ///
    /// ## Why is this bad?
    /// The shell form runs `/bin/sh -c "<command>"`. The shell becomes PID 1 and receives the SIGTERM
    /// of `docker stop` or a Kubernetes rollout, but does not pass it on: the application never gets
    /// the chance to finish requests and close connections, and is killed with SIGKILL after the grace
    /// period (10 s for Docker, 30 s for Kubernetes). A shell-form `ENTRYPOINT` also ignores `CMD` and
    /// the arguments of `docker run`.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENTRYPOINT gunicorn app:app
    /// CMD node server.js
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ENTRYPOINT ["gunicorn", "app:app"]
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// When the command needs the shell (variables, `&&`, redirections), keep the shell form and start
    /// the last command with `exec` (`CMD exec node server.js --port "$PORT"`), or move it into a script
    /// that ends with `exec "$@"`.
    ///
    /// ## Fix safety
    /// A fix is offered when the command is one simple command of literal words (no variables,
    /// globs, quotes that matter to a shell, operators or redirections): it becomes the exec form with
    /// the same words. For a `CMD` in a stage that sets neither `ENTRYPOINT` nor `SHELL` the fix is
    /// safe: the same program runs with the same arguments, only without the shell in front (an
    /// `ENTRYPOINT` of the base image, if it has one, now receives the command words instead of
    /// `/bin/sh -c "..."`). It is unsafe for `ENTRYPOINT`, whose exec form starts appending the `CMD`
    /// and the `docker run` arguments that the shell form ignored, for a `CMD` that an `ENTRYPOINT` of
    /// the Dockerfile receives as arguments, and under a custom `SHELL` (a login shell such as
    /// `bash -lc` sets up an environment the exec form does not get).
    ///
    /// ## References
    /// - [Dockerfile reference: shell and exec form](https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
    /// - [Dockerfile reference: ENTRYPOINT](https://docs.docker.com/reference/dockerfile/#entrypoint)
    /// - [hadolint DL3025](https://github.com/hadolint/hadolint/wiki/DL3025)
    pub struct ShellFormEntrypoint {
        code: "DKR038",
        name: "shell-form-entrypoint",
        category: Reliability,
        severity: Warning,
        fix: Sometimes,
        peers: [
            Hadolint("DL3025"),
            Kics("Not Using JSON In CMD And ENTRYPOINT Arguments")
        ],
    }
}

impl Rule for ShellFormEntrypoint {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (stage, index, ins) in keyword_instructions(df, &[Keyword::Cmd, Keyword::Entrypoint]) {
            let Some(text) = ins.shell_text() else {
                continue;
            };
            if text.text.trim().is_empty() || !posix_shell(df, stage, index) {
                continue;
            }
            let script = shell::parse(&text.text, &text.offsets);
            if script.error.is_none() && ends_with_exec(&script) {
                continue;
            }
            report(ctx, df, stage, index, ins, text, &script);
        }
    }
}

fn report(
    ctx: &mut RuleCtx,
    df: &Dockerfile,
    stage: &Stage,
    index: usize,
    ins: &Instruction,
    text: &ShellText,
    script: &Script,
) {
    let keyword = ins.keyword.as_str();
    let exec = exec_form(script);
    let help = match &exec {
        Some(json) => format!("use the exec form: `{keyword} {json}`"),
        None => format!(
            "use the exec form (`{keyword} [\"program\", \"arg\"]`), or start the last command with `exec` so that it replaces the shell"
        ),
    };
    let shell = last_in_chain(df, stage, Keyword::Shell, Some(index))
        .and_then(|(_, s)| s.exec_args())
        .map_or_else(
            || "/bin/sh -c".to_string(),
            |exec| {
                exec.items
                    .iter()
                    .map(|i| i.value.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            },
        );
    let message = format!(
        "shell-form `{keyword}` runs under `{shell}`, which does not forward SIGTERM to the process"
    );
    let finding = ctx
        .report(text.range, message)
        .help(help)
        .resource(stage_resource(stage));
    let Some(json) = exec else { return };
    let edit = Edit::replace(text.range, json);
    let title = format!("Use the exec form of `{keyword}`");
    // A custom SHELL (`bash -lc` reads profiles) or an ENTRYPOINT that receives the words would see
    // a difference.
    let safe = ins.keyword == Keyword::Cmd
        && last_in_chain(df, stage, Keyword::Entrypoint, None).is_none()
        && last_in_chain(df, stage, Keyword::Shell, Some(index)).is_none();
    finding.fix(if safe {
        Fix::safe(title, vec![edit])
    } else {
        Fix::unsafe_edit(title, vec![edit])
    });
}

/// Whether the `SHELL` in force at instruction `index` (`/bin/sh -c` by default) is a POSIX shell.
fn posix_shell(df: &Dockerfile, stage: &Stage, index: usize) -> bool {
    let Some((_, ins)) = last_in_chain(df, stage, Keyword::Shell, Some(index)) else {
        // Without SHELL: `/bin/sh -c`, or `cmd /S /C` on Windows.
        return !root_image(df, stage).is_some_and(|(_, image)| is_windows_image(image));
    };
    ins.exec_args()
        .and_then(|exec| exec.items.first())
        .is_some_and(|program| {
            let name = program.value.rsplit('/').next().unwrap_or(&program.value);
            shell::is_posix_shell(name)
        })
}

/// The last pipeline is a lone `exec <program> ...`: the program replaces the shell and gets signals.
fn ends_with_exec(script: &Script) -> bool {
    script.pipelines.last().is_some_and(|p| {
        p.commands.len() == 1
            && p.commands
                .first()
                .is_some_and(|c| c.name.value == "exec" && !c.args.is_empty())
    })
}

/// Builtins and keywords that only make sense inside a shell.
const SHELL_ONLY: [&str; 16] = [
    ".", ":", "source", "cd", "export", "set", "unset", "ulimit", "umask", "eval", "exec", "trap",
    "wait", "alias", "read", "shift",
];

/// The exec form of `script` when it is one simple command of literal words the shell passes through
/// unchanged; `None` when the command needs the shell.
fn exec_form(script: &Script) -> Option<String> {
    if script.error.is_some() || script.pipelines.len() != 1 {
        return None;
    }
    let pipeline = &script.pipelines[0];
    if pipeline.negated || pipeline.commands.len() != 1 {
        return None;
    }
    let cmd: &SimpleCommand = &pipeline.commands[0];
    if !cmd.assignments.is_empty() || !cmd.redirects.is_empty() || cmd.via_shell_c.is_some() {
        return None;
    }
    if SHELL_ONLY.contains(&cmd.name.value.as_str()) {
        return None;
    }
    let words: Vec<_> = std::iter::once(&cmd.name).chain(&cmd.args).collect();
    if words
        .iter()
        .any(|w| !w.literal || w.value.contains(['*', '?', '[', '~', '{']))
    {
        return None;
    }
    let mut json = String::from("[");
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            json.push_str(", ");
        }
        json_string(&mut json, &w.value);
    }
    json.push(']');
    Some(json)
}

/// Appends `s` as a JSON string literal.
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
