use cw_syntax::dockerfile::{Instruction, Keyword};
use cw_syntax::shell::{self, Script, is_posix_shell};

use super::helpers::stages::{last_in_chain, stage_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags the CMD and ENTRYPOINT that the final image runs when they send the application's output to a
    /// file: a redirection to a path (`> /var/log/app.log`, `2>> /var/log/err.log`, `&> file`), in shell
    /// form or in `sh -c "..."`, and log-file options such as gunicorn's `--access-logfile` and
    /// `--error-logfile`, `--log-file` or uWSGI's `--logto` with a path.
    ///
    /// ## Why is this bad?
    /// Container runtimes collect a container's standard output and error: that is what `docker logs`,
    /// `kubectl logs` and log shippers read. Output written to a file inside the container is invisible to
    /// them, grows the writable layer until the disk fills, and is lost with the container.
    ///
    /// Redirections to the container's own streams (`/dev/stdout`, `/dev/stderr`, `/proc/self/fd/1`),
    /// to `/dev/null`, and `| tee file` (which keeps standard output) are not reported, nor is `-` as a log
    /// file. RUN steps may write build logs wherever they like, and CMDs overridden by a later one are
    /// ignored.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD gunicorn app:app > /var/log/gunicorn.log 2>&1
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// CMD ["gunicorn", "--access-logfile", "-", "app:app"]
    /// ```
    ///
    /// ## References
    /// - [Docker: View container logs](https://docs.docker.com/engine/logging/)
    /// - [The Twelve-Factor App: Logs](https://12factor.net/logs)
    pub struct LogsToFile {
        code: "DKR053",
        name: "logs-to-file",
        category: Observability,
        severity: Info,
        fix: None,
        peers: [

        ],
    }
}

impl Rule for LogsToFile {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        let Some(last) = df.final_stage() else {
            return;
        };
        for keyword in [Keyword::Entrypoint, Keyword::Cmd] {
            let Some((_, ins)) = last_in_chain(df, last, keyword, None) else {
                continue;
            };
            for (range, what) in log_files(ins, ctx.source()) {
                ctx.report(
                    range,
                    format!("{} {what}: `docker logs` and log collectors never see it", keyword.as_str()),
                )
                .help("log to stdout/stderr (or pass `-` / `/dev/stdout` as the log file) and let the runtime collect it")
                .resource(stage_resource(last));
            }
        }
    }
}

/// The places where `ins` (a CMD or ENTRYPOINT) sends its output to a file: redirections and
/// log-file options, with a description.
fn log_files(ins: &Instruction, source: &str) -> Vec<(TextRange, String)> {
    let mut out = Vec::new();
    if let Some(text) = ins.shell_text() {
        script_log_files(&shell::parse(&text.text, &text.offsets), &mut out);
    }
    if let Some(exec) = ins.exec_args() {
        let items = &exec.items;
        let words: Vec<(&str, TextRange)> =
            items.iter().map(|i| (i.value.as_str(), i.range)).collect();
        option_log_files(&words, &mut out);
        let shell_c = items
            .first()
            .is_some_and(|p| is_posix_shell(p.value.rsplit('/').next().unwrap_or(&p.value)));
        let script = items
            .iter()
            .position(|i| i.value == "-c" || (i.value.starts_with('-') && i.value.ends_with('c')))
            .and_then(|pos| items.get(pos + 1));
        // Positions inside the JSON string are exact only without escapes.
        if let Some(script) =
            script.filter(|s| shell_c && s.range.slice(source).len() == s.value.len() + 2)
        {
            script_log_files(
                &shell::parse_at(&script.value, script.range.start + 1),
                &mut out,
            );
        }
    }
    out
}

fn script_log_files(script: &Script, out: &mut Vec<(TextRange, String)>) {
    for cmd in script.commands() {
        for (op, target) in &cmd.redirects {
            let output = op.contains('>') && !op.contains('<');
            let dup = target.value.bytes().all(|b| b.is_ascii_digit()) || target.value == "-";
            if output && !dup && target.literal && !is_stream(&target.value) {
                out.push((
                    target.range,
                    format!("redirects output to `{}`", target.value),
                ));
            }
        }
        let words: Vec<(&str, TextRange)> = cmd
            .args
            .iter()
            .filter(|w| w.literal)
            .map(|w| (w.value.as_str(), w.range))
            .collect();
        option_log_files(&words, out);
    }
}

/// `--access-logfile /var/log/a.log`, `--log-file=/var/log/app.log`: options naming a log file.
fn option_log_files(words: &[(&str, TextRange)], out: &mut Vec<(TextRange, String)>) {
    const OPTIONS: [&str; 6] = [
        "--log-file",
        "--logfile",
        "--access-logfile",
        "--error-logfile",
        "--logto",
        "--log-path",
    ];
    for (i, (word, range)) in words.iter().enumerate() {
        let (name, value, value_range) = match word.split_once('=') {
            Some((n, v)) => (n, Some(v), *range),
            None => (
                *word,
                words.get(i + 1).map(|w| w.0),
                words.get(i + 1).map_or(*range, |w| w.1),
            ),
        };
        if !OPTIONS.contains(&name) {
            continue;
        }
        if let Some(value) =
            value.filter(|v| !v.starts_with('-') && !v.contains('$') && !is_stream(v))
        {
            out.push((
                value_range,
                format!("writes its log to `{value}` (`{name}`)"),
            ));
        }
    }
}

/// The container's own output streams and the null device.
fn is_stream(path: &str) -> bool {
    matches!(
        path,
        "/dev/stdout"
            | "/dev/stderr"
            | "/dev/null"
            | "/proc/self/fd/1"
            | "/proc/self/fd/2"
            | "/dev/fd/1"
            | "/dev/fd/2"
            | "/proc/1/fd/1"
            | "/proc/1/fd/2"
    )
}
