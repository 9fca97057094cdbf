use cw_syntax::shell::SimpleCommand;

use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Tool, call};
use crate::rules::dockerfile::helpers::layers::{
    add_option_fix, deleted_paths, mounted_over, path_clears, shipped_runs,
};
use crate::rules::dockerfile::helpers::report::report_call;

declare_rule! {
    /// ## What it does
    /// Flags `apk add` without `--no-cache`, and `apk update`, when the package index they download into
    /// `/var/cache/apk` stays in the layer.
    ///
    /// Not reported when a `--mount` (cache or tmpfs) covers `/var/cache/apk`, when the same RUN deletes
    /// `/var/cache/apk/*` afterwards, or in build-only stages (used only through `COPY --from` /
    /// `RUN --mount=from=`), whose layers never ship.
    ///
    /// ## Why is this bad?
    /// apk stores the repository index (`APKINDEX.*.tar.gz`, a few megabytes per repository) in
    /// `/var/cache/apk`. Nothing needs it at run time. `apk add --no-cache` fetches a fresh index,
    /// installs, and keeps nothing, which also makes a separate `apk update` unnecessary.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk update && apk add curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe, for `apk add`: the fix inserts `--no-cache` after `add`. apk then reads a fresh index
    /// instead of the cached one and installs the same packages. `apk update` gets no fix: drop it and
    /// use `apk add --no-cache`.
    ///
    /// ## References
    /// - https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Local_Cache
    /// - https://docs.docker.com/build/cache/optimize/#use-cache-mounts
    /// - https://github.com/hadolint/hadolint/wiki/DL3019
    pub struct ApkWithoutNoCache {
        code: "DKR021",
        name: "apk-without-no-cache",
        category: Efficiency,
        severity: Info,
        fix: Sometimes,
        peers: [
            Hadolint("DL3019"),
            Trivy("DS025")
        ],
    }
}

const CACHE: &str = "/var/cache/apk";

impl Rule for ApkWithoutNoCache {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for run in shipped_runs(df) {
            if mounted_over(run, CACHE) || mounted_over(run, "/etc/apk/cache") {
                continue;
            }
            let cmds: Vec<&SimpleCommand> = run.script.commands().collect();
            for (i, cmd) in cmds.iter().enumerate() {
                let Some(call) = call(cmd) else {
                    continue;
                };
                if call.tool != Tool::Apk || call.line.dynamic {
                    continue;
                }
                let Some(sub) = call.sub.filter(|_| call.sub_is(&["add", "update"])) else {
                    continue;
                };
                if call.line.has(None, &["no-cache"]) {
                    continue;
                }
                let cleared = cmds[i + 1..].iter().any(|c| {
                    deleted_paths(c).into_iter().any(|w| path_clears(w, CACHE)) || !c.name.literal
                });
                if cleared {
                    continue;
                }
                if sub.value == "update" {
                    let message =
                        format!("`apk update` leaves the package index (`{CACHE}`) in this layer");
                    report_call(ctx, df, run, &call, message)
                        .help("drop `apk update` and install with `apk add --no-cache`");
                    continue;
                }
                let message = format!(
                    "`apk add` without `--no-cache` leaves the package index (`{CACHE}`) in this layer"
                );
                report_call(ctx, df, run, &call, message)
                    .help("add `--no-cache`, or mount a cache on `/var/cache/apk`")
                    .fix(add_option_fix(
                        df,
                        run,
                        &call,
                        sub,
                        "--no-cache",
                        Applicability::Safe,
                    ));
            }
        }
    }
}
