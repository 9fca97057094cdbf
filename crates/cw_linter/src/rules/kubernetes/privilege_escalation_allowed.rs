use super::helpers::{
    Flag, capabilities, capability_name, container_label, insert_nested, is_opaque, is_privileged,
    read_flag,
};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers (app, init and ephemeral) that do not set
    /// `securityContext.allowPrivilegeEscalation: false`, or set it to `true`. Privileged containers
    /// and containers that add `SYS_ADMIN` always allow escalation (Kubernetes rejects `false` for
    /// them) and are left to K8S001 and K8S007. Windows pods are not checked: the setting is
    /// Linux-only.
    ///
    /// ## Why is this bad?
    /// Unless the field is `false`, the container's processes can gain more privileges than their
    /// parent through setuid and setgid binaries (`su`, `sudo`, a planted setuid shell) or file
    /// capabilities. With it, the kernel's `no_new_privs` flag is set and `execve` never grants more
    /// privileges. The Pod Security Standards' restricted profile requires it.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.0
    ///     securityContext:
    ///       allowPrivilegeEscalation: false
    /// ```
    ///
    /// ## Fix safety
    /// When the field is missing, the fix adds `allowPrivilegeEscalation: false` to the container's
    /// `securityContext` (creating it when needed, at the file's indentation; containers written as
    /// flow mappings get no fix). It is safe unless the container runs setuid programs on purpose,
    /// which is rare in containers. An explicit `true` is left for a human to change.
    ///
    /// ## References
    /// - [Kubernetes: Pod Security Standards, Privilege Escalation](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
    /// - [Kubernetes: Configure a Security Context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - [Linux no_new_privs](https://docs.kernel.org/userspace-api/no_new_privs.html)
    pub struct PrivilegeEscalationAllowed {
        code: "K8S002",
        name: "privilege-escalation-allowed",
        category: Security,
        severity: Error,
        fix: Sometimes,
        peers: [
            KubeLinter("privilege-escalation-container"),
            Checkov("CKV_K8S_20"),
            Trivy("KSV001"),
            Polaris("privilegeEscalationAllowed"),
            Kics("Privilege escalation allowed"),
        ],
    }
}

impl Rule for PrivilegeEscalationAllowed {
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
        for container in pod.all_containers() {
            let adds_sys_admin = capabilities(&container, "add")
                .iter()
                .filter_map(|c| c.as_str())
                .any(|c| capability_name(c) == "SYS_ADMIN");
            if is_privileged(&container)
                || adds_sys_admin
                || is_opaque(container.get("securityContext"))
            {
                continue;
            }
            match read_flag(container.security("allowPrivilegeEscalation")) {
                Flag::Known(allowed) if allowed.value => {
                    ctx.report(
                        allowed.range,
                        format!(
                            "{} allows privilege escalation (`allowPrivilegeEscalation: true`)",
                            container_label(&container)
                        ),
                    )
                    .help("set `allowPrivilegeEscalation: false` unless the container needs setuid binaries")
                    .resource(container.display());
                }
                Flag::Absent => {
                    let fix = insert_nested(
                        ctx,
                        container.node,
                        &["securityContext"],
                        "allowPrivilegeEscalation: false",
                    );
                    let finding = ctx
                        .report(
                            container.site(),
                            format!(
                                "{} does not set `allowPrivilegeEscalation: false`",
                                container_label(&container)
                            ),
                        )
                        .help("add `allowPrivilegeEscalation: false` to the container's `securityContext`")
                        .resource(container.display());
                    if let Some(edit) = fix {
                        finding.fix(Fix::safe(
                            "Set `allowPrivilegeEscalation: false`",
                            vec![edit],
                        ));
                    }
                }
                Flag::Known(_) | Flag::Unknown => {}
            }
        }
    }
}
