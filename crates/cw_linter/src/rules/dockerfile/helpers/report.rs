//! Findings on the tool calls of a RUN: on the tool and subcommand words, or on the package words
//! an install leaves unpinned.

use cw_model::dockerfile::{Dockerfile, Run};
use cw_syntax::shell::Word;

use super::cli::{Call, call_range};
use super::layers::run_resource;
use crate::ctx::{Finding, RuleCtx};

/// Reports `message` on the tool and subcommand words of `call` (`apt-get install`, see
/// [`call_range`]), a call in `run`, with the RUN as the finding's resource.
pub(crate) fn report_call<'c>(
    ctx: &'c mut RuleCtx<'_>,
    df: &Dockerfile,
    run: &Run,
    call: &Call<'_>,
    message: impl Into<String>,
) -> &'c mut Finding {
    ctx.report(call_range(call), message)
        .resource(run_resource(df, run))
}

/// Reports the package words of `call` that name no version (`unpinned`, in order): one finding on
/// the first word that lists every package by `name`, and an "also unpinned" label on each of the
/// others. `None` when `unpinned` is empty. The caller adds the help, which differs per tool.
pub(crate) fn report_unpinned<'c>(
    ctx: &'c mut RuleCtx<'_>,
    df: &Dockerfile,
    run: &Run,
    call: &Call<'_>,
    unpinned: &[&Word],
    name: impl Fn(&Word) -> &str,
) -> Option<&'c mut Finding> {
    let (first, rest) = unpinned.split_first()?;
    let names: Vec<&str> = unpinned.iter().map(|w| name(w)).collect();
    let message = if names.len() == 1 {
        format!(
            "`{}` installs `{}` without a version",
            call.display(),
            names[0]
        )
    } else {
        format!(
            "`{}` installs {} packages without a version: {}",
            call.display(),
            names.len(),
            quoted_list(&names)
        )
    };
    let finding = ctx
        .report(first.range, message)
        .resource(run_resource(df, run));
    for w in rest {
        finding.label(w.range, "also unpinned");
    }
    Some(finding)
}

/// Names as a list for a message: `` `a` ``, `` `a` and `b` ``, `` `a`, `b`, `c` and 4 more ``.
fn quoted_list(names: &[&str]) -> String {
    const SHOWN: usize = 5;
    let quoted: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    match names.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n if n <= SHOWN => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
        n => format!("{} and {} more", quoted.join(", "), n - SHOWN),
    }
}
