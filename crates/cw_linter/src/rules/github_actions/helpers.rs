//! Shared pieces of the GitHub Actions rules: edits that add keys to block mappings, and common
//! facts about triggers, guards and checkouts.

use cw_diagnostics::{Edit, TextRange};
use cw_model::github_actions::{
    ActionsFile, BinOp, Expr, PRIVILEGED_TRIGGERS, Step, Trigger, Workflow, expr,
    expressions_within,
};
use cw_syntax::yaml::Node;

/// The line-start offset and the column of `offset` when only spaces precede it on its line (a
/// key of a block mapping); for a key after `- `, the column counts the dash as indentation.
fn column_of(source: &str, offset: usize) -> Option<(usize, usize)> {
    let line_start = source.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let before = &source[line_start..offset];
    let ok = before
        .bytes()
        .enumerate()
        .all(|(i, b)| b == b' ' || (b == b'-' && before[i + 1..].starts_with(' ')));
    ok.then_some((line_start, offset - line_start))
}

/// The offset of the end of the line holding `offset` (before `\r\n` or `\n`).
fn line_end(source: &str, offset: usize) -> usize {
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    if end > offset && source.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// A block mapping written in the source (not a flow mapping, not an alias copy), with a first key.
fn is_block_mapping(node: &Node, source: &str) -> bool {
    node.alias.is_none()
        && node.is_map()
        && !node.entries().is_empty()
        && source.as_bytes().get(node.range.start as usize) != Some(&b'{')
        && node.entries().iter().all(|e| e.key.alias.is_none())
}

/// The indentation one level below the mapping `node`, as the file writes it: the column of the
/// first key of a nested block mapping, else two spaces more than `node`'s keys.
fn nested_indent(node: &Node, source: &str, column: usize) -> usize {
    node.entries()
        .iter()
        .filter(|e| is_block_mapping(&e.value, source) || e.value.is_seq())
        .find_map(|e| {
            let first = e
                .value
                .entries()
                .first()
                .map(|f| f.key.range.start)
                .or_else(|| e.value.items().first().map(|i| i.range.start))?;
            let (_, c) = column_of(source, first as usize)?;
            (c > column).then_some(c - column)
        })
        .unwrap_or(2)
}

/// An edit that adds `key: value` as the last entry of the block mapping `map`, at the indentation
/// of its keys. `None` when the mapping is not a plain block mapping.
pub(crate) fn append_entry(map: &Node, source: &str, key: &str, value: &str) -> Option<Edit> {
    if !is_block_mapping(map, source) {
        return None;
    }
    let first = map.entries().first()?;
    let (_, column) = column_of(source, first.key.range.start as usize)?;
    let last = map.entries().last()?;
    let end = line_end(
        source,
        last.value.range.end.max(last.key.range.end) as usize,
    );
    Some(Edit::insert(
        end as u32,
        format!("\n{}{key}: {value}", " ".repeat(column)),
    ))
}

/// An edit that adds `key:` with the entry `inner_key: value` under it to the block mapping `map`
/// (after its last entry), or adds the entry to `map.key` when that is already a block mapping.
/// `None` when `map.key` exists in another form, or the mapping is not a plain block mapping.
pub(crate) fn add_nested_entry(
    map: &Node,
    source: &str,
    key: &str,
    inner_key: &str,
    value: &str,
) -> Option<Edit> {
    if let Some(existing) = map.get(key) {
        return append_entry(existing, source, inner_key, value);
    }
    if !is_block_mapping(map, source) {
        return None;
    }
    let first = map.entries().first()?;
    let (_, column) = column_of(source, first.key.range.start as usize)?;
    let step = nested_indent(map, source, column);
    let last = map.entries().last()?;
    let end = line_end(
        source,
        last.value.range.end.max(last.key.range.end) as usize,
    );
    let indent = " ".repeat(column);
    let inner = " ".repeat(column + step);
    Some(Edit::insert(
        end as u32,
        format!("\n{indent}{key}:\n{inner}{inner_key}: {value}"),
    ))
}

/// An edit that adds `key: value` as the first entry of the block mapping `map` whose own key is
/// `owner` (on an earlier line), at the indentation of its keys.
pub(crate) fn prepend_entry(
    map: &Node,
    owner: &Node,
    source: &str,
    key: &str,
    value: &str,
) -> Option<Edit> {
    if !is_block_mapping(map, source) || owner.alias.is_some() {
        return None;
    }
    let first = map.entries().first()?;
    let at = first.key.range.start as usize;
    let (line_start, column) = column_of(source, at)?;
    if !source[line_start..at].bytes().all(|b| b == b' ')
        || owner.range.start as usize >= line_start
    {
        return None;
    }
    Some(Edit::insert(
        line_start as u32,
        format!("{}{key}: {value}\n", " ".repeat(column)),
    ))
}

/// Events whose runs see code or text from forks: pull requests and the runs they start.
pub(crate) const FORK_PR_TRIGGERS: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
];

/// Whether `condition` (an `if:`) lets the job or step run only for pull requests from the
/// repository itself: `github.event.pull_request.head.repo.full_name == github.repository`,
/// `!github.event.pull_request.head.repo.fork`, `...head.repo.fork == false`, or the `workflow_run`
/// equivalent, as a term of an `&&`, or on every side of an `||` (where
/// `github.event_name == 'push'` also counts: pull requests never take that branch).
pub(crate) fn is_same_repository_guard(condition: &Node) -> bool {
    condition
        .as_str()
        .and_then(expr::parse_condition)
        .is_some_and(|e| guards(&e))
}

