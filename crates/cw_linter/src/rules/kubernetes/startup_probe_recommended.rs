use cw_model::kubernetes::ProbeKind;

use super::helpers::container_label;
use crate::prelude::*;

/// From this `initialDelaySeconds` on, a liveness probe is taken to be covering a slow start.
const LONG_INITIAL_DELAY: i64 = 60;

declare_rule! {
    /// ## What it does
    /// Flags liveness probes with an `initialDelaySeconds` of 60 seconds or more in containers that
    /// have no `startupProbe`.
    ///
    /// ## Why is this bad?
    /// A long initial delay is the old workaround for slow-starting applications: it keeps the
    /// liveness probe from killing the container while it starts. But the delay applies to every
    /// start, however fast, and a container that hangs right after starting is not restarted until
    /// the delay is over. A startup probe holds the liveness probe back only until the application
    /// has started, and allows as long as the slowest start needs
    /// (`failureThreshold` × `periodSeconds`).
    ///
    /// ## Example
    /// ```yaml
    /// livenessProbe:
    ///   httpGet: {path: /livez, port: http}
    ///   initialDelaySeconds: 120
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// startupProbe:
    ///   httpGet: {path: /livez, port: http}
    ///   periodSeconds: 5
    ///   failureThreshold: 36 # up to 3 minutes to start
    /// livenessProbe:
    ///   httpGet: {path: /livez, port: http}
    /// ```
    ///
    /// ## References
    /// - [Protect slow starting containers with startup probes](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-startup-probes)
    /// - [Liveness, readiness and startup probes](https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/)
    pub struct StartupProbeRecommended {
        code: "K8S019",
        name: "startup-probe-recommended",
        category: Reliability,
        severity: Info,
        fix: None,
        peers: [],
    }
}

impl Rule for StartupProbeRecommended {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let Some(pod) = input.object().pod_spec() else {
            return;
        };
        for container in pod.all_containers() {
            if container.get("startupProbe").is_some_and(|p| !p.is_null()) {
                continue;
            }
            let Some(delay) = container
                .probe(ProbeKind::Liveness)
                .and_then(|p| p.int("initialDelaySeconds"))
            else {
                continue;
            };
            if delay.value < LONG_INITIAL_DELAY {
                continue;
            }
            ctx.report(
                delay.range,
                format!(
                    "the liveness probe of {} waits {}s before its first check, and there is no startup probe",
                    container_label(&container),
                    delay.value
                ),
            )
            .help("add a `startupProbe` that allows for the slowest start, and drop `initialDelaySeconds` from the liveness probe")
            .resource(container.display());
        }
    }
}
