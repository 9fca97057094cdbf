use super::helpers::{insert_key, resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags services whose `security_opt` does not include `no-new-privileges:true` (or
    /// `no-new-privileges`, `no-new-privileges=true`). Privileged services are CMP002's business.
    ///
    /// ## Why is this bad?
    /// Without it a process in the container can gain privileges through setuid and setgid binaries
    /// (`su`, `sudo`, a planted setuid shell) or file capabilities. With it, `execve` never grants
    /// more privileges than the parent had.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     security_opt: [no-new-privileges:true]
    ///     image: example/api:1.0
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `security_opt: [no-new-privileges:true]` to services that have no `security_opt`
    /// yet. It is marked safe, but a service that really relies on setuid binaries at run time (rare
    /// in containers) will fail to gain their privileges.
    ///
    /// ## References
    /// - [Compose file reference: security_opt](https://docs.docker.com/reference/compose-file/services/#security_opt)
    /// - [docker run --security-opt](https://docs.docker.com/reference/cli/docker/container/run/#security-opt)
    /// - [Linux no_new_privs](https://docs.kernel.org/userspace-api/no_new_privs.html)
    pub struct NoNewPrivilegesUnset {
        code: "CMP010",
        name: "no-new-privileges-unset",
        category: Security,
        severity: Info,
        fix: Sometimes,
        peers: [Kics("No New Privileges Not Set")],
    }
}

fn is_no_new_privileges(opt: &str) -> bool {
    matches!(
        opt.trim(),
        "no-new-privileges" | "no-new-privileges:true" | "no-new-privileges=true"
    )
}

impl Rule for NoNewPrivilegesUnset {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            if service.privileged().is_some_and(|p| p.value) {
                continue;
            }
            if service
                .security_opt()
                .iter()
                .any(|o| is_no_new_privileges(o.value))
            {
                continue;
            }
            let fix = if service.get("security_opt").is_none() {
                insert_key(
                    &service,
                    ctx.source(),
                    "security_opt: [no-new-privileges:true]",
                )
            } else {
                None
            };
            let finding = ctx
                .report(
                    service.name_range(),
                    format!(
                        "service `{}` does not set `no-new-privileges`",
                        service.name_str()
                    ),
                )
                .help("add `no-new-privileges:true` to `security_opt`")
                .resource(resource(&service));
            if let Some(edit) = fix {
                finding.fix(Fix::safe(
                    "Add `security_opt: [no-new-privileges:true]`",
                    vec![edit],
                ));
            }
        }
    }
}
