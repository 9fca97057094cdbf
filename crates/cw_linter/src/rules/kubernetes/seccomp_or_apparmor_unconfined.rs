use cw_syntax::yaml::Node;

use super::helpers::container_label;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags explicitly unconfined seccomp and AppArmor profiles: `seccompProfile.type: Unconfined`
    /// and `appArmorProfile.type: Unconfined` in the pod's or a container's `securityContext`, and
    /// the legacy pod template annotations `seccomp.security.alpha.kubernetes.io/pod`,
    /// `container.seccomp.security.alpha.kubernetes.io/<container>` and
    /// `container.apparmor.security.beta.kubernetes.io/<container>` set to `unconfined`. Windows
    /// pods are not checked (both are Linux-only).
    ///
    /// ## Why is this bad?
    /// Seccomp filters the system calls a container may make, and AppArmor restricts the files,
    /// mounts and capabilities its processes may use; the runtime's default profiles block the
    /// calls and operations behind most container escapes. `Unconfined` turns that layer off for
    /// the whole pod or container. The Pod Security Standards' baseline profile forbids it.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   seccompProfile:
    ///     type: Unconfined
    /// ```
    ///
    /// Use instead: the runtime's default profile, or a `Localhost` profile that allows the extra
    /// system calls the workload needs.
    /// ```yaml
    /// securityContext:
    ///   seccompProfile:
    ///     type: RuntimeDefault
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Restrict a Container's Syscalls with seccomp](https://kubernetes.io/docs/tutorials/security/seccomp/)
    /// - [Kubernetes: Restrict a Container's Access to Resources with AppArmor](https://kubernetes.io/docs/tutorials/security/apparmor/)
    /// - [Kubernetes: Pod Security Standards, Seccomp and AppArmor](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    pub struct SeccompOrApparmorUnconfined {
        code: "K8S044",
        name: "seccomp-or-apparmor-unconfined",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Trivy("KSV104"), Trivy("KSV002")],
    }
}

/// The `type` value of a `seccompProfile` or `appArmorProfile` set to `Unconfined`.
fn unconfined(security: Option<&Node>, key: &str) -> Option<TextRange> {
    let t = security?.get(key)?.get("type")?;
    (t.as_str() == Some("Unconfined")).then(|| t.site_range())
}

const SECCOMP_POD: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER: &str = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_CONTAINER: &str = "container.apparmor.security.beta.kubernetes.io/";

impl Rule for SeccompOrApparmorUnconfined {
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
        let display = object.display();
        for (key, what) in [
            ("seccompProfile", "seccomp filtering"),
            ("appArmorProfile", "AppArmor"),
        ] {
            if let Some(range) = unconfined(pod.security_context(), key) {
                ctx.report(
                    range,
                    format!("{display} disables {what} for its pod (`{key}.type: Unconfined`)"),
                )
                .help("use `type: RuntimeDefault`, or a `Localhost` profile that allows what the workload needs")
                .resource(display.clone());
            }
        }
        for container in pod.all_containers() {
            for (key, what) in [
                ("seccompProfile", "seccomp filtering"),
                ("appArmorProfile", "AppArmor"),
            ] {
                if let Some(range) = unconfined(container.security_context(), key) {
                    ctx.report(
                        range,
                        format!(
                            "{} disables {what} (`{key}.type: Unconfined`)",
                            container_label(&container)
                        ),
                    )
                    .help("use `type: RuntimeDefault`, or a `Localhost` profile that allows what the container needs")
                    .resource(container.display());
                }
            }
        }
        let Some(annotations) = object.template_annotations() else {
            return;
        };
        for (key, value) in annotations.pairs() {
            if value.as_str() != Some("unconfined") {
                continue;
            }
            let (what, whom) = if key == SECCOMP_POD {
                ("seccomp filtering", "its pod".to_string())
            } else if let Some(c) = key.strip_prefix(SECCOMP_CONTAINER) {
                ("seccomp filtering", format!("container `{c}`"))
            } else if let Some(c) = key.strip_prefix(APPARMOR_CONTAINER) {
                ("AppArmor", format!("container `{c}`"))
            } else {
                continue;
            };
            ctx.report(
                value.site_range(),
                format!("{display} disables {what} for {whom} (`{key}: unconfined`)"),
            )
            .help("remove the annotation and set `type: RuntimeDefault` in the `securityContext`")
            .resource(display.clone());
        }
    }
}
