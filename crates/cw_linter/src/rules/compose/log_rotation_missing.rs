use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags services that configure `logging:` with the `json-file` driver (or options but no
    /// driver, which means `json-file` unless the daemon says otherwise) without a `max-size`
    /// option. Services without `logging:` are not reported: the daemon's `log-opts` may rotate.
    ///
    /// ## Why is this bad?
    /// `json-file` keeps every line a container writes, forever, under `/var/lib/docker`: a chatty
    /// service on a long-running host fills the disk, and then every service on it fails.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.0
    ///     logging:
    ///       driver: json-file
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.0
    ///     logging:
    ///       driver: json-file
    ///       options:
    ///         max-size: 10m
    ///         max-file: "3"
    /// ```
    ///
    /// ## References
    /// - [JSON File logging driver](https://docs.docker.com/engine/logging/drivers/json-file/)
    /// - [Compose file reference: logging](https://docs.docker.com/reference/compose-file/services/#logging)
    pub struct LogRotationMissing {
        code: "CMP021",
        name: "log-rotation-missing",
        category: Observability,
        severity: Info,
        fix: None,
        peers: [],
    }
}

impl Rule for LogRotationMissing {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            let Some(logging) = service.logging() else {
                continue;
            };
            let driver = logging.driver();
            if driver.as_ref().is_some_and(|d| d.value != "json-file") {
                continue;
            }
            if logging.options().and_then(|o| o.get("max-size")).is_some() {
                continue;
            }
            let range = driver.map_or_else(
                || {
                    service
                        .node
                        .key_range("logging")
                        .unwrap_or(logging.node.range)
                },
                |d| d.range,
            );
            ctx.report(
                range,
                format!(
                    "service `{}` logs to `json-file` without `max-size`",
                    service.name_str()
                ),
            )
            .help("add `options: {max-size: 10m, max-file: \"3\"}` under `logging:`")
            .resource(resource(&service));
        }
    }
}
