use super::helpers::policy_rules;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles with a rule that grants `create` or `get` (or `*`) on
    /// `pods/exec` or `pods/attach` of the core API group, unless `resourceNames` restricts it to
    /// named pods. (`get` is what older clients used to open the stream over WebSockets, and what
    /// Kubernetes accepted before it required `create` for them.) Rules with `resources: ["*"]` are
    /// K8S029's business; aggregated ClusterRoles are skipped.
    ///
    /// ## Why is this bad?
    /// `pods/exec` is a shell in every pod the role reaches, with that pod's ServiceAccount token,
    /// mounted Secrets and network position; `pods/attach` reaches the main process's terminal. Both
    /// bypass whatever the workload's own access controls are.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: support
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/exec"]
    ///     verbs: ["get", "create"]
    /// ```
    ///
    /// Use instead: grant exec in a Role of the namespaces that need it, to a break-glass group,
    /// or use ephemeral debug containers under an audited process.
    ///
    /// ## References
    /// - [Role Based Access Control Good Practices: exec into pods](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    /// - [kubectl exec](https://kubernetes.io/docs/reference/kubectl/generated/kubectl_exec/)
    pub struct RbacPodExec {
        code: "K8S032",
        name: "rbac-pod-exec",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [
            Trivy("KSV053"),
            Trivy("KSV054"),
            Checkov("CKV2_K8S_2"),
            Polaris("clusterrolePodExecAttach"),
        ],
    }
}

impl Rule for RbacPodExec {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(rules) = policy_rules(&object) else {
            return;
        };
        let scope = if object.kind_str() == "ClusterRole" {
            "where it is bound"
        } else {
            "of its namespace"
        };
        for rule in rules {
            if !rule.in_group("") || rule.restricted_to_names() {
                continue;
            }
            let Some(verb) = ["create", "get", "*"]
                .into_iter()
                .find(|v| rule.item("verbs", v).is_some())
            else {
                continue;
            };
            for (sub, what) in [
                ("pods/exec", "a shell in"),
                ("pods/attach", "the console of"),
            ] {
                let Some(resource) = rule.item("resources", sub) else {
                    continue;
                };
                ctx.report(
                    resource.site_range(),
                    format!(
                        "{} grants `{verb}` on `{sub}`: {what} every pod {scope}",
                        object.display()
                    ),
                )
                .help("grant exec only in the namespaces that need it, to a break-glass group, or use audited debug containers")
                .resource(object.display());
            }
        }
    }
}
