//! What ends up in an image's layers: which stages are shipped, what a RUN leaves behind or removes,
//! what earlier instructions configured, and how to append a command to a RUN's `&&` chain.

use cw_diagnostics::{Applicability, Edit, Fix, TextRange};
use cw_model::dockerfile::{BaseKind, Dockerfile, Run, Stage};
use cw_syntax::dockerfile::{Instruction, Keyword};
use cw_syntax::shell::{SimpleCommand, Word};

use super::cli::{Call, basename};
use super::copy::{copy_args, removes};
use super::stages::{ancestors, stage_resource};

/// The instruction a RUN entry stands for: the RUN itself, or the triggered RUN of an `ONBUILD RUN`.
pub(crate) fn run_instruction<'a>(df: &'a Dockerfile, run: &Run) -> &'a Instruction {
    let ins = df.instruction(run.instruction);
    match &ins.onbuild {
        Some(inner) => inner,
        None => ins,
    }
}

/// For each stage, whether its files can end up in a built image: the final stage, every stage no
/// other stage refers to (a likely `--target`), and the stages those are built `FROM`. A stage that is
/// only a `COPY --from` / `RUN --mount=from=` source is build-only: what it leaves in its layers is not
/// shipped.
pub(crate) fn image_stages(df: &Dockerfile) -> Vec<bool> {
    let n = df.stages.len();
    let mut referenced = vec![false; n];
    let mut parent: Vec<Option<usize>> = vec![None; n];
    for stage in &df.stages {
        if let BaseKind::Stage(p) = stage.base.kind
            && p < n
        {
            referenced[p] = true;
            parent[stage.index] = Some(p);
        }
        for (_, ins) in df.stage_instructions(stage) {
            if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            if let Some(from) = ins.flag("from").and_then(|f| f.value.as_ref())
                && let Some(s) = df.stage_by_ref(&from.value, stage.index)
            {
                referenced[s.index] = true;
            }
        }
        for run in df.stage_runs(stage) {
            for m in &run.mounts {
                for (k, v) in &m.options {
                    if k == "from"
                        && let Some(s) = df.stage_by_ref(v, stage.index)
                    {
                        referenced[s.index] = true;
                    }
                }
            }
        }
    }
    let mut shipped = vec![false; n];
    for (i, &is_referenced) in referenced.iter().enumerate() {
        if i + 1 == n || !is_referenced {
            let mut cur = Some(i);
            let mut guard = 0;
            while let Some(s) = cur {
                if shipped[s] || guard > n {
                    break;
                }
                shipped[s] = true;
                cur = parent[s];
                guard += 1;
            }
        }
    }
    shipped
}

/// Whether stage `index` can be shipped, by the list [`image_stages`] made (a stage it does not
/// know counts as shipped).
pub(crate) fn is_shipped(images: &[bool], index: usize) -> bool {
    images.get(index).copied().unwrap_or(true)
}

/// The RUNs whose layers can be shipped (see [`image_stages`]), in order. ONBUILD triggers run in a
/// child image: always shipped.
pub(crate) fn shipped_runs(df: &Dockerfile) -> impl Iterator<Item = &Run> {
    let images = image_stages(df);
    df.runs
        .iter()
        .filter(move |run| run.stage.is_none_or(|s| is_shipped(&images, s)))
}

/// The instructions that apply before `run`: those of its stage before it, and all of the stages it is
/// built `FROM` (parents first). Empty for ONBUILD triggers.
pub(crate) fn instructions_before<'a>(
    df: &'a Dockerfile,
    run: &Run,
) -> Vec<(usize, &'a Instruction)> {
    let Some(stage) = run.stage.and_then(|s| df.stages.get(s)) else {
        return Vec::new();
    };
    let chain: Vec<&Stage> = ancestors(df, stage).collect();
    let mut out = Vec::new();
    for s in chain.into_iter().rev() {
        out.extend(
            df.stage_instructions(s)
                .filter(|(i, _)| s.index != stage.index || *i < run.instruction),
        );
    }
    out
}

