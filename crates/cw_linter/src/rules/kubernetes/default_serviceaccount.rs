use cw_syntax::yaml::Node;

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags two ways of giving the `default` service account of a namespace an identity that
    /// matters:
    ///
    /// - a workload that runs as the `default` service account (no `serviceAccountName`, or
    ///   `default`) and explicitly mounts its token (`automountServiceAccountToken: true`), that is,
    ///   a workload that talks to the API server as `default`;
    /// - a RoleBinding or ClusterRoleBinding whose subject is a `default` service account.
    ///
    /// Workloads that run as `default` without asking for its token are K8S035's business: they
    /// should not mount it at all.
    ///
    /// ## Why is this bad?
    /// Every pod of a namespace that does not name a service account runs as `default`. Whatever
    /// the `default` account may do, every one of those pods may do too, including pods added
    /// later by other teams, and nothing tells the API server's audit log which workload made a
    /// call. A service account per workload keeps permissions to what that workload needs.
    ///
    /// ## Example
    /// ```yaml
    /// kind: RoleBinding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// metadata: {name: read-config, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}
    /// subjects:
    ///   - {kind: ServiceAccount, name: default, namespace: shop}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: RoleBinding
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// metadata: {name: read-config, namespace: shop}
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}
    /// subjects:
    ///   - {kind: ServiceAccount, name: config-sync, namespace: shop}
    /// ```
    /// with `serviceAccountName: config-sync` in the workload that needs the permission.
    ///
    /// ## References
    /// - [Service accounts](https://kubernetes.io/docs/concepts/security/service-accounts/)
    /// - [RBAC good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    /// - [Configure service accounts for pods](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/)
    pub struct DefaultServiceaccount {
        code: "K8S036",
        name: "default-serviceaccount",
        category: Security,
        severity: Info,
        fix: None,
        peers: [
            KubeLinter("default-service-account"),
            Checkov("CKV_K8S_41"),
            Checkov("CKV_K8S_42"),
        ],
    }
}

impl Rule for DefaultServiceaccount {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        if let Some(pod) = object.pod_spec() {
            let account = pod.service_account_name().map(|s| s.value.trim());
            if !matches!(account, None | Some("" | "default")) {
                return;
            }
            let Some(automount) = pod.automount_service_account_token() else {
                return;
            };
            if automount.value {
                ctx.report(
                    automount.range,
                    format!(
                        "{} mounts the token of the `default` service account",
                        object.display()
                    ),
                )
                .help("create a ServiceAccount for this workload, bind it only the roles it needs, and set `serviceAccountName`")
                .resource(object.display());
            }
            return;
        }
        let kind = object.kind_str();
        if object.group() != "rbac.authorization.k8s.io"
            || !matches!(kind, "RoleBinding" | "ClusterRoleBinding")
        {
            return;
        }
        let role = object
            .path(&["roleRef", "name"])
            .and_then(Node::as_str)
            .unwrap_or("");
        for subject in object.get("subjects").map_or(&[][..], Node::items) {
            if subject.get("kind").and_then(Node::as_str) != Some("ServiceAccount") {
                continue;
            }
            let Some(name) = subject
                .get("name")
                .filter(|n| n.as_str() == Some("default"))
            else {
                continue;
            };
            let namespace = subject
                .get("namespace")
                .and_then(Node::as_str)
                .or_else(|| object.namespace().map(|n| n.value));
            let whose = namespace.map_or_else(
                || "its namespace".to_string(),
                |n| format!("namespace `{n}`"),
            );
            ctx.report(
                name.site_range(),
                format!(
                    "{} grants `{role}` to the `default` service account of {whose}",
                    object.display()
                ),
            )
            .help("bind the role to a service account created for the workload that needs it")
            .resource(object.display());
        }
    }
}
