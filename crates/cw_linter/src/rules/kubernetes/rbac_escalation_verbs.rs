use super::helpers::{join_and, policy_rules};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles with a rule that lists the verbs `escalate`, `bind` or
    /// `impersonate`, unless `resourceNames` restricts it to named objects (binding one named role,
    /// impersonating one named ServiceAccount: the way the RBAC documentation recommends granting
    /// them). One finding per rule, at its first such verb. `*` verbs are K8S029's business;
    /// aggregated ClusterRoles are skipped.
    ///
    /// ## Why is this bad?
    /// RBAC stops a subject from granting permissions it does not hold, and these verbs lift that
    /// check: `escalate` lets it edit a Role to add any permission, `bind` lets it bind any role
    /// (`cluster-admin` included) to itself, and `impersonate` lets it act as another user, group
    /// or ServiceAccount. Each is equivalent to the highest privilege it can reach.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: role-manager
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles"]
    ///     verbs: ["bind", "escalate"]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles"]
    ///     resourceNames: ["app-reader"]
    ///     verbs: ["bind"]
    /// ```
    ///
    /// ## References
    /// - [Using RBAC Authorization: privilege escalation prevention](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping)
    /// - [User impersonation](https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation)
    pub struct RbacEscalationVerbs {
        code: "K8S034",
        name: "rbac-escalation-verbs",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Checkov("CKV_K8S_157"),
            Checkov("CKV_K8S_158"),
            Checkov("CKV2_K8S_3"),
            Trivy("KSV043"),
            Trivy("KSV050"),
        ],
    }
}

impl Rule for RbacEscalationVerbs {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(rules) = policy_rules(&object) else {
            return;
        };
        for rule in rules {
            if rule.restricted_to_names() {
                continue;
            }
            let verbs: Vec<_> = rule
                .list("verbs")
                .iter()
                .filter(|v| matches!(v.as_str(), Some("escalate" | "bind" | "impersonate")))
                .collect();
            let Some(first) = verbs.first() else {
                continue;
            };
            let names: Vec<String> = verbs
                .iter()
                .filter_map(|n| n.as_str())
                .map(|n| format!("`{n}`"))
                .collect();
            let impersonate = verbs.iter().any(|v| v.as_str() == Some("impersonate"));
            let what = match (impersonate, verbs.len() > usize::from(impersonate)) {
                (true, true) => {
                    "act as other identities and grant themselves permissions they do not hold"
                }
                (true, false) => "act as other users, groups or ServiceAccounts",
                _ => "grant themselves permissions they do not hold",
            };
            ctx.report(
                first.site_range(),
                format!(
                    "{} grants {}, which lets its subjects {what}",
                    object.display(),
                    join_and(&names)
                ),
            )
            .help("drop the verb, or restrict it with `resourceNames` to the roles or identities it must reach")
            .resource(object.display());
        }
    }
}
