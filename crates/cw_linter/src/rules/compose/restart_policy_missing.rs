use super::helpers::{insert_key, resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags services without a restart policy: neither `restart:` nor `deploy.restart_policy`.
    /// Services in a profile (`profiles:`), usually one-off tools, and services that others wait for
    /// with `condition: service_completed_successfully` (migrations, init jobs) are not reported.
    ///
    /// ## Why is this bad?
    /// The default policy is `no`: after a crash, an out-of-memory kill or a host reboot the service
    /// stays down until someone runs `docker compose up` again.
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
    ///     restart: unless-stopped
    ///     image: example/api:1.0
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `restart: unless-stopped`, which restarts the service after crashes and daemon
    /// restarts but not after `docker compose stop`. It is safe for long-running services.
    ///
    /// ## References
    /// - [Compose file reference: restart](https://docs.docker.com/reference/compose-file/services/#restart)
    /// - [Start containers automatically](https://docs.docker.com/engine/containers/start-containers-automatically/)
    pub struct RestartPolicyMissing {
        code: "CMP016",
        name: "restart-policy-missing",
        category: Reliability,
        severity: Info,
        fix: Sometimes,
        peers: [Kics("Restart Policy On Failure Not Set To 5")],
    }
}

impl Rule for RestartPolicyMissing {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        let one_shot: Vec<&str> = input
            .compose
            .services()
            .flat_map(|s| s.depends_on())
            .filter(|d| {
                d.condition
                    .as_ref()
                    .is_some_and(|c| c.value == "service_completed_successfully")
            })
            .map(|d| d.name.value)
            .collect();
        for service in input.compose.services() {
            if service.get("restart").is_some()
                || service.node.path(&["deploy", "restart_policy"]).is_some()
                || service.get("profiles").is_some()
                || one_shot.contains(&service.name_str())
            {
                continue;
            }
            let fix = insert_key(&service, ctx.source(), "restart: unless-stopped");
            let finding = ctx
                .report(
                    service.name_range(),
                    format!("service `{}` has no restart policy", service.name_str()),
                )
                .help("add `restart: unless-stopped` (or `on-failure`)")
                .resource(resource(&service));
            if let Some(edit) = fix {
                finding.fix(Fix::safe("Add `restart: unless-stopped`", vec![edit]));
            }
        }
    }
}