/// The RUNs that run before `run` in its stage and the stages it is built `FROM`.
fn runs_before<'a>(df: &'a Dockerfile, run: &Run) -> Vec<&'a Run> {
    let Some(stage) = run.stage.and_then(|s| df.stages.get(s)) else {
        return Vec::new();
    };
    let chain: Vec<usize> = ancestors(df, stage).map(|s| s.index).collect();
    df.runs
        .iter()
        .filter(|r| {
            r.stage.is_some_and(|s| chain.contains(&s))
                && (r.stage != Some(stage.index) || r.instruction < run.instruction)
        })
        .collect()
}

/// Whether an `ENV` or `ARG` in force at `run` (in its stage, or an ENV of a parent stage) declares
/// `name`, with any value: RUN commands then see it in their environment (an ARG without default may be
/// set with `--build-arg`, so it counts as declared).
pub(crate) fn env_declared(df: &Dockerfile, run: &Run, name: &str) -> bool {
    run.stage.is_some() && df.vars_at(run.instruction).is_declared(name)
}

/// apt's own configuration (not its sources lists).
pub(crate) const APT_CONFIG: &[&str] = &["/etc/apt/apt.conf", "/etc/apt/apt.conf.d"];

/// Whether configuration at `paths` (files or directories such as `/etc/apt/apt.conf.d`) may have been
/// written before `run` runs its commands, in its stage or a parent stage: by a COPY or ADD, or by a
/// RUN (this one included) that redirects into it, `tee`s, `sed -i`s, copies, moves or links there.
/// The settings in force are then not known.
pub(crate) fn config_written(df: &Dockerfile, run: &Run, paths: &[&str]) -> bool {
    let hits = |p: &str| {
        if let Some(var) = p.find(['$', '`']) {
            let prefix = &p[..var];
            return prefix.len() > 1
                && paths
                    .iter()
                    .any(|c| c.starts_with(prefix) || prefix.starts_with(c));
        }
        paths.iter().any(|c| covers(c, p) || covers(p, c))
    };
    let copied = instructions_before(df, run)
        .into_iter()
        .filter_map(|(_, ins)| copy_args(ins)?.dest)
        .any(|dest| hits(&dest.value));
    copied
        || runs_before(df, run)
            .into_iter()
            .chain(std::iter::once(run))
            .flat_map(|r| r.script.commands())
            .any(|c| written_paths(c).into_iter().any(|w| hits(&w.value)))
}

/// The paths a command writes: redirection targets, `tee` files, `sed -i` files, and the destination
/// of `cp`, `mv`, `install` and `ln`.
fn written_paths(cmd: &SimpleCommand) -> Vec<&Word> {
    let mut out: Vec<&Word> = cmd
        .redirects
        .iter()
        .filter(|(op, _)| op.contains('>'))
        .map(|(_, w)| w)
        .collect();
    if !cmd.name.literal {
        return out;
    }
    let operands = || cmd.args.iter().filter(|w| !w.value.starts_with('-'));
    match basename(&cmd.name) {
        "tee" => out.extend(operands()),
        "sed"
            if cmd
                .args
                .iter()
                .any(|w| w.value.starts_with("-i") || w.value == "--in-place") =>
        {
            out.extend(operands().skip(1));
        }
        "cp" | "mv" | "install" | "ln" => out.extend(operands().next_back()),
        _ => {}
    }
    out
}

/// The value of a word with variables (`$UID`, `"${UID}"`, `1000${N}`) when every variable has a known
/// value at `run` (an ENV, or an ARG default); `None` otherwise, or for command substitutions.
pub(crate) fn resolve_variable(df: &Dockerfile, run: &Run, word: &Word) -> Option<String> {
    if run.stage.is_none() || word.raw.contains("$(") || word.raw.contains('`') {
        return None;
    }
    df.vars_at(run.instruction).expand(&word.raw)
}

