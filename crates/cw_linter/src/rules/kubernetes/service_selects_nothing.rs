use cw_model::kubernetes::ObjectFacts;

use super::helpers::{WORKLOAD_KINDS, api_group, selects, workloads_maybe_selected};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Services whose `selector` matches the pod template labels of no workload (Deployment,
    /// StatefulSet, DaemonSet, Job, CronJob, ReplicaSet, ReplicationController or Pod) of their
    /// namespace.
    ///
    /// A Service may front pods that the scan does not contain: a workload deployed from another
    /// repository or by a Helm chart, or pods that an operator creates from a custom resource (a
    /// database cluster, a Prometheus, an Argo Rollout). So the rule only reports a Service when its
    /// namespace holds workloads in the scan and no object there may create pods the rule cannot
    /// see: any custom resource except well-known kinds that never run pods (cert-manager
    /// Certificates, ServiceMonitors, ExternalSecrets, Istio and Gateway API routing...). Objects
    /// without a namespace count for every namespace. Services without a selector (endpoints
    /// managed by hand) and `ExternalName` Services are not checked; a templated label or selector
    /// value keeps the rule quiet.
    ///
    /// ## Why is this bad?
    /// A Service that selects no pod has no endpoints: clients get connection refused or time out,
    /// and nothing in the apply output says so. The usual cause is a label renamed on one side only.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector: {app: web-frontend}
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// spec:
    ///   selector: {app: web}
    /// ```
    ///
    /// ## References
    /// - [Service](https://kubernetes.io/docs/concepts/services-networking/service/)
    /// - [Debug Services: does the Service have any endpoints?](https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/#does-the-service-have-any-endpoints)
    pub struct ServiceSelectsNothing {
        code: "K8S049",
        name: "service-selects-nothing",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [KubeLinter("dangling-service"), KubeScore("service-targets-pod")],
    }
}

/// API groups of Kubernetes itself: their kinds are known, and only the workload kinds run pods.
const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "apps",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "extensions",
    "flowcontrol.apiserver.k8s.io",
    "gateway.networking.k8s.io",
    "networking.k8s.io",
    "node.k8s.io",
    "policy",
    "policy.networking.k8s.io",
    "rbac.authorization.k8s.io",
    "resource.k8s.io",
    "scheduling.k8s.io",
    "snapshot.storage.k8s.io",
    "storage.k8s.io",
];

/// API groups of add-ons whose custom resources never run pods.
const INERT_GROUPS: &[&str] = &[
    "acme.cert-manager.io",
    "autoscaling.k8s.io",
    "bitnami.com",
    "cert-manager.io",
    "cilium.io",
    "cloud.google.com",
    "configuration.konghq.com",
    "crd.projectcalico.org",
    "elbv2.k8s.aws",
    "external-secrets.io",
    "generators.external-secrets.io",
    "networking.gke.io",
    "networking.istio.io",
    "projectcalico.org",
    "secrets-store.csi.x-k8s.io",
    "security.istio.io",
    "telemetry.istio.io",
    "traefik.containo.us",
    "traefik.io",
];

/// Kinds of add-on groups that also hold pod-running kinds (`monitoring.coreos.com` has
/// `Prometheus`; `keda.sh` has `ScaledJob`).
const INERT_KINDS: &[(&str, &str)] = &[
    ("keda.sh", "ClusterTriggerAuthentication"),
    ("keda.sh", "ScaledObject"),
    ("keda.sh", "TriggerAuthentication"),
    ("monitoring.coreos.com", "AlertmanagerConfig"),
    ("monitoring.coreos.com", "PodMonitor"),
    ("monitoring.coreos.com", "Probe"),
    ("monitoring.coreos.com", "PrometheusRule"),
    ("monitoring.coreos.com", "ScrapeConfig"),
    ("monitoring.coreos.com", "ServiceMonitor"),
];

/// Whether an object that is not a workload may still make pods appear: a custom resource that an
/// operator may turn into pods.
fn may_create_pods(o: &ObjectFacts) -> bool {
    let group = api_group(&o.api_version);
    o.pod.is_none()
        && !BUILT_IN_GROUPS.contains(&group)
        && !INERT_GROUPS.contains(&group)
        && !INERT_KINDS.contains(&(group, o.kind.as_str()))
}

impl Rule for ServiceSelectsNothing {
    type Input = ClusterInput;
    type Options = NoOptions;

    fn check(&self, input: &ClusterInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(service) = &object.service else {
            return;
        };
        if service.service_type.as_deref() == Some("ExternalName") {
            return;
        }
        let Some(selector) = &service.selector else {
            return;
        };
        if selector.unknown || selector.match_labels.is_empty() {
            return;
        }
        if input
            .matching("may-create-pods", may_create_pods)
            .next()
            .is_some()
        {
            return;
        }
        if !input.peers_of(WORKLOAD_KINDS).any(|o| o.pod.is_some()) {
            return;
        }
        for other in workloads_maybe_selected(input, selector) {
            let Some(pod) = &other.pod else {
                continue;
            };
            if selects(selector, &pod.labels) != Some(false) {
                return;
            }
        }
        let labels: Vec<String> = selector
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let scope = match &object.namespace {
            Some(ns) => format!("namespace `{ns}`"),
            None => "the scan".to_string(),
        };
        ctx.report(
            selector.range,
            format!(
                "{} selects pods labelled `{}`, but no workload of {scope} has such pods",
                object.display(),
                labels.join(","),
            ),
        )
        .help("make the selector match the pod template labels (`spec.template.metadata.labels`) of the workload it fronts")
        .resource(object.display());
    }
}
