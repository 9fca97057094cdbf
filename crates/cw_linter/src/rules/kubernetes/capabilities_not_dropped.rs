use cw_syntax::yaml::Node;

use super::helpers::{
    capability_name, container_label, insert_nested, is_opaque, is_privileged, is_templated,
};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers (app, init and ephemeral) whose `securityContext.capabilities.drop` does
    /// not include `ALL`. Privileged containers (K8S001's business) and Windows pods (capabilities
    /// are Linux-only) are not checked; a templated list is not reported.
    ///
    /// ## Why is this bad?
    /// Unless it drops them, a container keeps the runtime's default capabilities: `CHOWN`,
    /// `DAC_OVERRIDE`, `FOWNER`, `SETUID`, `SETGID`, `NET_BIND_SERVICE`, `KILL` and, with many
    /// runtimes, `NET_RAW`, which allows ARP and DNS spoofing of the node's other pods. Most
    /// applications need none of them. Dropping `ALL` and adding back only what is needed (usually
    /// nothing, or `NET_BIND_SERVICE`) is what the Pod Security Standards' restricted profile
    /// requires.
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
    ///       capabilities:
    ///         drop: [ALL]
    /// ```
    ///
    /// ## Fix safety
    /// When `capabilities.drop` is missing, the fix adds `drop: [ALL]` (creating `capabilities` and
    /// `securityContext` when needed; containers written as flow mappings get no fix). The fix is
    /// unsafe: a container that runs as root and changes file ownership, switches users (`gosu`,
    /// `su-exec`) or binds a port below 1024 needs those capabilities added back. A `drop` list
    /// without `ALL` is left for a human to complete.
    ///
    /// ## References
    /// - [Kubernetes: Pod Security Standards, Capabilities](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
    /// - [Kubernetes: Set capabilities for a Container](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container)
    /// - [capabilities(7)](https://man7.org/linux/man-pages/man7/capabilities.7.html)
    pub struct CapabilitiesNotDropped {
        code: "K8S006",
        name: "capabilities-not-dropped",
        category: Security,
        severity: Warning,
        fix: Sometimes,
        peers: [
            Trivy("KSV003"),
            Checkov("CKV_K8S_37"),
            KubeLinter("drop-net-raw-capability"),
            Polaris("insecureCapabilities"),
        ],
    }
}

impl Rule for CapabilitiesNotDropped {
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
            let security = container.get("securityContext");
            let caps = container.security("capabilities");
            let drop = caps.and_then(|c| c.get("drop"));
            if is_privileged(&container)
                || is_opaque(security)
                || is_opaque(caps)
                || drop.is_some_and(|d| !d.is_seq() && !d.is_null())
            {
                continue;
            }
            let items = drop.map_or(&[][..], Node::items);
            let names: Vec<&str> = items.iter().filter_map(Node::as_str).collect();
            if names.len() != items.len() || names.iter().any(|n| is_templated(n)) {
                continue;
            }
            if names.iter().any(|n| capability_name(n) == "ALL") {
                continue;
            }
            let label = container_label(&container);
            if let Some(drop) = drop.filter(|d| !d.is_null()) {
                ctx.report(
                    drop.site_range(),
                    format!(
                        "{label} does not drop all capabilities (no `ALL` in `capabilities.drop`)"
                    ),
                )
                .help("drop `ALL` and add back only the capabilities the container needs")
                .resource(container.display());
                continue;
            }
            let site = container
                .security_context()
                .and_then(|s| s.key_range("capabilities"))
                .unwrap_or_else(|| container.site());
            let fix = insert_nested(
                ctx,
                container.node,
                &["securityContext", "capabilities"],
                "drop: [ALL]",
            );
            let finding = ctx
                .report(
                    site,
                    format!("{label} does not drop all capabilities (`capabilities.drop: [ALL]`)"),
                )
                .help("add `capabilities: {drop: [ALL]}` to the container's `securityContext`, and `add` only what it needs")
                .resource(container.display());
            if let Some(edit) = fix {
                finding.fix(Fix::unsafe_edit("Drop all capabilities", vec![edit]));
            }
        }
    }
}
