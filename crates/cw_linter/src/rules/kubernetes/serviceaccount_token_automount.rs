use super::helpers::{Flag, insert_nested, read_flag};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags workloads that run as their namespace's `default` service account (no
    /// `serviceAccountName`, or `default`) and leave `automountServiceAccountToken` unset, so
    /// Kubernetes mounts that account's API token into every container.
    ///
    /// Not reported: workloads that set `automountServiceAccountToken` either way (an explicit
    /// `true` says the workload calls the API; K8S036 then advises an account of its own), and
    /// workloads with a service account of their own, which usually exists because the workload
    /// calls the API (that account can also turn automounting off for all its pods).
    ///
    /// ## Why is this bad?
    /// Most applications never talk to the Kubernetes API, yet each of their containers gets a
    /// token at `/var/run/secrets/kubernetes.io/serviceaccount/token`. Whoever gets code execution
    /// in the container can use it to explore the cluster, and to do whatever RoleBindings grant
    /// the `default` account, now or later.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: example/app:1.4.2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// spec:
    ///   template:
    ///     spec:
    ///       automountServiceAccountToken: false
    ///       containers:
    ///         - name: app
    ///           image: example/app:1.4.2
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `automountServiceAccountToken: false` to the pod spec (block mappings only). It
    /// is unsafe: a workload that does use the token, for example to log in to Vault with the
    /// Kubernetes auth method or to read ConfigMaps through a RoleBinding to `default`, can no
    /// longer authenticate. Such a workload should set `automountServiceAccountToken: true`
    /// explicitly, and preferably run as a service account of its own.
    ///
    /// ## References
    /// - [Configure service accounts for pods: opt out of API credential automounting](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting)
    /// - [Service accounts](https://kubernetes.io/docs/concepts/security/service-accounts/)
    pub struct ServiceaccountTokenAutomount {
        code: "K8S035",
        name: "serviceaccount-token-automount",
        category: Security,
        severity: Info,
        fix: Sometimes,
        peers: [
            Checkov("CKV_K8S_38"),
            Trivy("KSV036"),
            Polaris("automountServiceAccountToken"),
        ],
    }
}

impl Rule for ServiceaccountTokenAutomount {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        if read_flag(pod.get("automountServiceAccountToken")) != Flag::Absent {
            return;
        }
        // `serviceAccountName: ""` is the default account too; so is a null value.
        let account = ["serviceAccountName", "serviceAccount"]
            .iter()
            .find_map(|k| pod.get(k).filter(|n| !n.is_null()));
        if account.is_some_and(|a| !matches!(a.as_str().map(str::trim), Some("default" | ""))) {
            return;
        }
        let edit = insert_nested(ctx, pod.node, &[], "automountServiceAccountToken: false");
        let finding = ctx
            .report(
                object.site(),
                format!(
                    "{} runs as the `default` service account and mounts its API token",
                    object.display()
                ),
            )
            .help("set `automountServiceAccountToken: false` in the pod spec unless the workload calls the Kubernetes API")
            .resource(object.display());
        if let Some(edit) = edit {
            finding.fix(Fix::unsafe_edit(
                "Set `automountServiceAccountToken: false`",
                vec![edit],
            ));
        }
    }
}
