use cw_model::kubernetes::ProbeKind;
use cw_syntax::yaml::Node;

use super::helpers::{container_label, is_templated};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags liveness, readiness and startup probes whose `httpGet`, `tcpSocket` or `grpc` port is
    /// a port name that the container does not declare in its `ports`.
    ///
    /// A probe on a port number that the container does not list is not reported: Kubernetes
    /// probes the number whether or not it is declared (declared ports are informational), and
    /// many images serve their health endpoint on an undeclared admin port.
    ///
    /// ## Why is this bad?
    /// The kubelet resolves a named probe port in the probed container's own `ports` only. When the
    /// name is missing (a typo, a port renamed or declared in another container) the probe fails
    /// every time: a liveness or startup probe restarts the container in a loop, and a readiness
    /// probe keeps it out of its Services for good.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.4.2
    ///     ports:
    ///       - {name: http, containerPort: 8080}
    ///     readinessProbe:
    ///       httpGet: {path: /readyz, port: web}
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
    /// ```
    ///
    /// ## References
    /// - [Configure liveness, readiness and startup probes](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/)
    /// - [Container ports](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports)
    pub struct ProbePortNotExposed {
        code: "K8S050",
        name: "probe-port-not-exposed",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [
            KubeLinter("liveness-port"),
            KubeLinter("readiness-port"),
            KubeLinter("startup-port"),
        ],
    }
}

fn probe_name(kind: ProbeKind) -> &'static str {
    match kind {
        ProbeKind::Liveness => "liveness",
        ProbeKind::Readiness => "readiness",
        ProbeKind::Startup => "startup",
    }
}

impl Rule for ProbePortNotExposed {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let Some(pod) = input.object().pod_spec() else {
            return;
        };
        for container in pod.all_containers() {
            // Ports written as a templated scalar, or with templated items or names, are unknown.
            let ports_unknown = container
                .get("ports")
                .is_some_and(|p| !p.is_seq() && !p.is_null())
                || container.ports().iter().any(|p| {
                    !p.is_map()
                        || p.get("name")
                            .and_then(Node::as_str)
                            .is_some_and(is_templated)
                });
            if ports_unknown {
                continue;
            }
            for kind in [
                ProbeKind::Liveness,
                ProbeKind::Readiness,
                ProbeKind::Startup,
            ] {
                let Some(port) = container.probe(kind).and_then(|p| p.port()) else {
                    continue;
                };
                // A number (also a quoted one: the kubelet parses it) needs no declaration.
                if port.as_i64().is_some() {
                    continue;
                }
                let Some(name) = port.as_str() else {
                    continue;
                };
                if name.trim().parse::<i64>().is_ok()
                    || is_templated(name)
                    || container.declares_port(port)
                {
                    continue;
                }
                ctx.report(
                    port.site_range(),
                    format!(
                        "the {} probe of {} targets port `{name}`, which the container does not declare",
                        probe_name(kind),
                        container_label(&container)
                    ),
                )
                .help(format!(
                    "declare the port in the container's `ports` with `name: {name}`, or fix the probe's port"
                ))
                .resource(container.display());
            }
        }
    }
}
