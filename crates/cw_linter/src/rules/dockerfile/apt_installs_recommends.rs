use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Call, run_calls};
use crate::rules::dockerfile::helpers::layers::{
    APT_CONFIG, add_option_fix, config_written, shipped_runs,
};
use crate::rules::dockerfile::helpers::report::report_call;

declare_rule! {
    /// ## What it does
    /// Flags `apt-get install` / `apt install` commands that install packages without
    /// `--no-install-recommends`.
    ///
    /// Not reported when the command decides itself (`-o APT::Install-Recommends=...`,
    /// `--install-recommends`), when apt's configuration (`/etc/apt/apt.conf`, `/etc/apt/apt.conf.d`) was
    /// written by an earlier COPY, ADD or RUN of the stage (it may turn recommends off), when options come
    /// from a variable, or in build-only stages (used only through `COPY --from` / `RUN --mount=from=`),
    /// whose packages never ship.
    ///
    /// ## Why is this bad?
    /// By default apt also installs every package the requested ones merely *recommend*: documentation,
    /// optional tools, sometimes whole language runtimes. They grow the image, lengthen the build and
    /// add to the CVE count without anyone asking for them.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN apt-get update \
    ///     && apt-get install -y --no-install-recommends ca-certificates curl \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix inserts `--no-install-recommends` after `install`, so recommended packages are
    /// no longer installed. Some images rely on one without naming it: `curl` and `wget` only
    /// *recommend* `ca-certificates`, without which HTTPS downloads fail. Review the fixed command and
    /// add such packages explicitly.
    ///
    /// ## References
    /// - https://docs.docker.com/build/building/best-practices/#apt-get
    /// - https://manpages.debian.org/bookworm/apt/apt.conf.5.en.html
    /// - https://github.com/hadolint/hadolint/wiki/DL3015
    pub struct AptInstallsRecommends {
        code: "DKR019",
        name: "apt-installs-recommends",
        category: Efficiency,
        severity: Info,
        fix: Always,
        peers: [
            Hadolint("DL3015"),
            Trivy("DS029")
        ],
    }
}

impl Rule for AptInstallsRecommends {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (run, call) in run_calls(shipped_runs(df)) {
            if !call.tool.is_apt() || call.operands().is_empty() {
                continue;
            }
            let Some(sub) = call.sub.filter(|_| call.sub_is(&["install"])) else {
                continue;
            };
            if chooses_recommends(&call) || config_written(df, run, APT_CONFIG) {
                continue;
            }
            let message = format!(
                "`{}` also installs every package the requested ones recommend",
                call.display()
            );
            report_call(ctx, df, run, &call, message)
                .help("add `--no-install-recommends` and name the packages you need")
                .fix(add_option_fix(
                    df,
                    run,
                    &call,
                    sub,
                    "--no-install-recommends",
                    Applicability::Unsafe,
                ));
        }
    }
}

/// The command decides about recommends itself, or its options are not known.
fn chooses_recommends(call: &Call<'_>) -> bool {
    call.line.dynamic
        || call
            .line
            .has(None, &["no-install-recommends", "install-recommends"])
        || call.line.values(Some('o'), &["option"]).iter().any(|v| {
            v.to_ascii_lowercase()
                .starts_with("apt::install-recommends")
        })
}
