use super::helpers::policy_rules;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags ClusterRoles with a rule that grants `get`, `list` or `watch` (or `*`) on `secrets` of
    /// the core API group without restricting it to named Secrets (`resourceNames`).
    ///
    /// Only ClusterRoles are checked: they are what grants access across namespaces, while a Role
    /// that reads the Secrets of its own namespace is often what an operator needs. Rules with
    /// `resources: ["*"]` are K8S029's business; aggregated ClusterRoles are skipped.
    ///
    /// ## Why is this bad?
    /// Secrets hold database passwords, API keys, TLS keys and ServiceAccount tokens. A subject that
    /// can list them everywhere holds the credentials of every workload of the cluster, and `list`
    /// and `watch` return the values, not only the names.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: reader
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// Use instead: a Role in the namespace that holds the Secret, restricted to it.
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: reader
    ///   namespace: app
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     resourceNames: ["app-config"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - [Role Based Access Control Good Practices: listing secrets](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets)
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    pub struct RbacSecretsRead {
        code: "K8S031",
        name: "rbac-secrets-read",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [
            KubeLinter("access-to-secrets"),
            Trivy("KSV041"),
            Trivy("KSV113"),
            Checkov("CKV2_K8S_5"),
            Kics("RBAC roles with read secrets permissions"),
        ],
    }
}

impl Rule for RbacSecretsRead {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        if object.kind_str() != "ClusterRole" {
            return;
        }
        let Some(rules) = policy_rules(&object) else {
            return;
        };
        for rule in rules {
            if !rule.in_group("") || rule.restricted_to_names() {
                continue;
            }
            let Some(secrets) = rule.item("resources", "secrets") else {
                continue;
            };
            let verbs: Vec<String> = ["get", "list", "watch", "*"]
                .into_iter()
                .filter(|v| rule.item("verbs", v).is_some())
                .map(|v| format!("`{v}`"))
                .collect();
            if verbs.is_empty() {
                continue;
            }
            ctx.report(
                secrets.site_range(),
                format!(
                    "{} can read every Secret of the cluster ({})",
                    object.display(),
                    verbs.join(", ")
                ),
            )
            .help("grant it in a Role of the namespace that holds the Secret, restricted with `resourceNames`")
            .resource(object.display());
        }
    }
}
