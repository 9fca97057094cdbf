use cw_model::kubernetes::Container;

use super::helpers::{container_label, runs_to_completion};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags the containers of long-running workloads (Deployments, StatefulSets, DaemonSets,
    /// ReplicaSets, ReplicationControllers, and Pods whose `restartPolicy` is `Always`) that declare
    /// ports but have no `readinessProbe`. Sidecars (init containers with `restartPolicy: Always`)
    /// are checked too; other init containers, Jobs and CronJobs are not.
    ///
    /// A container that declares no `ports` is taken for a worker that serves no traffic, and is not
    /// reported. Declared ports are informational in Kubernetes (a Service can target a port the
    /// container does not list), so list the ports your containers serve.
    ///
    /// ## Why is this bad?
    /// Without a readiness probe a container counts as ready as soon as it starts. Services send it
    /// traffic before it has loaded its configuration, warmed its caches or opened its listener, and
    /// keep sending traffic while it is overloaded or shutting down. Rolling updates also move on
    /// as soon as the new pods start, not when they can serve.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.4.2
    ///     ports:
    ///       - {name: http, containerPort: 8080}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.4.2
    ///     ports:
    ///       - {name: http, containerPort: 8080}
    ///     readinessProbe:
    ///       httpGet: {path: /readyz, port: http}
    ///       periodSeconds: 5
    /// ```
    ///
    /// ## References
    /// - [Liveness, readiness and startup probes](https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/)
    /// - [Configure liveness, readiness and startup probes](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/)
    pub struct ReadinessProbeMissing {
        code: "K8S018",
        name: "readiness-probe-missing",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [
            KubeLinter("no-readiness-probe"),
            Checkov("CKV_K8S_9"),
            Polaris("readinessProbeMissing"),
            KubeScore("pod-probes"),
            Kics("Readiness probe is not configured"),
        ],
    }
}

impl Rule for ReadinessProbeMissing {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        if runs_to_completion(&object, &pod) {
            return;
        }
        for container in pod.all_containers().filter(Container::is_long_lived) {
            if container
                .get("readinessProbe")
                .is_some_and(|p| !p.is_null())
                || container.ports().is_empty()
            {
                continue;
            }
            ctx.report(
                container.site(),
                format!("{} has no readiness probe", container_label(&container)),
            )
            .help("add a `readinessProbe` that succeeds only once the container can serve requests")
            .resource(container.display());
        }
    }
}
