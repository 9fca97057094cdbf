use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags objects whose `apiVersion` is no longer served by current Kubernetes for their kind:
    /// `extensions/v1beta1` Deployments, `policy/v1beta1` PodDisruptionBudgets, `batch/v1beta1`
    /// CronJobs, `autoscaling/v2beta2` HorizontalPodAutoscalers and the other removals of the
    /// Kubernetes deprecated API migration guide. The message names the release that stopped
    /// serving the version and its replacement.
    ///
    /// The table is kept in the rule's source with the date it was last reviewed; it covers the
    /// removals through Kubernetes 1.32. Versions that are only deprecated (still served) are not
    /// reported.
    ///
    /// ## Why is this bad?
    /// The API server rejects an object whose version it no longer serves: `kubectl apply` fails
    /// with `no matches for kind "Deployment" in version "extensions/v1beta1"`, and a Helm upgrade
    /// or GitOps sync stops at the first such object. Manifests like this usually surface during a
    /// cluster upgrade, when there is least time to fix them.
    ///
    /// The replacement is not always a rename: `apps/v1` requires `spec.selector`,
    /// `networking.k8s.io/v1` Ingress backends are written as `service.name` and
    /// `service.port`, and `autoscaling/v2` metrics have a new shape. PodSecurityPolicy has no
    /// replacement version: use Pod Security Admission.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: extensions/v1beta1
    /// kind: Deployment
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// ```
    ///
    /// ## References
    /// - [Deprecated API migration guide](https://kubernetes.io/docs/reference/using-api/deprecation-guide/)
    /// - [Kubernetes deprecation policy](https://kubernetes.io/docs/reference/using-api/deprecation-policy/)
    pub struct DeprecatedApiVersion {
        code: "K8S047",
        name: "deprecated-api-version",
        category: Reliability,
        severity: Error,
        fix: None,
        peers: [
            KubeLinter("no-extensions-v1beta"),
            KubeScore("stable-version"),
            Trivy("KSV107"),
            Kics("Object is using a deprecated API version"),
        ],
    }
}

/// An API version a set of kinds is no longer served in.
struct Removal {
    api_version: &'static str,
    kinds: &'static [&'static str],
    /// The first Kubernetes release that does not serve it.
    removed_in: &'static str,
    /// The version to use instead, or `None` when the kind itself is gone.
    replacement: Option<&'static str>,
}

const fn removal(
    api_version: &'static str,
    kinds: &'static [&'static str],
    removed_in: &'static str,
    replacement: &'static str,
) -> Removal {
    Removal {
        api_version,
        kinds,
        removed_in,
        replacement: Some(replacement),
    }
}

const RBAC_KINDS: &[&str] = &["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"];
const FLOW_CONTROL_KINDS: &[&str] = &["FlowSchema", "PriorityLevelConfiguration"];

