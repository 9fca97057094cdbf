use cw_model::kubernetes::{Container, Object};
use cw_syntax::yaml::Node;

use super::helpers::{container_label, insert_nested, is_opaque};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers (app, init and ephemeral) that run without a seccomp profile: neither the
    /// container's nor the pod's `securityContext.seccompProfile` sets `type: RuntimeDefault` or
    /// `Localhost`, and no legacy `seccomp.security.alpha.kubernetes.io` annotation of the pod
    /// template does. An explicit `Unconfined` is K8S044's business; a profile we cannot read
    /// (templated) is not reported; Windows pods are not checked (seccomp is Linux-only).
    ///
    /// When no container and not the pod set a profile, the rule reports once, on the object,
    /// since one setting in the pod's `securityContext` covers every container; otherwise it
    /// reports each container that runs without one.
    ///
    /// ## Why is this bad?
    /// Unless the kubelet runs with `--seccomp-default` (off by default), a container without a
    /// profile runs `Unconfined`: every system call of the kernel is available to it, including
    /// the rarely used ones behind most container-escape vulnerabilities (`unshare`, `keyctl`,
    /// `bpf`, `userfaultfd`...). The runtime's default profile blocks them and nearly every
    /// application works with it. The Pod Security Standards' restricted profile requires it.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.0
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `seccompProfile: {type: RuntimeDefault}` to the pod's `securityContext`
    /// (creating it when needed; pods written as flow mappings get no fix), which applies to every
    /// container that sets no profile of its own. It is marked safe: the runtime's default profile
    /// only blocks system calls that ordinary applications do not make; a workload that needs one
    /// of them (some debuggers, sandboxes, old JVMs on old kernels) should set a `Localhost` profile.
    ///
    /// ## References
    /// - [Kubernetes: Restrict a Container's Syscalls with seccomp](https://kubernetes.io/docs/tutorials/security/seccomp/)
    /// - [Kubernetes: Pod Security Standards, Seccomp](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
    pub struct SeccompNotRuntimeDefault {
        code: "K8S043",
        name: "seccomp-not-runtime-default",
        category: Security,
        severity: Warning,
        fix: Sometimes,
        peers: [
            Trivy("KSV030"),
            Checkov("CKV_K8S_31"),
            KubeScore("container-seccomp-profile"),
        ],
    }
}

/// The legacy pod-wide seccomp annotation.
const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
/// The legacy per-container seccomp annotation prefix.
const CONTAINER_ANNOTATION: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// Whether a `seccompProfile` is set (to anything: `Unconfined` is K8S044's business, and a value
/// we cannot read is unknown).
fn has_profile(node: Option<&Node>) -> bool {
    node.is_some_and(|n| !n.is_null())
}

/// Whether a legacy annotation gives the container a profile (any value: `unconfined` is K8S044's).
fn annotated(object: &Object<'_>, container: &Container<'_>) -> bool {
    let Some(annotations) = object.template_annotations() else {
        return false;
    };
    annotations.get(POD_ANNOTATION).is_some()
        || annotations
            .get(&format!("{CONTAINER_ANNOTATION}{}", container.name_str()))
            .is_some()
}

impl Rule for SeccompNotRuntimeDefault {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let pod_security = pod.get("securityContext");
        if pod.is_windows() || is_opaque(pod_security) {
            return;
        }
        let pod_profile = pod.security_context().and_then(|s| s.get("seccompProfile"));
        if has_profile(pod_profile) {
            return;
        }
        let missing: Vec<Container<'_>> = pod
            .all_containers()
            .filter(|c| !is_opaque(c.get("securityContext")))
            .filter(|c| !has_profile(c.security("seccompProfile")))
            .filter(|c| !annotated(&object, c))
            .collect();
        if missing.is_empty() {
            return;
        }
        let fix = insert_nested(
            ctx,
            pod.node,
            &["securityContext", "seccompProfile"],
            "type: RuntimeDefault",
        );
        let title = "Set `seccompProfile.type: RuntimeDefault` for the pod";
        let help = "set `seccompProfile: {type: RuntimeDefault}` in the pod's `securityContext`";
        if missing.len() == pod.all_containers().count() {
            let finding = ctx
                .report(
                    object.site(),
                    format!(
                        "{} sets no seccomp profile for its pod or any of its containers",
                        object.display()
                    ),
                )
                .help(help)
                .resource(object.display());
            if let Some(edit) = fix {
                finding.fix(Fix::safe(title, vec![edit]));
            }
            return;
        }
        for container in missing {
            let finding = ctx
                .report(
                    container.site(),
                    format!(
                        "{} runs without a seccomp profile",
                        container_label(&container)
                    ),
                )
                .help(help)
                .resource(container.display());
            if let Some(edit) = fix.clone() {
                finding.fix(Fix::safe(title, vec![edit]));
            }
        }
    }
}
