use super::helpers::{Setting, container_label, is_opaque, read_flag, read_int};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `runAsUser: 0`: in a container's `securityContext` (app, init or ephemeral), or in the
    /// pod's when at least one container inherits it (does not set its own `runAsUser`). Windows
    /// pods, where `runAsUser` does not apply, are not checked.
    ///
    /// ## Why is this bad?
    /// UID 0 is root: the process can read and write every file of the container, use every
    /// capability the container keeps, and is one kernel or runtime bug away from root on the node.
    /// Setting it explicitly overrides a non-root `USER` in the image. Combined with
    /// `runAsNonRoot: true` the kubelet refuses to start the container.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   runAsUser: 0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// securityContext:
    ///   runAsNonRoot: true
    ///   runAsUser: 10001
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Pod Security Standards, Running as Non-root user](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
    /// - [Kubernetes: Configure a Security Context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    pub struct RunAsUidZero {
        code: "K8S004",
        name: "run-as-uid-zero",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Trivy("KSV105")],
    }
}

impl Rule for RunAsUidZero {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        if pod.is_windows() {
            return;
        }
        let help = |non_root: bool| {
            if non_root {
                "`runAsNonRoot: true` makes the kubelet refuse this container: set a non-root `runAsUser` (for example 10001)"
            } else {
                "run as a non-root user: set `runAsUser` to a non-zero UID (for example 10001) and `runAsNonRoot: true`"
            }
        };
        let non_root = |c: &cw_model::kubernetes::Container<'_>| {
            matches!(
                read_flag(c.effective_security("runAsNonRoot").map(|i| i.node)),
                Setting::Known(b) if b.value
            )
        };
        let mut inherits = None;
        for container in pod.all_containers() {
            if is_opaque(container.get("securityContext")) {
                continue;
            }
            match read_int(container.security("runAsUser")) {
                Setting::Known(uid) if uid.value == 0 => {
                    ctx.report(
                        uid.range,
                        format!(
                            "{} runs as root (`runAsUser: 0`)",
                            container_label(&container)
                        ),
                    )
                    .help(help(non_root(&container)))
                    .resource(container.display());
                }
                Setting::Absent => {
                    inherits.get_or_insert(non_root(&container));
                }
                Setting::Known(_) | Setting::Unknown => {}
            }
        }
        let pod_uid = read_int(pod.security_context().and_then(|s| s.get("runAsUser")));
        if let (Some(non_root), Setting::Known(uid)) = (inherits, pod_uid)
            && uid.value == 0
        {
            ctx.report(
                uid.range,
                format!(
                    "{} runs its containers as root (`runAsUser: 0` in the pod's `securityContext`)",
                    object.display()
                ),
            )
            .help(help(non_root))
            .resource(object.display());
        }
    }
}