/// API versions no longer served, from the Kubernetes deprecated API migration guide
/// (<https://kubernetes.io/docs/reference/using-api/deprecation-guide/>), plus the alpha RBAC and
/// PriorityClass versions that went with their betas.
///
/// Last reviewed: 2026-11-22 (removals through Kubernetes 1.32; review when a release notes new
/// removals).
const REMOVALS: &[Removal] = &[
    // 1.16
    removal(
        "extensions/v1beta1",
        &["Deployment", "DaemonSet", "ReplicaSet"],
        "1.16",
        "apps/v1",
    ),
    removal(
        "extensions/v1beta1",
        &["NetworkPolicy"],
        "1.16",
        "networking.k8s.io/v1",
    ),
    Removal {
        api_version: "extensions/v1beta1",
        kinds: &["PodSecurityPolicy"],
        removed_in: "1.16",
        replacement: None,
    },
    removal(
        "apps/v1beta1",
        &["Deployment", "StatefulSet", "ReplicaSet"],
        "1.16",
        "apps/v1",
    ),
    removal(
        "apps/v1beta2",
        &["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"],
        "1.16",
        "apps/v1",
    ),
    // 1.22
    removal(
        "extensions/v1beta1",
        &["Ingress"],
        "1.22",
        "networking.k8s.io/v1",
    ),
    removal(
        "networking.k8s.io/v1beta1",
        &["Ingress", "IngressClass"],
        "1.22",
        "networking.k8s.io/v1",
    ),
    removal(
        "admissionregistration.k8s.io/v1beta1",
        &[
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
        ],
        "1.22",
        "admissionregistration.k8s.io/v1",
    ),
    removal(
        "apiextensions.k8s.io/v1beta1",
        &["CustomResourceDefinition"],
        "1.22",
        "apiextensions.k8s.io/v1",
    ),
    removal(
        "apiregistration.k8s.io/v1beta1",
        &["APIService"],
        "1.22",
        "apiregistration.k8s.io/v1",
    ),
    removal(
        "authentication.k8s.io/v1beta1",
        &["TokenReview"],
        "1.22",
        "authentication.k8s.io/v1",
    ),
    removal(
        "authorization.k8s.io/v1beta1",
        &[
            "LocalSubjectAccessReview",
            "SelfSubjectAccessReview",
            "SelfSubjectRulesReview",
            "SubjectAccessReview",
        ],
        "1.22",
        "authorization.k8s.io/v1",
    ),
    removal(
        "certificates.k8s.io/v1beta1",
        &["CertificateSigningRequest"],
        "1.22",
        "certificates.k8s.io/v1",
    ),
    removal(
        "coordination.k8s.io/v1beta1",
        &["Lease"],
        "1.22",
        "coordination.k8s.io/v1",
    ),
    removal(
        "rbac.authorization.k8s.io/v1beta1",
        RBAC_KINDS,
        "1.22",
        "rbac.authorization.k8s.io/v1",
    ),
    removal(
        "rbac.authorization.k8s.io/v1alpha1",
        RBAC_KINDS,
        "1.22",
        "rbac.authorization.k8s.io/v1",
    ),
    removal(
        "scheduling.k8s.io/v1beta1",
        &["PriorityClass"],
        "1.22",
        "scheduling.k8s.io/v1",
    ),
    removal(
        "scheduling.k8s.io/v1alpha1",
        &["PriorityClass"],
        "1.22",
        "scheduling.k8s.io/v1",
    ),
    removal(
        "storage.k8s.io/v1beta1",
        &["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
        "1.22",
        "storage.k8s.io/v1",
    ),
    // 1.25
    removal("batch/v1beta1", &["CronJob"], "1.25", "batch/v1"),
    removal(
        "discovery.k8s.io/v1beta1",
        &["EndpointSlice"],
        "1.25",
        "discovery.k8s.io/v1",
    ),
    removal(
        "events.k8s.io/v1beta1",
        &["Event"],
        "1.25",
        "events.k8s.io/v1",
    ),
    removal(
        "autoscaling/v2beta1",
        &["HorizontalPodAutoscaler"],
        "1.25",
        "autoscaling/v2",
    ),
    removal(
        "policy/v1beta1",
        &["PodDisruptionBudget"],
        "1.25",
        "policy/v1",
    ),
    Removal {
        api_version: "policy/v1beta1",
        kinds: &["PodSecurityPolicy"],
        removed_in: "1.25",
        replacement: None,
    },
    removal(
        "node.k8s.io/v1beta1",
        &["RuntimeClass"],
        "1.25",
        "node.k8s.io/v1",
    ),
    // 1.26
    removal(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        FLOW_CONTROL_KINDS,
        "1.26",
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    removal(
        "autoscaling/v2beta2",
        &["HorizontalPodAutoscaler"],
        "1.26",
        "autoscaling/v2",
    ),
    // 1.27
    removal(
        "storage.k8s.io/v1beta1",
        &["CSIStorageCapacity"],
        "1.27",
        "storage.k8s.io/v1",
    ),
    // 1.29
    removal(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        FLOW_CONTROL_KINDS,
        "1.29",
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    // 1.32
    removal(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        FLOW_CONTROL_KINDS,
        "1.32",
        "flowcontrol.apiserver.k8s.io/v1",
    ),
];

impl Rule for DeprecatedApiVersion {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(api_version) = object.api_version() else {
            return;
        };
        let version = api_version.value.trim();
        let kind = object.kind_str().trim();
        let Some(removal) = REMOVALS
            .iter()
            .find(|r| r.api_version == version && r.kinds.contains(&kind))
        else {
            return;
        };
        let what = format!(
            "`{version}` {kind} is not served by Kubernetes {} or later",
            removal.removed_in
        );
        let (message, help) = match removal.replacement {
            Some(replacement) => (
                format!("{what}; use `{replacement}`"),
                format!(
                    "change `apiVersion` to `{replacement}` and adapt the fields that changed (see the deprecated API migration guide)"
                ),
            ),
            None => (
                if removal.removed_in == "1.25" {
                    format!(
                        "PodSecurityPolicy was removed in Kubernetes 1.25 (`{version}` was its last version)"
                    )
                } else {
                    format!("{what}, and PodSecurityPolicy was removed altogether in 1.25")
                },
                "remove the PodSecurityPolicy and enforce the Pod Security Standards with Pod Security Admission namespace labels".to_string(),
            ),
        };
        ctx.report(api_version.range, message)
            .help(help)
            .resource(object.display());
    }
}

#[cfg(test)]
mod tests {
    use super::REMOVALS;

    #[test]
    fn removal_table_is_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for r in REMOVALS {
            assert!(r.api_version.contains('/'), "{}", r.api_version);
            assert!(!r.kinds.is_empty(), "{}", r.api_version);
            assert!(
                r.removed_in.starts_with("1.") && r.removed_in[2..].parse::<u32>().is_ok(),
                "{}",
                r.removed_in
            );
            if let Some(replacement) = r.replacement {
                assert!(
                    replacement.ends_with("/v1") || replacement.ends_with("/v2"),
                    "{replacement} is not a stable version"
                );
            }
            for kind in r.kinds {
                assert!(
                    seen.insert((r.api_version, *kind)),
                    "{} {kind} twice",
                    r.api_version
                );
            }
        }
    }
}
