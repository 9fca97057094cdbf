use super::helpers::{join_and, policy_rules};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags rules of Roles and ClusterRoles that list `*` in `verbs`, `resources` or `apiGroups`
    /// (one finding per rule, at its first wildcard). Aggregated ClusterRoles (with an
    /// `aggregationRule`) are skipped: the controller writes their rules from the roles they
    /// aggregate.
    ///
    /// ## Why is this bad?
    /// A wildcard grants everything of its kind, including verbs and resources that do not exist
    /// yet: a CRD installed next year, a new subresource such as `pods/ephemeralcontainers`. Least
    /// privilege is impossible to review when the role does not say what it grants; `*` verbs on
    /// roles include `escalate` and `bind`, and `*` resources include Secrets.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: deployer
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["*"]
    ///     verbs: ["*"]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "list", "watch", "update", "patch"]
    /// ```
    ///
    /// ## References
    /// - [Using RBAC Authorization](https://kubernetes.io/docs/reference/access-authn-authz/rbac/)
    /// - [Role Based Access Control Good Practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    pub struct RbacWildcard {
        code: "K8S029",
        name: "rbac-wildcard",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            KubeLinter("wildcard-in-rules"),
            Checkov("CKV_K8S_49"),
            Trivy("KSV044"),
            Trivy("KSV045"),
            Trivy("KSV046"),
            Kics("RBAC wildcard in rule"),
        ],
    }
}

impl Rule for RbacWildcard {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(rules) = policy_rules(&object) else {
            return;
        };
        for rule in rules {
            let mut wild: Vec<(&str, TextRange)> = ["verbs", "resources", "apiGroups"]
                .into_iter()
                .filter_map(|key| Some((key, rule.item(key, "*")?.site_range())))
                .collect();
            wild.sort_by_key(|(_, range)| range.start);
            let Some(&(_, range)) = wild.first() else {
                continue;
            };
            let fields: Vec<String> = wild.iter().map(|(k, _)| format!("`{k}`")).collect();
            let nouns: Vec<String> = wild
                .iter()
                .map(|(k, _)| {
                    match *k {
                        "verbs" => "verb",
                        "resources" => "resource",
                        _ => "API group",
                    }
                    .to_string()
                })
                .collect();
            ctx.report(
                range,
                format!(
                    "{} uses `*` in {}, granting every current and future {}",
                    object.display(),
                    join_and(&fields),
                    join_and(&nouns)
                ),
            )
            .help("list the verbs, resources and API groups the subjects need")
            .resource(object.display());
        }
    }
}
