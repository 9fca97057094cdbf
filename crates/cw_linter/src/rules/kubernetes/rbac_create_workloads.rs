use super::helpers::{join_and, policy_rules};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles with a rule that grants `create` (or `*`) on pods or on the
    /// controllers that create them: `pods` and `replicationcontrollers` (core group),
    /// `deployments`, `replicasets`, `statefulsets` and `daemonsets` (`apps`, or `extensions` for the
    /// old ones), `jobs` and `cronjobs` (`batch`). One finding per rule, listing the resources.
    /// Rules with `resources: ["*"]` are K8S029's business; aggregated ClusterRoles are skipped.
    ///
    /// ## Why is this bad?
    /// Whoever can create a pod can choose what runs in it: any ServiceAccount of the namespace (and
    /// so every permission bound to it), any Secret or ConfigMap of the namespace mounted as a
    /// volume, and unless Pod Security admission stops it, privileged containers and host paths.
    /// The permission is worth what the most privileged ServiceAccount of the namespace is worth.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: ci
    /// rules:
    ///   - apiGroups: ["", "apps"]
    ///     resources: ["pods", "deployments"]
    ///     verbs: ["create", "get", "list"]
    /// ```
    ///
    /// Use instead: grant `create` on workloads only to deploy identities, in namespaces whose
    /// ServiceAccounts hold no more privileges than the deployer, and enforce Pod Security
    /// admission there.
    ///
    /// ## References
    /// - [Role Based Access Control Good Practices: workload creation](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation)
    /// - [Pod Security Admission](https://kubernetes.io/docs/concepts/security/pod-security-admission/)
    pub struct RbacCreateWorkloads {
        code: "K8S033",
        name: "rbac-create-workloads",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [KubeLinter("access-to-create-pods"), Trivy("KSV048")],
    }
}

/// The resources that create pods and the API groups that serve them.
const WORKLOADS: &[(&str, &[&str])] = &[
    ("pods", &[""]),
    ("replicationcontrollers", &[""]),
    ("deployments", &["apps", "extensions"]),
    ("replicasets", &["apps", "extensions"]),
    ("daemonsets", &["apps", "extensions"]),
    ("statefulsets", &["apps"]),
    ("jobs", &["batch"]),
    ("cronjobs", &["batch"]),
];

impl Rule for RbacCreateWorkloads {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(rules) = policy_rules(&object) else {
            return;
        };
        for rule in rules {
            let Some(verb) = ["create", "*"]
                .into_iter()
                .find(|v| rule.item("verbs", v).is_some())
            else {
                continue;
            };
            let granted: Vec<_> = WORKLOADS
                .iter()
                .filter(|(_, groups)| groups.iter().any(|g| rule.in_group(g)))
                .filter_map(|(resource, _)| rule.item("resources", resource))
                .collect();
            let Some(first) = granted.first() else {
                continue;
            };
            let names: Vec<String> = granted
                .iter()
                .filter_map(|n| n.as_str())
                .map(|n| format!("`{n}`"))
                .collect();
            ctx.report(
                first.site_range(),
                format!(
                    "{} grants `{verb}` on {}, so its subjects can run pods as any ServiceAccount they reach",
                    object.display(),
                    join_and(&names)
                ),
            )
            .help("grant workload creation only to deploy identities, in namespaces whose ServiceAccounts are no more privileged")
            .resource(object.display());
        }
    }
}
