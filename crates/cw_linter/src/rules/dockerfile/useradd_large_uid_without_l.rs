use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Tool, run_calls};
use crate::rules::dockerfile::helpers::layers::{
    add_option_fix, resolve_variable, run_resource, shipped_runs,
};

declare_rule! {
    /// ## What it does
    /// Flags `useradd` with a UID of 100000 or more and without `-l` (`--no-log-init`).
    ///
    /// A UID given as a variable is judged through its ENV value or ARG default (`ARG APP_UID=1000100000`,
    /// then `useradd -u ${APP_UID}`); an unknown value is not reported, nor are options from a variable or
    /// build-only stages (used only through `COPY --from` / `RUN --mount=from=`).
    ///
    /// ## Why is this bad?
    /// `useradd` records the new user in `/var/log/lastlog` and `/var/log/faillog`, files indexed by
    /// UID. On disk they are sparse, but image layers store them in full: about 300 bytes per UID
    /// below the new one, so UID 100000 adds some 30 MB and the UIDs OpenShift assigns (around
    /// 1000000000) produce layers of hundreds of gigabytes that fill the build host.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN useradd -u 1000100000 -m app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN useradd -l -u 1000100000 -m app
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix inserts `-l` after `useradd`. The user is created identically; only its empty
    /// lastlog and faillog records are not written.
    ///
    /// ## References
    /// - https://man7.org/linux/man-pages/man8/useradd.8.html
    /// - https://github.com/moby/moby/issues/5419
    /// - https://github.com/hadolint/hadolint/wiki/DL3046
    pub struct UseraddLargeUidWithoutL {
        code: "DKR051",
        name: "useradd-large-uid-without-l",
        category: Efficiency,
        severity: Info,
        fix: Always,
        peers: [
            Hadolint("DL3046")
        ],
    }
}

/// From this UID on (six digits) the lastlog/faillog files reach tens of megabytes.
const LARGE_UID: u64 = 100_000;

/// Bytes per UID in lastlog (292) and faillog (32) on 64-bit Linux.
const BYTES_PER_UID: u64 = 292 + 32;

impl Rule for UseraddLargeUidWithoutL {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (run, call) in run_calls(shipped_runs(df)) {
            if call.tool != Tool::Useradd || call.line.has(Some('l'), &["no-log-init"]) {
                continue;
            }
            // A variable may stand for options (`-l` among them); the login name at the end
            // (`useradd -u 100000 "$USER"`) cannot.
            let login = call.cmd.args.last();
            let dynamic = call
                .operands()
                .iter()
                .any(|w| !w.literal && login.is_none_or(|l| !std::ptr::eq(*w, l)));
            if dynamic {
                continue;
            }
            let Some(opt) = call.line.find(Some('u'), &["uid"]) else {
                continue;
            };
            let (Some(value), Some(value_word)) = (opt.value, opt.value_word) else {
                continue;
            };
            let resolved = if value_word.literal {
                Some(value.to_string())
            } else if std::ptr::eq(value_word, opt.word) {
                None
            } else {
                resolve_variable(df, run, value_word)
            };
            let Some(uid) = resolved.and_then(|v| v.parse::<u64>().ok()) else {
                continue;
            };
            if uid < LARGE_UID {
                continue;
            }
            let size = human_size(uid.saturating_mul(BYTES_PER_UID));
            ctx.report(
                value_word.range,
                format!(
                    "`useradd` creates UID {uid} without `-l`: lastlog and faillog add about {size} to the layer"
                ),
            )
            .help("add `-l` (`--no-log-init`) so useradd skips the lastlog and faillog records")
            .resource(run_resource(df, run))
            .fix(add_option_fix(
                df,
                run,
                &call,
                call.tool_word,
                "-l",
                Applicability::Safe,
            ));
        }
    }
}

/// `31 MB`, `324 GB`.
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    let mut value = bytes / 1000;
    let mut unit = 0;
    while value >= 1000 && unit + 1 < UNITS.len() {
        value /= 1000;
        unit += 1;
    }
    format!("{value} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes() {
        assert_eq!(human_size(100_000 * 324), "32 MB");
        assert_eq!(human_size(1_000_100_000 * 324), "324 GB");
    }
}
