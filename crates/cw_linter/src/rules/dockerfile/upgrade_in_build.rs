use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Call, Tool, run_calls};
use crate::rules::dockerfile::helpers::report::report_call;

declare_rule! {
    /// ## What it does
    /// Flags system-wide package upgrades in RUN: `apt-get upgrade` / `dist-upgrade` / `full-upgrade`,
    /// `apk upgrade`, `yum` / `dnf` / `microdnf` `update` / `upgrade`, `zypper update` / `patch` /
    /// `dist-upgrade`.
    ///
    /// Upgrades that name packages (`apk upgrade openssl`, `dnf upgrade openssl`,
    /// `apt-get install --only-upgrade openssl`) are targeted fixes and are not reported, nor are upgrades
    /// whose arguments come from a variable.
    ///
    /// ## Why is this bad?
    /// A blanket upgrade makes the image contents depend on the day of the build rather than on the
    /// Dockerfile: two builds of one commit differ, and the build cache hides which packages changed.
    /// The base image's maintainers already ship updated packages; moving to a newer (digest-pinned)
    /// base image makes the same update visible, reviewable and reversible.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN apt-get update && apt-get -y upgrade && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12.7-slim@sha256:<digest>
    /// ```
    ///
    /// ## References
    /// - https://docs.docker.com/build/building/best-practices/#rebuild-your-images-often
    /// - https://github.com/hadolint/hadolint/wiki/DL3035
    pub struct UpgradeInBuild {
        code: "DKR026",
        name: "upgrade-in-build",
        category: Reproducibility,
        severity: Info,
        fix: None,
        peers: [
            Hadolint("DL3035"),
            Trivy("DS024"),
            Kics("Run Using Upgrade Commands")
        ],
    }
}

impl Rule for UpgradeInBuild {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (run, call) in run_calls(&df.runs) {
            if !is_system_upgrade(&call) {
                continue;
            }
            let message = format!(
                "`{}` upgrades every installed package to whatever the repository holds on build day",
                call.display()
            );
            report_call(ctx, df, run, &call, message)
                .help("drop the upgrade and move to a newer, digest-pinned base image instead");
        }
    }
}

fn is_system_upgrade(call: &Call<'_>) -> bool {
    let no_packages = call.operands().is_empty() && !call.line.dynamic;
    match call.tool {
        Tool::AptGet | Tool::Apt => {
            call.sub_is(&["upgrade", "dist-upgrade", "full-upgrade"]) && no_packages
        }
        Tool::Apk => call.sub_is(&["upgrade"]) && no_packages,
        Tool::Yum | Tool::Dnf | Tool::Microdnf => {
            call.sub_is(&[
                "update",
                "upgrade",
                "upgrade-minimal",
                "up",
                "distro-sync",
                "dsync",
            ]) && no_packages
        }
        Tool::Zypper => {
            call.sub_is(&["update", "up", "patch", "dist-upgrade", "dup"]) && no_packages
        }
        _ => false,
    }
}
