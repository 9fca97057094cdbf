use super::helpers::{Flag, container_label, read_flag};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers (app, init and ephemeral) whose `securityContext.privileged` is `true`, and
    /// Windows HostProcess containers (`securityContext.windowsOptions.hostProcess: true`, in the
    /// container or in the pod), the Windows counterpart of a privileged container.
    ///
    /// ## Why is this bad?
    /// A privileged container gets every capability, every host device and no seccomp, AppArmor or
    /// SELinux confinement: a process that breaks out of the workload, or simply writes to
    /// `/dev/sda` or loads a kernel module, owns the node and every pod on it. A HostProcess
    /// container runs directly on the Windows host with the host's network and file system.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: agent
    ///     image: example/agent:1.0
    ///     securityContext:
    ///       privileged: true
    /// ```
    ///
    /// Use instead: grant only the capabilities and devices the container needs.
    /// ```yaml
    /// containers:
    ///   - name: agent
    ///     image: example/agent:1.0
    ///     securityContext:
    ///       capabilities:
    ///         drop: [ALL]
    ///         add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Pod Security Standards, Privileged Containers](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - [Kubernetes: Configure a Security Context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - [Kubernetes: Windows HostProcess pods](https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/)
    pub struct PrivilegedContainer {
        code: "K8S001",
        name: "privileged-container",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            KubeLinter("privileged-container"),
            Checkov("CKV_K8S_16"),
            Trivy("KSV017"),
            Polaris("runAsPrivileged"),
            Kics("Container is privileged"),
        ],
    }
}

impl Rule for PrivilegedContainer {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        let host_process = |sc: Option<&cw_syntax::yaml::Node>| {
            read_flag(sc.and_then(|s| s.path(&["windowsOptions", "hostProcess"])))
        };
        if let Flag::Known(on) = host_process(pod.security_context())
            && on.value
        {
            ctx.report(
                on.range,
                format!(
                    "{} runs its containers as Windows HostProcess containers (`hostProcess: true`)",
                    object.display()
                ),
            )
            .help("run only node agents as HostProcess containers, in a namespace of their own")
            .resource(object.display());
        }
        for container in pod.all_containers() {
            if let Flag::Known(privileged) = read_flag(container.security("privileged"))
                && privileged.value
            {
                ctx.report(
                    privileged.range,
                    format!("{} runs privileged", container_label(&container)),
                )
                .help("remove `privileged: true`; add only the capabilities and devices it needs")
                .resource(container.display());
            }
            if let Flag::Known(on) = host_process(container.security_context())
                && on.value
            {
                ctx.report(
                    on.range,
                    format!(
                        "{} runs as a Windows HostProcess container (`hostProcess: true`)",
                        container_label(&container)
                    ),
                )
                .help("run only node agents as HostProcess containers, in a namespace of their own")
                .resource(container.display());
            }
        }
    }
}
