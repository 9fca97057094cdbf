use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Call, Tool, calls_with_yes};
use crate::rules::dockerfile::helpers::layers::{add_option_fix, config_written};
use crate::rules::dockerfile::helpers::report::report_call;

declare_rule! {
    /// ## What it does
    /// Flags `yum` / `dnf` commands without `-y`, and `zypper` commands without `-n`, that may stop at a
    /// confirmation prompt.
    ///
    /// Checked: yum/dnf `install`, `remove`, `update`, `upgrade`, `downgrade`, `distro-sync`,
    /// `groupinstall`, `group install`, `module enable`, `builddep`, ... without `-y` / `--assumeyes` (or
    /// `--setopt=assumeyes=1`); zypper `install`, `remove`, `update`, `patch`, `dist-upgrade`,
    /// `source-install` without `-n` / `--non-interactive` or `-y` / `--no-confirm`. Not reported when
    /// input is piped from `yes`, when the yum/dnf configuration (`/etc/yum.conf`, `/etc/dnf/dnf.conf`)
    /// was written by an earlier COPY, ADD or RUN (it may set `assumeyes`), or when options come from a
    /// variable. `microdnf` never prompts and is not checked.
    ///
    /// ## Why is this bad?
    /// A build has no terminal. At the "Is this ok [y/N]" prompt yum and dnf read end of input, answer
    /// no and fail; zypper does the same. The build breaks, or passes only as long as nothing needs
    /// confirming.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM rockylinux:9
    /// RUN dnf install httpd && dnf clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix inserts `-y` after the yum/dnf subcommand, or `-n` (the global non-interactive
    /// option) right after `zypper`. The command can only succeed without it when nothing needs
    /// confirming, in which case the option changes nothing.
    ///
    /// ## References
    /// - https://dnf.readthedocs.io/en/latest/command_ref.html#options
    /// - https://doc.opensuse.org/documentation/leap/reference/html/book-reference/cha-sw-cl.html
    /// - https://github.com/hadolint/hadolint/wiki/DL3030
    /// - https://github.com/hadolint/hadolint/wiki/DL3038
    /// - https://github.com/hadolint/hadolint/wiki/DL3034
    pub struct RpmMissingNoninteractive {
        code: "DKR024",
        name: "rpm-missing-noninteractive",
        category: Reliability,
        severity: Warning,
        fix: Always,
        peers: [
            Hadolint("DL3030"),
            Hadolint("DL3038"),
            Hadolint("DL3034")
        ],
    }
}

/// yum/dnf subcommands that prompt before changing anything.
const YUM_PROMPTS: &[&str] = &[
    "install",
    "in",
    "reinstall",
    "localinstall",
    "remove",
    "erase",
    "rm",
    "autoremove",
    "update",
    "up",
    "upgrade",
    "upgrade-minimal",
    "downgrade",
    "distro-sync",
    "groupinstall",
    "groupupdate",
    "groupremove",
    "swap",
    "builddep",
];

/// Where yum and dnf read `assumeyes` from.
const YUM_CONFIG: &[&str] = &["/etc/yum.conf", "/etc/dnf/dnf.conf"];

/// yum/dnf subcommands whose action (the next word) may prompt: `group install`, `module enable`.
const YUM_GROUPED: &[&str] = &["group", "groups", "module"];

const ZYPPER_PROMPTS: &[&str] = &[
    "install",
    "in",
    "remove",
    "rm",
    "update",
    "up",
    "patch",
    "dist-upgrade",
    "dup",
    "source-install",
    "si",
];

impl Rule for RpmMissingNoninteractive {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for run in &df.runs {
            for (call, fed_by_yes) in calls_with_yes(&run.script) {
                let Some(sub) = call.sub else {
                    continue;
                };
                let prompts = match call.tool {
                    Tool::Yum | Tool::Dnf => yum_prompts(&call),
                    Tool::Zypper => call.sub_is(ZYPPER_PROMPTS),
                    _ => false,
                };
                if !prompts || fed_by_yes || call.line.dynamic || answers_itself(&call) {
                    continue;
                }
                let (option, after) = if call.tool == Tool::Zypper {
                    ("-n", call.tool_word)
                } else {
                    if config_written(df, run, YUM_CONFIG) {
                        continue;
                    }
                    ("-y", sub)
                };
                let command = match call.operands().first() {
                    Some(action) if call.sub_is(YUM_GROUPED) => {
                        format!("{} {}", call.display(), action.value)
                    }
                    _ => call.display(),
                };
                let message = format!(
                    "`{command}` without `{option}` stops at a confirmation prompt and fails the build"
                );
                report_call(ctx, df, run, &call, message)
                    .help(format!("add `{option}` so it does not wait for an answer"))
                    .fix(add_option_fix(
                        df,
                        run,
                        &call,
                        after,
                        option,
                        Applicability::Safe,
                    ));
            }
        }
    }
}

fn yum_prompts(call: &Call<'_>) -> bool {
    if call.sub_is(YUM_PROMPTS) {
        return true;
    }
    call.sub_is(YUM_GROUPED)
        && call.operands().first().is_some_and(|w| {
            matches!(
                w.value.as_str(),
                "install"
                    | "remove"
                    | "upgrade"
                    | "update"
                    | "enable"
                    | "disable"
                    | "reset"
                    | "switch-to"
            )
        })
}

/// `-y`, `--assumeyes`, `--setopt=assumeyes=1`, `--assumeno`; zypper `-n`, `--non-interactive`,
/// `-y`, `--no-confirm`.
fn answers_itself(call: &Call<'_>) -> bool {
    let line = &call.line;
    if call.tool == Tool::Zypper {
        return line.has(Some('n'), &["non-interactive", "no-confirm"]) || line.has(Some('y'), &[]);
    }
    line.has(Some('y'), &["assumeyes", "assumeno"])
        || line.values(None, &["setopt"]).iter().any(|v| {
            let v = v.to_ascii_lowercase();
            v.starts_with("assumeyes=") && !v.ends_with("=0") && !v.ends_with("=false")
        })
}
