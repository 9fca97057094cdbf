use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `security_opt` entries that turn off seccomp or AppArmor: `seccomp:unconfined`,
    /// `seccomp=unconfined`, `apparmor:unconfined`, `apparmor=unconfined`.
    ///
    /// ## Why is this bad?
    /// Docker's default seccomp profile blocks about 40 rarely needed, dangerous system calls
    /// (`keyctl`, `mount`, `unshare`, `bpf`, ...) and the default AppArmor profile denies writes to
    /// `/proc` and `/sys`. Running unconfined re-opens that kernel attack surface, which is where most
    /// container escapes happen.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:1.0
    ///     security_opt:
    ///       - seccomp:unconfined
    /// ```
    ///
    /// Use instead: the default profile, or a custom profile that allows the one call needed.
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:1.0
    ///     security_opt:
    ///       - seccomp:./seccomp-app.json
    /// ```
    ///
    /// ## References
    /// - [Seccomp security profiles for Docker](https://docs.docker.com/engine/security/seccomp/)
    /// - [AppArmor security profiles for Docker](https://docs.docker.com/engine/security/apparmor/)
    pub struct SeccompApparmorUnconfined {
        code: "CMP011",
        name: "seccomp-apparmor-unconfined",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Kics("Default Seccomp Profile Disabled")],
    }
}

impl Rule for SeccompApparmorUnconfined {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            for opt in service.security_opt() {
                let Some((kind, value)) = opt.value.split_once([':', '=']) else {
                    continue;
                };
                let kind = kind.trim();
                if !matches!(kind, "seccomp" | "apparmor") || value.trim() != "unconfined" {
                    continue;
                }
                ctx.report(
                    opt.range,
                    format!(
                        "service `{}` runs with {kind} unconfined",
                        service.name_str()
                    ),
                )
                .help(format!(
                    "remove `{}`; write a custom {kind} profile if one call is missing",
                    opt.value
                ))
                .resource(resource(&service));
            }
        }
    }
}
