use cw_syntax::yaml::Node;

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings that bind the `cluster-admin` ClusterRole, one
    /// finding per subject. The group `system:masters` is not reported: its members bypass
    /// authorization anyway, and Kubernetes' own `cluster-admin` binding names it.
    ///
    /// Every other subject is reported: ServiceAccounts (a workload identity whose token is mounted
    /// in pods), users and groups, and above all the groups every identity belongs to
    /// (`system:authenticated`, `system:unauthenticated`, `system:serviceaccounts`). A RoleBinding
    /// grants the role within its namespace only, which is still full control of everything there,
    /// Secrets and RBAC included.
    ///
    /// ## Why is this bad?
    /// `cluster-admin` can do anything to any object. A pod running as a ServiceAccount bound to it
    /// is one remote code execution away from owning the cluster, and a human identity bound to it
    /// should go through a break-glass process rather than a standing binding.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: ci
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: ci
    ///     namespace: ci
    /// ```
    ///
    /// Use instead: a ClusterRole (or a namespaced Role) that lists what the subject needs, bound
    /// in the namespaces where it needs it.
    ///
    /// ## References
    /// - [Using RBAC Authorization: user-facing roles](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles)
    /// - [Role Based Access Control Good Practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    pub struct ClusterAdminBinding {
        code: "K8S030",
        name: "cluster-admin-binding",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            KubeLinter("cluster-admin-role-binding"),
            Trivy("KSV111"),
            Polaris("clusterrolebindingClusterAdmin"),
        ],
    }
}

/// How a subject is named in messages: `ServiceAccount ci/deployer`, `Group system:authenticated`.
fn subject_label(subject: &Node) -> String {
    let kind = subject
        .get("kind")
        .and_then(Node::as_str)
        .unwrap_or("subject");
    let name = subject.get("name").and_then(Node::as_str).unwrap_or("");
    match subject.get("namespace").and_then(Node::as_str) {
        Some(ns) if kind == "ServiceAccount" => format!("{kind} {ns}/{name}"),
        _ => format!("{kind} {name}"),
    }
}

/// Who a built-in group that identities join automatically stands for.
fn everyone(group: &str) -> Option<String> {
    Some(match group {
        "system:authenticated" => "every authenticated user and ServiceAccount".to_string(),
        "system:unauthenticated" => "every anonymous request".to_string(),
        "system:serviceaccounts" => "every ServiceAccount of the cluster".to_string(),
        _ => format!(
            "every ServiceAccount of namespace `{}`",
            group.strip_prefix("system:serviceaccounts:")?
        ),
    })
}

impl Rule for ClusterAdminBinding {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let kind = object.kind_str();
        if object.group() != "rbac.authorization.k8s.io"
            || !matches!(kind, "RoleBinding" | "ClusterRoleBinding")
        {
            return;
        }
        let role = |key: &str| object.path(&["roleRef", key]).and_then(Node::as_str);
        if role("kind") != Some("ClusterRole") || role("name") != Some("cluster-admin") {
            return;
        }
        let scope = if kind == "RoleBinding" {
            match object.namespace() {
                Some(ns) => format!(" in namespace `{}`", ns.value),
                None => " in its namespace".to_string(),
            }
        } else {
            String::new()
        };
        for subject in object.get("subjects").map_or(&[][..], Node::items) {
            let name = subject.get("name").and_then(Node::as_str);
            let group = subject.get("kind").and_then(Node::as_str) == Some("Group");
            if group && name == Some("system:masters") {
                continue;
            }
            let who = if group { name.and_then(everyone) } else { None };
            let what = match who {
                Some(who) => format!("{}: {who}", subject_label(subject)),
                None => subject_label(subject),
            };
            let site = subject
                .get("name")
                .map_or(subject.site_range(), Node::site_range);
            ctx.report(
                site,
                format!(
                    "{} grants `cluster-admin`{scope} to {what}",
                    object.display()
                ),
            )
            .help("bind a role that lists only the permissions this subject needs")
            .resource(object.display());
        }
    }
}
