use cw_model::kubernetes::ObjectFacts;

use super::helpers::{api_group, selectors_maybe_selecting, selects};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags workloads whose pods no NetworkPolicy restricts: no `networking.k8s.io` NetworkPolicy of
    /// their namespace selects the pod template labels with an ingress policy type.
    ///
    /// The rule runs only when the scan contains at least one NetworkPolicy. Many teams manage
    /// network policies apart from the applications (a platform repository, a namespace
    /// provisioner, cluster-wide policies of the CNI), so manifests without any NetworkPolicy say
    /// nothing about the cluster; once a repository writes NetworkPolicies, a workload that none of
    /// them covers is a gap. For the same reason the rule stays quiet when the scan contains a
    /// CNI-specific or cluster-wide policy kind (Cilium, Calico, Antrea, AdminNetworkPolicy), whose
    /// selection it does not evaluate, and for workloads with `hostNetwork: true`, which
    /// NetworkPolicies do not apply to. A NetworkPolicy without a namespace counts for every
    /// namespace; a selector or label that cannot be read keeps the rule quiet.
    ///
    /// ## Why is this bad?
    /// Kubernetes allows all traffic to a pod until some NetworkPolicy selects it. Any compromised
    /// pod anywhere in the cluster can then reach the workload's ports directly, bypassing whatever
    /// the Ingress or the Service meant to expose.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   template:
    ///     metadata:
    ///       labels: {app: api}
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: web}
    /// ```
    ///
    /// Use instead (a default-deny policy for the namespace, plus policies that allow what each
    /// workload needs):
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress]
    /// ```
    ///
    /// ## References
    /// - [Network Policies](https://kubernetes.io/docs/concepts/services-networking/network-policies/)
    /// - [Declare Network Policy](https://kubernetes.io/docs/tasks/administer-cluster/declare-network-policy/)
    pub struct NetworkpolicyMissing {
        code: "K8S026",
        name: "networkpolicy-missing",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [
            KubeScore("pod-networkpolicy"),
            Checkov("CKV2_K8S_6"),
            Polaris("missingNetworkPolicy"),
            KubeLinter("non-isolated-pod"),
        ],
    }
}

/// A `networking.k8s.io` NetworkPolicy.
fn is_network_policy(o: &ObjectFacts) -> bool {
    o.kind == "NetworkPolicy" && api_group(&o.api_version) == "networking.k8s.io"
}

/// A policy kind of a CNI or of the cluster-wide policy API (`CiliumNetworkPolicy`,
/// `GlobalNetworkPolicy`, Calico's `NetworkPolicy`, `AdminNetworkPolicy`...).
fn is_other_policy(o: &ObjectFacts) -> bool {
    o.kind.ends_with("NetworkPolicy") && !is_network_policy(o)
}

impl Rule for NetworkpolicyMissing {
    type Input = ClusterInput;
    type Options = NoOptions;

    fn check(&self, input: &ClusterInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = &object.pod else {
            return;
        };
        if pod.host_network {
            return;
        }
        let (other_policies, network_policies) = *input.memo("network-policies", |objects| {
            (
                objects.iter().any(is_other_policy),
                objects.iter().any(is_network_policy),
            )
        });
        if other_policies || !network_policies {
            return;
        }
        let mut egress_only = false;
        for policy in selectors_maybe_selecting(input, &["NetworkPolicy"], &pod.labels)
            .into_iter()
            .filter(|o| is_network_policy(o))
        {
            // `podSelector` is required: a policy without a readable one is unknown.
            let Some(selector) = &policy.network_policy else {
                return;
            };
            match selects(selector, &pod.labels) {
                None => return,
                Some(true) if policy.network_policy_ingress => return,
                Some(true) => egress_only = true,
                Some(false) => {}
            }
        }
        let message = if egress_only {
            format!(
                "only egress NetworkPolicies select the pods of {}, so any pod in the cluster can connect to them",
                object.display()
            )
        } else {
            format!(
                "no NetworkPolicy selects the pods of {}, so any pod in the cluster can connect to them",
                object.display()
            )
        };
        ctx.report(object.site, message)
            .help("add a NetworkPolicy whose `podSelector` matches the pod template labels and allows only the traffic the pods need")
            .resource(object.display());
    }
}
