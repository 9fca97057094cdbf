//! Each RUN's shell script and `--mount` flags.

use cw_diagnostics::TextRange;
use cw_syntax::dockerfile::{ExecArgs, Flag, Heredoc, Instruction, ShellText};
use cw_syntax::shell::{self, Pipeline, SYNTHETIC, Script, SimpleCommand, Word, is_posix_shell};

use super::Mount;

/// The SHELL Docker uses when none is set.
pub(super) fn default_shell() -> Vec<String> {
    vec!["/bin/sh".to_string(), "-c".to_string()]
}

/// The script of a RUN (or of an ONBUILD RUN trigger) run by `shell`.
pub(super) fn script(run: &Instruction, shell: &[String]) -> Script {
    if let Some(exec) = run.exec_args() {
        return exec_script(exec);
    }
    let Some(text) = run.shell_text() else {
        return Script::default();
    };
    let program = shell.first().map_or("", |s| basename(s));
    if !is_posix_shell(program) {
        return Script::failed(format!("SHELL {program} is not a POSIX shell"));
    }
    if run.heredocs.is_empty() {
        shell::parse(&text.text, &text.offsets)
    } else {
        heredoc_script(text, &run.heredocs)
    }
}

fn basename(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Exec form: one command, its words taken literally; `["sh", "-c", "..."]` also gives the script.
fn exec_script(exec: &ExecArgs) -> Script {
    let mut words = exec.items.iter().map(|item| Word {
        value: item.value.clone(),
        raw: item.value.clone(),
        range: item.range,
        literal: true,
    });
    let Some(name) = words.next() else {
        return Script::default();
    };
    let command = SimpleCommand {
        name,
        args: words.collect(),
        assignments: Vec::new(),
        range: exec.range,
        redirects: Vec::new(),
        via_shell_c: None,
    };
    let nested = command
        .shell_c_script()
        .and_then(|i| exec.items.get(i + 1))
        .map(|item| {
            let mut nested = exec_string_script(&item.value, item.range);
            for c in nested.pipelines.iter_mut().flat_map(|p| &mut p.commands) {
                c.via_shell_c.get_or_insert(exec.range);
            }
            nested
        });
    let mut script = Script {
        pipelines: vec![Pipeline {
            range: command.range,
            commands: vec![command],
            negated: false,
        }],
        error: None,
    };
    if let Some(nested) = nested {
        script.pipelines.extend(nested.pipelines);
        script.error = nested.error;
    }
    script
}

/// The script inside a JSON string literal at `range`. Without escapes each byte sits one past the
/// opening quote; with escapes the exact place is lost, and every range becomes the literal's.
fn exec_string_script(value: &str, range: TextRange) -> Script {
    let plain = range.len() as usize == value.len() + 2
        && !value.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20);
    if plain {
        return shell::parse_at(value, range.start + 1);
    }
    let mut script = shell::parse_at(value, range.start);
    for p in &mut script.pipelines {
        p.range = range;
        for c in &mut p.commands {
            c.range = range;
            c.name.range = range;
            for w in &mut c.args {
                w.range = range;
            }
            for a in &mut c.assignments {
                a.range = range;
                a.value.range = range;
            }
            for (_, w) in &mut c.redirects {
                w.range = range;
            }
        }
    }
    script
}

/// Shell form with heredocs: the line and its bodies as the shell sees them; each body that a shell
/// runs (`RUN <<EOF`, `RUN bash <<EOF`) is a script too, a body fed to anything else (`python3 <<EOF`,
/// `cat <<EOF > file`) is data.
fn heredoc_script(text: &ShellText, heredocs: &[Heredoc]) -> Script {
    let line_len = text.text.len();
    let mut combined =
        String::with_capacity(line_len + heredocs.iter().map(|h| h.body.len() + 8).sum::<usize>());
    let mut offsets: Vec<u32> = Vec::with_capacity(combined.capacity() + 1);
    combined.push_str(&text.text);
    offsets.extend(text.offsets.iter().take(line_len));
    // The newlines and closing delimiters the shell sees are not bytes of the file.
    combined.push('\n');
    offsets.push(SYNTHETIC);
    for doc in heredocs {
        combined.push_str(&doc.body);
        offsets.extend(doc.body_range.start..doc.body_range.start + doc.body.len() as u32);
        if !doc.body.is_empty() && !doc.body.ends_with('\n') {
            combined.push('\n');
            offsets.push(SYNTHETIC);
        }
        combined.push_str(&doc.delimiter);
        combined.push('\n');
        offsets.extend(std::iter::repeat_n(SYNTHETIC, doc.delimiter.len() + 1));
    }
    let mut script = shell::parse(&combined, &offsets);
    if script.error.is_some() {
        return script;
    }
    for doc in heredocs {
        let consumer = script.commands().find(|c| {
            c.redirects.iter().any(|(op, w)| {
                op.contains("<<") && !op.contains("<<<") && doc.marker_range.contains_range(w.range)
            })
        });
        let is_script = match consumer {
            Some(c) => c.is_shell_reading_stdin(),
            None => shebang_is_shell(&doc.body),
        };
        if is_script {
            let body = shell::parse_at(&doc.body, doc.body_range.start);
            script.pipelines.extend(body.pipelines);
            if script.error.is_none() {
                script.error = body.error;
            }
        }
    }
    script
}

/// A heredoc run as a file executes with its `#!` interpreter, or with the shell without one.
fn shebang_is_shell(body: &str) -> bool {
    let Some(line) = body.lines().next().and_then(|l| l.strip_prefix("#!")) else {
        return true;
    };
    let mut words = line.split_whitespace();
    let mut program = words.next().map_or("", basename);
    if program == "env" {
        program = words.find(|w| !w.starts_with('-')).map_or("", basename);
    }
    is_posix_shell(program)
}

/// `--mount=type=cache,target=/root/.cache,...` flags, parsed as BuildKit's CSV reader reads them.
pub(super) fn mounts<'a>(flags: impl Iterator<Item = &'a Flag>) -> Vec<Mount> {
    flags
        .map(|flag| {
            let value = flag.value.as_ref().map_or("", |v| v.value.as_str());
            let options: Vec<(String, String)> = split_csv(value)
                .into_iter()
                .map(|field| match field.split_once('=') {
                    Some((k, v)) => (k.trim().to_string(), v.to_string()),
                    None => (field.trim().to_string(), String::new()),
                })
                .collect();
            let get = |keys: &[&str]| {
                options
                    .iter()
                    .find(|(k, _)| keys.iter().any(|key| k.eq_ignore_ascii_case(key)))
                    .map(|(_, v)| v.clone())
            };
            Mount {
                kind: get(&["type"]).map_or_else(|| "bind".to_string(), |t| t.to_ascii_lowercase()),
                target: get(&["target", "dst", "destination"]),
                options: options.clone(),
                range: flag.range,
            }
        })
        .collect()
}

/// Comma-separated fields, a field in double quotes may hold commas (`"a,b"` is one field).
fn split_csv(value: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
    }
    fields.retain(|f| !f.is_empty());
    fields
}
