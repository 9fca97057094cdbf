use cw_model::dockerfile::Run;
use cw_syntax::shell::SimpleCommand;

use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Call, Tool, call};
use crate::rules::dockerfile::helpers::layers::{
    append_fix, deleted_paths, mounted_over, path_clears, shipped_runs,
};
use crate::rules::dockerfile::helpers::report::report_call;

declare_rule! {
    /// ## What it does
    /// Flags a RUN that installs or upgrades packages with `yum`, `dnf`, `microdnf` or `zypper` without
    /// cleaning their cache later in the same RUN.
    ///
    /// Cleaning means `yum` / `dnf` / `microdnf clean all` (or `clean metadata`), `zypper clean`
    /// (`zypper cc`), or deleting the cache directory (`/var/cache/yum`, `/var/cache/dnf`,
    /// `/var/cache/libdnf5`, `/var/cache/zypp`). Not reported when a `--mount` (cache or tmpfs) covers the
    /// cache directory, or in build-only stages (used only through `COPY --from` / `RUN --mount=from=`).
    ///
    /// ## Why is this bad?
    /// These package managers keep the repository metadata (often 100 MB and more for the EPEL or
    /// AppStream repositories) and sometimes the downloaded packages in `/var/cache`. Nothing needs
    /// them at run time, and because layers are additive, only a clean in the same RUN keeps them out
    /// of the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix appends `&& <tool> clean all` (`zypper clean --all`) to the end of the RUN. It is
    /// offered only when the RUN is one `&&` chain in shell form (no `;`, `||`, heredoc or `sh -c`).
    /// Later installs download fresh metadata on their own, so nothing else changes.
    ///
    /// ## References
    /// - https://dnf.readthedocs.io/en/latest/command_ref.html#clean-command-label
    /// - https://docs.docker.com/build/cache/optimize/#use-cache-mounts
    /// - https://github.com/hadolint/hadolint/wiki/DL3032
    /// - https://github.com/hadolint/hadolint/wiki/DL3040
    /// - https://github.com/hadolint/hadolint/wiki/DL3036
    pub struct RpmCacheNotCleaned {
        code: "DKR023",
        name: "rpm-cache-not-cleaned",
        category: Efficiency,
        severity: Info,
        fix: Sometimes,
        peers: [
            Hadolint("DL3032"),
            Hadolint("DL3040"),
            Hadolint("DL3036"),
            Trivy("DS015"),
            Trivy("DS019"),
            Trivy("DS020"),
            Trivy("DS027")
        ],
    }
}

/// Subcommands that download repository metadata (and packages).
const FETCHES: &[&str] = &[
    "install",
    "in",
    "reinstall",
    "rei",
    "localinstall",
    "groupinstall",
    "group",
    "groups",
    "module",
    "update",
    "up",
    "upgrade",
    "upgrade-minimal",
    "distro-sync",
    "dist-upgrade",
    "dup",
    "patch",
    "builddep",
    "source-install",
    "si",
    "makecache",
    "swap",
];

const YUM_CACHES: &[&str] = &["/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"];
const ZYPPER_CACHES: &[&str] = &["/var/cache/zypp"];

impl Rule for RpmCacheNotCleaned {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for run in shipped_runs(df) {
            let cmds: Vec<&SimpleCommand> = run.script.commands().collect();
            for zypper in [false, true] {
                let caches = if zypper { ZYPPER_CACHES } else { YUM_CACHES };
                if caches.iter().any(|c| mounted_over(run, c)) {
                    continue;
                }
                let Some((at, fetch)) = last_fetch(&cmds, zypper) else {
                    continue;
                };
                if cmds[at + 1..]
                    .iter()
                    .any(|c| cleans(c, zypper, caches) || !c.name.literal)
                {
                    continue;
                }
                report(ctx, input, run, &fetch);
            }
        }
    }
}

/// The last call that fetches metadata with yum/dnf/microdnf (or zypper).
fn last_fetch<'a>(cmds: &[&'a SimpleCommand], zypper: bool) -> Option<(usize, Call<'a>)> {
    cmds.iter().enumerate().rev().find_map(|(i, c)| {
        let call = call(c)?;
        let fetches = if zypper {
            call.tool == Tool::Zypper && call.sub_is(FETCHES)
        } else {
            // `-C` / `--cacheonly` reads the cache without fetching.
            call.tool.is_yum_like()
                && call.sub_is(FETCHES)
                && !call.line.has(Some('C'), &["cacheonly"])
        };
        fetches.then_some((i, call))
    })
}

/// `dnf clean all`, `zypper clean`, `rm -rf /var/cache/dnf`.
fn cleans(cmd: &SimpleCommand, zypper: bool, caches: &[&str]) -> bool {
    if let Some(call) = call(cmd) {
        if zypper && call.tool == Tool::Zypper && call.sub_is(&["clean", "cc"]) {
            return true;
        }
        if !zypper && call.tool.is_yum_like() && call.sub_is(&["clean"]) {
            return call
                .operands()
                .iter()
                .any(|w| matches!(w.value.as_str(), "all" | "metadata" | "dbcache"));
        }
    }
    deleted_paths(cmd)
        .into_iter()
        .any(|w| caches.iter().any(|c| path_clears(w, c)))
}

fn report(ctx: &mut RuleCtx, input: &DockerfileInput, run: &Run, fetch: &Call<'_>) {
    let df = &input.dockerfile;
    let (clean, cache) = match fetch.tool {
        Tool::Zypper => ("zypper clean --all", "/var/cache/zypp"),
        Tool::Yum => ("yum clean all", "/var/cache/yum"),
        Tool::Microdnf => ("microdnf clean all", "/var/cache/yum"),
        _ => ("dnf clean all", "/var/cache/dnf"),
    };
    let fix = append_fix(ctx.source(), df, run, clean);
    let message = format!(
        "`{}` leaves the package manager cache (`{cache}`) in this layer",
        fetch.display()
    );
    let finding = report_call(ctx, df, run, fetch, message).help(format!(
        "end this RUN with `&& {clean}`, or mount a cache on `{cache}`"
    ));
    if let Some(fix) = fix {
        finding.fix(fix);
    }
}