/// How findings on `run` name their construct: `stage build`, or `ONBUILD trigger`.
pub(crate) fn run_resource(df: &Dockerfile, run: &Run) -> String {
    match run.stage.and_then(|s| df.stages.get(s)) {
        Some(stage) => stage_resource(stage),
        None => "ONBUILD trigger".to_string(),
    }
}

/// A fix titled "Add `option`" that inserts `option` right after `after` (a word of `call`, usually
/// its subcommand): ` option` in shell form, `, "option"` when the call is the exec-form command
/// itself (`RUN ["apt-get", "install", ...]`).
pub(crate) fn add_option_fix(
    df: &Dockerfile,
    run: &Run,
    call: &Call<'_>,
    after: &Word,
    option: &str,
    applicability: Applicability,
) -> Fix {
    let exec = run_instruction(df, run).is_exec_form() && call.cmd.via_shell_c.is_none();
    let text = if exec {
        format!(", \"{option}\"")
    } else {
        format!(" {option}")
    };
    let title = format!("Add `{option}`");
    let edits = vec![Edit::insert(after.range.end, text)];
    match applicability {
        Applicability::Safe => Fix::safe(title, edits),
        Applicability::Unsafe => Fix::unsafe_edit(title, edits),
    }
}

/// Whether `parent` is `path` or one of its ancestor directories (`/var/lib/apt` covers
/// `/var/lib/apt/lists`). Trailing slashes are ignored.
pub(crate) fn covers(parent: &str, path: &str) -> bool {
    let parent = parent.trim_end_matches('/');
    let path = path.trim_end_matches('/');
    path == parent || (path.starts_with(parent) && path.as_bytes().get(parent.len()) == Some(&b'/'))
}

/// Whether a `--mount` of `run` (a cache, a tmpfs or a bind mount) sits over `dir`, so that what the
/// RUN writes there never reaches the layer. A target with a variable counts as covering (unknown).
pub(crate) fn mounted_over(run: &Run, dir: &str) -> bool {
    run.mounts.iter().any(|m| {
        matches!(m.kind.as_str(), "cache" | "tmpfs" | "bind")
            && m.target
                .as_deref()
                .is_some_and(|t| t.contains('$') || covers(t, dir))
    })
}

