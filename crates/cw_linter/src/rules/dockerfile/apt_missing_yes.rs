use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Call, calls_with_yes};
use crate::rules::dockerfile::helpers::layers::{APT_CONFIG, add_option_fix, config_written};
use crate::rules::dockerfile::helpers::report::report_call;

declare_rule! {
    /// ## What it does
    /// Flags `apt-get` / `apt` commands that may stop at a confirmation prompt (`install`, `reinstall`,
    /// `remove`, `purge`, `autoremove`, `upgrade`, `dist-upgrade`, `full-upgrade`, `build-dep`) without `-y`.
    ///
    /// Accepted instead of `-y`: `--yes`, `--assume-yes`, combined flags (`-qy`), `-qq` and `-q=2` (which
    /// imply `-y`), `-o APT::Get::Assume-Yes=true`, simulation (`-s`), and input piped from `yes`. Not
    /// reported when apt's configuration (`/etc/apt/apt.conf`, `/etc/apt/apt.conf.d`) was written by an
    /// earlier COPY, ADD or RUN of the stage (it may set `APT::Get::Assume-Yes`), or when options come from
    /// a variable. `DEBIAN_FRONTEND=noninteractive` does not answer this prompt and does not count.
    ///
    /// ## Why is this bad?
    /// Whenever apt has to install or remove more than the named packages, it asks
    /// "Do you want to continue? [Y/n]". A build has no terminal: apt reads end of input, answers no
    /// and aborts, so the build fails, or worse, passes today and fails on the day a dependency is
    /// added.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN apt-get update && apt-get install --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix inserts `-y` after the subcommand. Without it the command can only succeed when
    /// apt asks nothing, and `-y` does not confirm anything dangerous (held or essential packages, and
    /// unauthenticated ones, still need their own options).
    ///
    /// ## References
    /// - https://manpages.debian.org/bookworm/apt/apt-get.8.en.html
    /// - https://docs.docker.com/build/building/best-practices/#apt-get
    /// - https://github.com/hadolint/hadolint/wiki/DL3014
    pub struct AptMissingYes {
        code: "DKR020",
        name: "apt-missing-yes",
        category: Reliability,
        severity: Warning,
        fix: Always,
        peers: [
            Hadolint("DL3014"),
            Trivy("DS021")
        ],
    }
}

/// apt subcommands that can stop at a confirmation prompt.
const PROMPTS: &[&str] = &[
    "install",
    "reinstall",
    "remove",
    "purge",
    "autoremove",
    "auto-remove",
    "autopurge",
    "upgrade",
    "dist-upgrade",
    "full-upgrade",
    "build-dep",
    "satisfy",
];

impl Rule for AptMissingYes {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for run in &df.runs {
            for (call, fed_by_yes) in calls_with_yes(&run.script) {
                if !call.tool.is_apt() {
                    continue;
                }
                let Some(sub) = call.sub.filter(|_| call.sub_is(PROMPTS)) else {
                    continue;
                };
                if fed_by_yes || answers_itself(&call) || config_written(df, run, APT_CONFIG) {
                    continue;
                }
                let message = format!(
                    "`{}` without `-y` stops at a confirmation prompt and aborts the build",
                    call.display()
                );
                report_call(ctx, df, run, &call, message)
                    .help("add `-y` so apt does not wait for an answer")
                    .fix(add_option_fix(
                        df,
                        run,
                        &call,
                        sub,
                        "-y",
                        Applicability::Safe,
                    ));
            }
        }
    }
}

/// `-y`, `--yes`, `--assume-yes`, `-qq`, `-q=2`, `--quiet=2`, `-o APT::Get::Assume-Yes=true`,
/// simulation, or options from a variable.
fn answers_itself(call: &Call<'_>) -> bool {
    let line = &call.line;
    let quiet_level = line
        .values(Some('q'), &["quiet"])
        .iter()
        .filter_map(|v| v.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    line.dynamic
        || line.has(
            Some('y'),
            &["yes", "assume-yes", "assume-no", "trivial-only"],
        )
        || line.count_short('q') >= 2
        || quiet_level >= 2
        || line.has(
            Some('s'),
            &["simulate", "just-print", "dry-run", "recon", "no-act"],
        )
        || line.values(Some('o'), &["option"]).iter().any(|v| {
            let v = v.to_ascii_lowercase();
            v.starts_with("apt::get::assume-yes=") && !v.ends_with("=false") && !v.ends_with("=0")
        })
}
