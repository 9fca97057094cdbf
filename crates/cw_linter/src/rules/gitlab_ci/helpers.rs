//! Shared pieces of the GitLab CI rules.

use std::collections::HashSet;

use cw_diagnostics::TextRange;
use cw_model::gitlab_ci::{GitlabCiFile, Job, ScriptLine};
use cw_syntax::shell::{Script, SimpleCommand};

use crate::RuleCtx;

/// The jobs that run first, then the templates (`.name`): a value written in a template that a
/// job uses is reported once, under the job's name.
pub(crate) fn jobs_in_order(pipeline: &GitlabCiFile) -> Vec<Job<'_>> {
    let (mut visible, hidden): (Vec<Job<'_>>, Vec<Job<'_>>) =
        pipeline.jobs().partition(|j| !j.is_hidden());
    visible.extend(hidden);
    visible
}

/// Ranges already reported: a value that several jobs inherit is reported once.
#[derive(Default)]
pub(crate) struct Seen(HashSet<TextRange>);

impl Seen {
    /// Whether `range` is seen for the first time.
    pub(crate) fn first(&mut self, range: TextRange) -> bool {
        self.0.insert(range)
    }
}

/// The shell commands of a script line, with exact ranges when the line is in the linted file.
pub(crate) fn parse_line(line: &ScriptLine<'_>, ctx: &RuleCtx<'_>) -> Script {
    line.parse(ctx.text(line.node.range))
}

/// The names of the variables whose value a raw shell word expands: `$NAME`, `${NAME}`,
/// `${NAME:-default}` (not `${#NAME}`, `${NAME:+x}`, `${NAME:0:4}`), outside single quotes.
pub(crate) fn expanded_variables(raw: &str) -> Vec<&str> {
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let (mut single, mut double) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if !single => i += 1,
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'$' if !single => {
                let braced = bytes.get(i + 1) == Some(&b'{');
                let start = i + 1 + usize::from(braced);
                let mut end = start;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_')
                {
                    end += 1;
                }
                let whole_value = !braced
                    || matches!(bytes.get(end), Some(b'}'))
                    || raw[end..].starts_with(":-")
                    || raw[end..].starts_with('-');
                if end > start && !bytes[start].is_ascii_digit() && whole_value {
                    out.push(&raw[start..end]);
                }
                i = end.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The parts of a script line inside `$(...)` or backticks: commands there have their output
/// captured, not printed.
pub(crate) struct Captures {
    regions: Vec<TextRange>,
    /// The line has substitutions but its commands have no exact ranges: every command may be in one.
    all: bool,
}

impl Captures {
    pub(crate) fn of(line: &ScriptLine<'_>, ctx: &RuleCtx<'_>) -> Self {
        let mut out = Captures {
            regions: Vec::new(),
            all: false,
        };
        if !line.text.contains("$(") && !line.text.contains('`') {
            return out;
        }
        let range = line.node.range;
        let raw = ctx.text(range);
        if raw.len() != range.len() as usize {
            out.all = true;
            return out;
        }
        let bytes = raw.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'(') {
                let mut depth = 0usize;
                let mut j = i + 1;
                while j < bytes.len() {
                    match bytes[j] {
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                out.regions
                    .push(TextRange::from_usize(i, j.min(bytes.len())).shift(range.start));
                i += 2;
                continue;
            }
            if bytes[i] == b'`' {
                let end = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == b'`')
                    .map_or(bytes.len(), |p| i + 1 + p);
                out.regions
                    .push(TextRange::from_usize(i, end).shift(range.start));
                i = end + 1;
                continue;
            }
            i += 1;
        }
        out
    }

    /// Whether a command at `range` has its output captured.
    pub(crate) fn contains(&self, range: TextRange) -> bool {
        self.all || self.regions.iter().any(|r| r.contains_range(range))
    }
}

/// Whether the output of command `index` of a pipeline reaches the job log: it is not redirected
/// to a file, and it is the last command or feeds only commands that print their input.
pub(crate) fn output_reaches_log(commands: &[SimpleCommand], index: usize) -> bool {
    let Some(cmd) = commands.get(index) else {
        return false;
    };
    let to_file = cmd.redirects.iter().any(|(op, target)| {
        let out = op.contains('>') && !op.starts_with('2');
        let t = target.value.as_str();
        out && !t.starts_with('&')
            && !t.bytes().all(|b| b.is_ascii_digit())
            && !matches!(t, "/dev/stdout" | "/dev/stderr" | "/dev/tty")
    });
    if to_file {
        return false;
    }
    commands[index + 1..].iter().all(|next| {
        matches!(
            next.program(),
            "cat" | "tee" | "sort" | "uniq" | "column" | "nl" | "less" | "more"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::expanded_variables;

    #[test]
    fn expansions() {
        assert_eq!(expanded_variables("$TOKEN"), ["TOKEN"]);
        assert_eq!(expanded_variables("\"a ${TOKEN} b\""), ["TOKEN"]);
        assert_eq!(expanded_variables("${TOKEN:-none}"), ["TOKEN"]);
        assert!(expanded_variables("'$TOKEN'").is_empty());
        assert!(expanded_variables("${#TOKEN}").is_empty());
        assert!(expanded_variables("${TOKEN:0:4}").is_empty());
        assert!(expanded_variables("${TOKEN:+set}").is_empty());
        assert!(expanded_variables("\\$TOKEN").is_empty());
        assert!(expanded_variables("$1").is_empty());
    }
}
