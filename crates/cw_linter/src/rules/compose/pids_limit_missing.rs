use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags services without a process limit: neither `deploy.resources.limits.pids` nor
    /// `pids_limit`.
    ///
    /// ## Why is this bad?
    /// A fork bomb, or a service that leaks threads or child processes, exhausts the host's PID
    /// table: no process on the host can start any more, `sshd` logins included.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:2.3
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:2.3
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           pids: 256
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: pids_limit](https://docs.docker.com/reference/compose-file/services/#pids_limit)
    /// - [Compose Deploy Specification: resources](https://docs.docker.com/reference/compose-file/deploy/#resources)
    pub struct PidsLimitMissing {
        code: "CMP014",
        name: "pids-limit-missing",
        category: Reliability,
        severity: Info,
        fix: None,
        peers: [Kics("Pids Limit Not Set")],
    }
}

impl Rule for PidsLimitMissing {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            if service.pids_limit().is_some() {
                continue;
            }
            ctx.report(
                service.name_range(),
                format!(
                    "service `{}` has no process (PIDs) limit",
                    service.name_str()
                ),
            )
            .help("set `deploy.resources.limits.pids` (for example `256`)")
            .resource(resource(&service));
        }
    }
}
