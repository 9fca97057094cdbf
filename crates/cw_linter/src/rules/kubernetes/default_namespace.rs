use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags workloads (Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets,
    /// ReplicationControllers, Jobs and CronJobs) whose manifest sets `metadata.namespace: default`.
    ///
    /// A manifest without a namespace is not reported: its namespace is chosen when it is deployed
    /// (`kubectl apply -n`, `helm install --namespace`, an Argo CD or Flux destination), which is
    /// the usual way to write reusable manifests, and nothing in the file says it ends up in
    /// `default`. Objects whose namespace a Kustomize `namespace:` sets are not reported either.
    /// (kube-linter's `use-namespace` and Checkov's `CKV_K8S_21` also report a missing namespace;
    /// Trivy's `KSV110`, like this rule, only an explicit `default`.)
    ///
    /// ## Why is this bad?
    /// The `default` namespace is where everything without a home lands. Workloads there share
    /// RBAC bindings, resource quotas, network policies and Pod Security admission levels with
    /// whatever else was dropped there, so none of these can be scoped to the workload, and the
    /// namespace cannot be handed to one team.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: default
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// ```
    ///
    /// ## References
    /// - [Namespaces](https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/)
    /// - [Multi-tenancy](https://kubernetes.io/docs/concepts/security/multi-tenancy/)
    pub struct DefaultNamespace {
        code: "K8S028",
        name: "default-namespace",
        category: Maintainability,
        severity: Warning,
        fix: None,
        peers: [KubeLinter("use-namespace"), Checkov("CKV_K8S_21"), Trivy("KSV110")],
    }
}

impl Rule for DefaultNamespace {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        if object.workload_kind().is_none() || object.data.namespace_set_by.is_some() {
            return;
        }
        let Some(namespace) = object.namespace() else {
            return;
        };
        if namespace.value.trim() != "default" {
            return;
        }
        ctx.report(
            namespace.range,
            format!("{} is deployed in the `default` namespace", object.display()),
        )
        .help("give the workload a namespace of its own, or leave `metadata.namespace` out and choose it at deploy time")
        .resource(object.display());
    }
}
