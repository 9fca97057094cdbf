use super::helpers::{capabilities, capability_name, container_label, is_privileged};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers (app, init and ephemeral) that add a dangerous Linux capability in
    /// `securityContext.capabilities.add`: `ALL`, `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`,
    /// `SYS_MODULE`, `DAC_READ_SEARCH`, `SYS_RAWIO` or `BPF` (with or without the `CAP_` prefix,
    /// in any case). Privileged containers already have every capability and are K8S001's business.
    ///
    /// ## Why is this bad?
    /// `SYS_ADMIN` is nearly root on the node (mounts, namespaces, BPF) and turns privilege
    /// escalation on for good; `SYS_MODULE` loads kernel modules; `SYS_PTRACE` reads the memory of
    /// other processes in the pod (and of the host's with `hostPID`); `NET_ADMIN` reconfigures the
    /// pod's network and firewall; `DAC_READ_SEARCH` and `SYS_RAWIO` bypass file permissions and
    /// reach devices directly; `BPF` loads kernel programs. The Pod Security Standards' baseline
    /// profile forbids all of them.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     add: [SYS_ADMIN]
    /// ```
    ///
    /// Use instead: drop everything and add only narrow capabilities.
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: [ALL]
    ///     add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Pod Security Standards, Capabilities](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - [capabilities(7)](https://man7.org/linux/man-pages/man7/capabilities.7.html)
    pub struct DangerousCapabilityAdded {
        code: "K8S007",
        name: "dangerous-capability-added",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Checkov("CKV_K8S_39"),
            Trivy("KSV005"),
            Trivy("KSV022"),
            Trivy("KSV119"),
            Trivy("KSV120"),
            Polaris("dangerousCapabilities"),
        ],
    }
}

/// Capabilities that (nearly) give the host away.
const DANGEROUS: [&str; 8] = [
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "SYS_PTRACE",
    "SYS_MODULE",
    "DAC_READ_SEARCH",
    "SYS_RAWIO",
    "BPF",
];

impl Rule for DangerousCapabilityAdded {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        for container in pod.all_containers() {
            if is_privileged(&container) {
                continue;
            }
            for cap in capabilities(&container, "add") {
                let Some(text) = cap.as_str() else {
                    continue;
                };
                let name = capability_name(text);
                if !DANGEROUS.contains(&name.as_str()) {
                    continue;
                }
                ctx.report(
                    cap.site_range(),
                    format!("{} adds the capability `{name}`", container_label(&container)),
                )
                .help("add only narrow capabilities the container needs (for example `NET_BIND_SERVICE`)")
                .resource(container.display())
                .key(name);
            }
        }
    }
}
