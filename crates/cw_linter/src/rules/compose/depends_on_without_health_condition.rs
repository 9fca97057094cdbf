use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `depends_on` entries on a service that defines a `healthcheck:` (in this file) when the
    /// dependency does not wait for it: the short syntax (`depends_on: [db]`) or
    /// `condition: service_started`. Dependencies without a healthcheck here are not reported,
    /// since `service_healthy` would need one.
    ///
    /// ## Why is this bad?
    /// `depends_on` alone only orders container starts: the dependent service starts as soon as the
    /// database's container exists, not when it accepts connections, and fails or retries in a loop
    /// on every `docker compose up`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.0
    ///     depends_on: [db]
    ///   db:
    ///     image: postgres:16
    ///     healthcheck:
    ///       test: ["CMD-SHELL", "pg_isready -U postgres"]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.0
    ///     depends_on:
    ///       db:
    ///         condition: service_healthy
    /// ```
    ///
    /// ## References
    /// - [Control startup order in Compose](https://docs.docker.com/compose/how-tos/startup-order/)
    /// - [Compose file reference: depends_on](https://docs.docker.com/reference/compose-file/services/#depends_on)
    pub struct DependsOnWithoutHealthCondition {
        code: "CMP017",
        name: "depends-on-without-health-condition",
        category: Reliability,
        severity: Info,
        fix: None,
        peers: [],
    }
}

impl Rule for DependsOnWithoutHealthCondition {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        let healthy: Vec<&str> = input
            .compose
            .services()
            .filter(|s| s.healthcheck().is_some_and(|h| !h.is_disabled()))
            .map(|s| s.name_str())
            .collect();
        for service in input.compose.services() {
            for dep in service.depends_on() {
                if !healthy.contains(&dep.name.value) {
                    continue;
                }
                let (range, how) = match &dep.condition {
                    None => (dep.name.range, "only waits for it to start"),
                    Some(c) if c.value == "service_started" => {
                        (c.range, "only waits for it to start (`service_started`)")
                    }
                    Some(_) => continue,
                };
                ctx.report(
                    range,
                    format!(
                        "service `{}` depends on `{}` but {how}",
                        service.name_str(),
                        dep.name.value
                    ),
                )
                .help("use the long syntax with `condition: service_healthy`")
                .resource(resource(&service));
            }
        }
    }
}
