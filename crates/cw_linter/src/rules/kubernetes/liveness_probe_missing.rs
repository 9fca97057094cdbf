use cw_model::kubernetes::Container;

use super::helpers::{container_label, runs_to_completion};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags the containers of long-running workloads (Deployments, StatefulSets, DaemonSets,
    /// ReplicaSets, ReplicationControllers, and Pods whose `restartPolicy` is `Always`) that have no
    /// `livenessProbe`. Sidecars (init containers with `restartPolicy: Always`) run for the pod's
    /// lifetime and are checked too; other init containers, Jobs and CronJobs run to completion and
    /// are not.
    ///
    /// ## Why is this bad?
    /// Kubernetes restarts a container when its process exits, but not when it hangs: a deadlocked
    /// server, a worker stuck on a lost connection or an exhausted thread pool keeps running, and
    /// keeps its share of traffic and resources, until someone notices. A liveness probe lets the
    /// kubelet detect it and restart the container.
    ///
    /// Keep the probe cheap and local: a liveness check that calls a database restarts every pod
    /// when the database is slow.
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
    ///     livenessProbe:
    ///       httpGet: {path: /livez, port: http}
    ///       periodSeconds: 10
    /// ```
    ///
    /// ## References
    /// - [Liveness, readiness and startup probes](https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/)
    /// - [Configure liveness, readiness and startup probes](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/)
    pub struct LivenessProbeMissing {
        code: "K8S017",
        name: "liveness-probe-missing",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [
            KubeLinter("no-liveness-probe"),
            Checkov("CKV_K8S_8"),
            Polaris("livenessProbeMissing"),
            KubeScore("pod-probes"),
            Kics("Liveness probe is not defined"),
        ],
    }
}

impl Rule for LivenessProbeMissing {
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
            if container.get("livenessProbe").is_some_and(|p| !p.is_null()) {
                continue;
            }
            ctx.report(
                container.site(),
                format!("{} has no liveness probe", container_label(&container)),
            )
            .help("add a `livenessProbe` that fails only when the process is stuck, without checking its dependencies")
            .resource(container.display());
        }
    }
}