/// The path words a command deletes: the operands of `rm`, or the start paths of `find ... -delete`
/// (or `find ... -exec rm`).
pub(crate) fn deleted_paths(cmd: &SimpleCommand) -> Vec<&Word> {
    if !cmd.name.literal {
        return Vec::new();
    }
    match basename(&cmd.name) {
        "rm" => {
            let mut only = false;
            cmd.args
                .iter()
                .filter(|w| {
                    if w.value == "--" {
                        only = true;
                        return false;
                    }
                    only || !w.value.starts_with('-') || !w.literal
                })
                .collect()
        }
        "find" => {
            let deletes = cmd
                .args
                .iter()
                .any(|w| w.value == "-delete" || w.value == "rm");
            if !deletes {
                return Vec::new();
            }
            cmd.args
                .iter()
                .take_while(|w| !w.value.starts_with('-') || !w.literal)
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Whether deleting `word` (an `rm` operand) removes `dir` or everything in it: `/var/lib/apt/lists/*`,
/// `/var/lib/apt/lists`, `/var/lib/apt`. A word with a variable counts when its literal start is
/// compatible with `dir` (unknown, so not reported).
pub(crate) fn path_clears(word: &Word, dir: &str) -> bool {
    let v = word.value.as_str();
    if !word.literal {
        let prefix = &v[..v.find(['$', '`']).unwrap_or(v.len())];
        let prefix = prefix.trim_start_matches(['"', '\'']);
        return dir.starts_with(prefix) || prefix.starts_with(dir);
    }
    // `/var/lib/apt/lists/*`, `/var/lib/apt`: the directory itself, a parent, or everything in it.
    v.starts_with('/') && removes(v, dir, true)
}

/// A safe fix titled "Append `command`" that ends `run` with `&& command` (see
/// [`append_to_chain`]). `None` when the RUN is not one plain `&&` chain.
pub(crate) fn append_fix(source: &str, df: &Dockerfile, run: &Run, command: &str) -> Option<Fix> {
    let edit = append_to_chain(source, df, run, command)?;
    Some(Fix::safe(format!("Append `{command}`"), vec![edit]))
}

/// An edit that appends `&& <command>` to `run`, so that it runs last, copying the chain's own
/// line-continuation style. `None` unless the RUN is in shell form, without heredocs, and all its
/// commands are one `&&` chain (no `;`, `||`, `&`, compound commands or `sh -c`).
fn append_to_chain(source: &str, df: &Dockerfile, run: &Run, command: &str) -> Option<Edit> {
    let ins = run_instruction(df, run);
    if ins.keyword != Keyword::Run || !ins.heredocs.is_empty() || run.script.error.is_some() {
        return None;
    }
    let text = ins.shell_text()?;
    let pipelines = &run.script.pipelines;
    let first = pipelines.first()?;
    let last = pipelines.last()?;
    if pipelines
        .iter()
        .flat_map(|p| p.commands.iter())
        .any(|c| c.via_shell_c.is_some())
    {
        return None;
    }
    let escape = if text.escape == '`' { '`' } else { '\\' };
    let lead = slice(source, text.range.start, first.range.start)?;
    let tail = slice(source, last.range.end, text.range.end)?;
    if !lead.trim().is_empty() || !tail.trim().is_empty() {
        return None;
    }
    let mut last_gap = None;
    for pair in pipelines.windows(2) {
        let gap = slice(source, pair[0].range.end, pair[1].range.start)?;
        if joiner(gap, escape) != "&&" {
            return None;
        }
        last_gap = Some(gap);
    }
    let insert = match last_gap {
        Some(gap) if gap.contains('\n') && !gap.contains('#') => format!("{gap}{command}"),
        _ => format!(" && {command}"),
    };
    Some(Edit::insert(last.range.end, insert))
}

fn slice(source: &str, start: u32, end: u32) -> Option<&str> {
    (start <= end).then(|| TextRange::new(start, end).slice(source))
}

/// The operator between two pipelines: the gap without line continuations, comment lines and blanks.
fn joiner(gap: &str, escape: char) -> String {
    let mut out = String::new();
    for (i, line) in gap.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        if i > 0 && line.trim_start().starts_with('#') {
            continue;
        }
        let body = line.trim_end();
        let body = body.strip_suffix(escape).unwrap_or(body);
        out.extend(body.chars().filter(|c| !c.is_whitespace()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(v: &str) -> Word {
        Word {
            value: v.to_string(),
            raw: v.to_string(),
            range: TextRange::empty(0),
            literal: !v.contains('$'),
        }
    }

    #[test]
    fn clears() {
        let d = "/var/lib/apt/lists";
        assert!(path_clears(&word("/var/lib/apt/lists/*"), d));
        assert!(path_clears(&word("/var/lib/apt/lists"), d));
        assert!(path_clears(&word("/var/lib/apt/lists/"), d));
        assert!(path_clears(&word("/var/lib/apt/*"), d));
        assert!(path_clears(&word("$LISTS"), d));
        assert!(!path_clears(&word("/tmp/*"), d));
        assert!(!path_clears(&word("/tmp/$X"), d));
        assert!(!path_clears(&word("/var/lib/apt/lists/partial"), d));
        assert!(!path_clears(&word("/*"), d));
        assert!(!path_clears(&word("/var/cache/apt/*"), d));
    }

    #[test]
    fn joiners() {
        assert_eq!(joiner(" \\\n    && ", '\\'), "&&");
        assert_eq!(joiner(" && \\\n    ", '\\'), "&&");
        assert_eq!(joiner(" && \\\n  # note\n    ", '\\'), "&&");
        assert_eq!(joiner("; ", '\\'), ";");
        assert_eq!(joiner(" || ", '\\'), "||");
    }
}
