use super::helpers::scalers_of;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Deployments, StatefulSets, ReplicaSets and ReplicationControllers that write
    /// `spec.replicas` while a HorizontalPodAutoscaler or KEDA ScaledObject targets them (by
    /// `scaleTargetRef` kind and name). An autoscaler without a namespace counts for every
    /// namespace; one whose target is templated is ignored.
    ///
    /// ## Why is this bad?
    /// The autoscaler owns the replica count. Every `kubectl apply`, Helm upgrade or GitOps sync
    /// resets it to the written value: a Deployment scaled out to 12 pods under load drops back to 3
    /// until the autoscaler reacts again, and Argo CD or Flux report the object as out of sync after
    /// every scaling event.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 3
    ///   maxReplicas: 10
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   # replicas: set by HorizontalPodAutoscaler/web
    /// ```
    ///
    /// ## Fix safety
    /// The fix turns the `replicas` entry into a comment (`# replicas: set by
    /// HorizontalPodAutoscaler/web`) in place, which keeps the file's layout and comments. It is
    /// offered when the entry is written in a block mapping of the manifest; not for flow mappings,
    /// JSON, values that come from an alias, or a count that a Kustomize `replicas` transformer or
    /// patch sets (the finding then points at the kustomization or the patch).
    ///
    /// It is marked safe, but with client-side `kubectl apply` the first apply after the change
    /// removes the field from the live object, which resets the workload to one replica until the
    /// autoscaler scales it up again. Remove the field from the last-applied configuration first
    /// (`kubectl apply edit-last-applied`), or use server-side apply, as the Kubernetes
    /// documentation on migrating to horizontal autoscaling describes.
    ///
    /// ## References
    /// - [Migrating Deployments and StatefulSets to horizontal autoscaling](https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling)
    /// - [Argo CD: leaving room for imperativeness](https://argo-cd.readthedocs.io/en/stable/user-guide/best_practices/#leaving-room-for-imperativeness)
    pub struct ReplicasSetWithHpa {
        code: "K8S041",
        name: "replicas-set-with-hpa",
        category: Reliability,
        severity: Warning,
        fix: Sometimes,
        peers: [KubeScore("deployment-targeted-by-hpa-does-not-have-replicas-configured")],
    }
}

impl Rule for ReplicasSetWithHpa {
    type Input = ClusterInput;
    type Options = NoOptions;

    fn check(&self, input: &ClusterInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = &object.pod else {
            return;
        };
        let Some(replicas) = &pod.replicas else {
            return;
        };
        let Some(scalers) = scalers_of(input) else {
            return;
        };
        let Some(scaler) = scalers.first() else {
            return;
        };
        let finding = ctx
            .report(
                replicas.range,
                format!(
                    "{} sets `replicas: {}` but {} scales it, so every apply resets the replica count",
                    object.display(),
                    replicas.value,
                    scaler.display()
                ),
            )
            .help("remove `replicas` from the manifest and set the floor in the autoscaler's minimum instead")
            .label(scaler.site, "the autoscaler that owns the replica count")
            .resource(object.display());
        if let Some(entry) = pod.replicas_entry {
            finding.fix(Fix::safe(
                format!(
                    "Replace `replicas` with a comment: {} sets it",
                    scaler.display()
                ),
                vec![Edit::replace(
                    entry,
                    format!("# replicas: set by {}", scaler.display()),
                )],
            ));
        }
    }
}