fn guards(e: &Expr) -> bool {
    let head_repo = |e: &Expr| {
        e.as_context().is_some_and(|c| {
            c.matches("github.event.pull_request.head.repo.full_name")
                || c.matches("github.event.workflow_run.head_repository.full_name")
                || c.matches("github.event.workflow_run.head_repository.fork")
        })
    };
    let is_fork = |e: &Expr| {
        e.as_context().is_some_and(|c| {
            c.matches("github.event.pull_request.head.repo.fork")
                || c.matches("github.event.workflow_run.head_repository.fork")
        })
    };
    let repository = |e: &Expr| {
        e.as_context()
            .is_some_and(|c| c.matches("github.repository"))
    };
    // `github.event_name == 'push'`: a branch that pull requests never take.
    let other_event = |l: &Expr, r: &Expr| {
        l.as_context()
            .is_some_and(|c| c.matches("github.event_name"))
            && matches!(r, Expr::String(s) if !FORK_PR_TRIGGERS.contains(&s.as_str()))
    };
    match e {
        Expr::Binary(BinOp::And, l, r) => guards(l) || guards(r),
        Expr::Binary(BinOp::Or, l, r) => guards(l) && guards(r),
        Expr::Binary(BinOp::Eq, l, r) => {
            other_event(l, r)
                || other_event(r, l)
                || (head_repo(l) && repository(r))
                || (repository(l) && head_repo(r))
                || (is_fork(l) && **r == Expr::Bool(false))
                || (**l == Expr::Bool(false) && is_fork(r))
        }
        Expr::Binary(BinOp::Ne, l, r) => {
            (is_fork(l) && **r == Expr::Bool(true)) || (**l == Expr::Bool(true) && is_fork(r))
        }
        Expr::Not(inner) => is_fork(inner),
        _ => false,
    }
}

/// Contexts that name the head of a pull request, or the commit a `workflow_run` ran on.
const PR_HEAD_CONTEXTS: &[&str] = &[
    "github.head_ref",
    "github.event.pull_request.head.sha",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.repo.full_name",
    "github.event.pull_request.merge_commit_sha",
    "github.event.workflow_run.head_sha",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.head_repository.full_name",
    "github.event.workflow_run.pull_requests.*.head.sha",
    "github.event.workflow_run.pull_requests.*.head.ref",
];

/// Contexts that give a pull request's number (used as `refs/pull/<n>/merge`).
const PR_NUMBER_CONTEXTS: &[&str] = &[
    "github.event.pull_request.number",
    "github.event.number",
    "github.event.workflow_run.pull_requests.*.number",
];

/// Whether a `ref:`/`repository:` value of `actions/checkout` names the pull request's code.
fn names_pr_head(file: &ActionsFile, node: &Node) -> bool {
    let text = node.as_str().unwrap_or("");
    file.expressions(node).iter().any(|e| {
        e.flowing_contexts().iter().any(|c| {
            PR_HEAD_CONTEXTS.iter().any(|p| c.matches(p))
                || (text.contains("refs/pull/") && PR_NUMBER_CONTEXTS.iter().any(|p| c.matches(p)))
        })
    })
}

/// The first privileged event (`pull_request_target`, `workflow_run`) the workflow runs on.
pub(crate) fn privileged_trigger<'a>(workflow: &Workflow<'a>) -> Option<Trigger<'a>> {
    workflow.on()?.any_of(PRIVILEGED_TRIGGERS).cloned()
}

/// Where a step checks out the pull request's code, and what names it.
pub(crate) fn head_checkout(file: &ActionsFile, step: &Step<'_>) -> Option<(TextRange, String)> {
    if step.uses_action("actions/checkout") {
        for input in ["ref", "repository"] {
            if let Some(node) = step.input(input)
                && names_pr_head(file, node)
            {
                let text = node.as_str().unwrap_or("").trim().to_string();
                return Some((node.site_range(), text));
            }
        }
        return None;
    }
    let run = step.run()?;
    let script = file.run_script(step)?;
    let expressions = file.expressions(run);
    script.script.commands().find_map(|c| {
        let args: Vec<&str> = c.arg_values().collect();
        let found = match c.program() {
            "gh" => args.len() >= 2 && args[0] == "pr" && args[1] == "checkout",
            "git" => {
                matches!(
                    args.first().copied(),
                    Some("fetch" | "checkout" | "pull" | "switch")
                ) && c.args.iter().any(|w| {
                    w.raw.contains("pull/")
                        || expressions_within(expressions, w.range).any(|e| {
                            e.flowing_contexts().iter().any(|ctx| {
                                ctx.matches("github.head_ref")
                                    || ctx.starts_with("github.event.pull_request.head")
                                    || ctx.starts_with("github.event.workflow_run.head_branch")
                                    || ctx.starts_with("github.event.workflow_run.head_sha")
                            })
                        })
                })
            }
            _ => false,
        };
        found.then(|| {
            (
                script.file_range(c.range),
                run.as_str()
                    .and_then(|t| t.get(c.range.as_usize()))
                    .unwrap_or("")
                    .to_string(),
            )
        })
    })
}
