use cw_model::dockerfile::{Dockerfile, Run};
use cw_syntax::shell::SimpleCommand;

use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{basename, call};
use crate::rules::dockerfile::helpers::layers::{
    append_fix, deleted_paths, mounted_over, path_clears, shipped_runs,
};
use crate::rules::dockerfile::helpers::report::report_call;

declare_rule! {
    /// ## What it does
    /// Flags a RUN that runs `apt-get update` (or `apt update`) without deleting the package lists in
    /// `/var/lib/apt/lists` later in the same RUN.
    ///
    /// Not reported when a `--mount` (cache or tmpfs) covers `/var/lib/apt/lists`, when the RUN deletes
    /// the lists after the update (`rm -rf /var/lib/apt/lists/*`, `apt-get distclean`), or in stages whose
    /// layers never ship: only the final stage, the stages it is built `FROM` and the stages nothing refers
    /// to (likely `--target` builds) are checked; a stage used only through `COPY --from` or
    /// `RUN --mount=from=` is build-only.
    ///
    /// ## Why is this bad?
    /// `apt-get update` downloads the package indexes of every configured repository, tens of
    /// megabytes that nothing needs at run time. Layers are additive: deleting the lists in a later
    /// RUN hides them but does not shrink the image, so they must go in the RUN that created them.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Or keep the lists in a BuildKit cache mount:
    /// ```dockerfile
    /// RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    ///     --mount=type=cache,target=/var/cache/apt,sharing=locked \
    ///     apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe, and offered only when it cannot break the build: the RUN is one `&&` chain in shell form
    /// (no `;`, `||`, heredoc or `sh -c`), it installs with apt after the update, and no later RUN
    /// uses apt without running `apt-get update` itself (it would find no lists). The fix appends
    /// `rm -rf /var/lib/apt/lists/*` to the end of the chain, in the chain's own line-continuation
    /// style.
    ///
    /// ## References
    /// - https://docs.docker.com/build/building/best-practices/#apt-get
    /// - https://docs.docker.com/build/cache/optimize/#use-cache-mounts
    /// - https://github.com/hadolint/hadolint/wiki/DL3009
    pub struct AptListsNotRemoved {
        code: "DKR018",
        name: "apt-lists-not-removed",
        category: Efficiency,
        severity: Info,
        fix: Sometimes,
        peers: [
            Hadolint("DL3009"),
            Kics("Apt Get Install Lists Were Not Deleted")
        ],
    }
}

const LISTS: &str = "/var/lib/apt/lists";

/// apt subcommands that read the package lists.
const READS_LISTS: &[&str] = &[
    "install",
    "reinstall",
    "upgrade",
    "dist-upgrade",
    "full-upgrade",
    "build-dep",
    "source",
    "download",
    "satisfy",
];

impl Rule for AptListsNotRemoved {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for run in shipped_runs(df) {
            if mounted_over(run, LISTS) {
                continue;
            }
            let cmds: Vec<&SimpleCommand> = run.script.commands().collect();
            let Some(update_at) = cmds.iter().rposition(|c| is_apt(c, &["update"])) else {
                continue;
            };
            let after = &cmds[update_at + 1..];
            if after.iter().any(|c| clears_lists(c) || !c.name.literal) {
                continue;
            }
            let Some(update) = call(cmds[update_at]) else {
                continue;
            };
            let installs = after.iter().any(|c| is_apt(c, READS_LISTS));
            let fix = (installs && !later_run_reads_lists(df, run))
                .then(|| append_fix(ctx.source(), df, run, &format!("rm -rf {LISTS}/*")))
                .flatten();
            let message = format!(
                "`{}` leaves the package lists (`{LISTS}`) in this layer",
                update.display()
            );
            let finding = report_call(ctx, df, run, &update, message).help(format!(
                "end this RUN with `&& rm -rf {LISTS}/*`, or mount a cache on `{LISTS}`"
            ));
            if let Some(fix) = fix {
                finding.fix(fix);
            }
        }
    }
}

/// An apt-get/apt call with one of the subcommands `subs`.
fn is_apt(cmd: &SimpleCommand, subs: &[&str]) -> bool {
    call(cmd).is_some_and(|c| c.tool.is_apt() && c.sub_is(subs))
}

/// `rm -rf /var/lib/apt/lists/*` (or a parent directory), `apt-get distclean`.
fn clears_lists(cmd: &SimpleCommand) -> bool {
    is_apt(cmd, &["distclean", "dist-clean"])
        || deleted_paths(cmd)
            .into_iter()
            .any(|w| path_clears(w, LISTS))
}

/// A RUN after `run` that reads the package lists without its own `apt-get update` first: removing
/// the lists in `run` would break it.
fn later_run_reads_lists(df: &Dockerfile, run: &Run) -> bool {
    df.runs
        .iter()
        .filter(|r| r.instruction > run.instruction)
        .any(|r| {
            for c in r.script.commands() {
                if is_apt(c, &["update"]) {
                    return false;
                }
                if is_apt(c, READS_LISTS) || (c.name.literal && basename(&c.name) == "apt-cache") {
                    return true;
                }
            }
            false
        })
}
