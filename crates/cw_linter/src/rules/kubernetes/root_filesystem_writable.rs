use cw_model::kubernetes::ContainerKind;

use super::helpers::{Setting, container_label, insert_nested, is_opaque, read_flag};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags app and init containers that do not set `securityContext.readOnlyRootFilesystem: true`
    /// (ephemeral debug containers are not checked). Windows pods, where the setting is not
    /// supported, are not checked either.
    ///
    /// ## Why is this bad?
    /// With a writable root file system an attacker who gets code execution can drop tools and
    /// binaries, change the application's code or configuration, and persist until the container
    /// restarts. A read-only root file system also documents where the application writes: mount
    /// an `emptyDir` at those paths (`/tmp`, caches).
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
    ///       readOnlyRootFilesystem: true
    ///     volumeMounts:
    ///       - {name: tmp, mountPath: /tmp}
    /// volumes:
    ///   - {name: tmp, emptyDir: {}}
    /// ```
    ///
    /// ## Fix safety
    /// When the field is missing, the fix adds `readOnlyRootFilesystem: true` to the container's
    /// `securityContext` (creating it when needed; containers written as flow mappings get no fix).
    /// The fix is unsafe: an application that writes outside its mounted volumes (temporary files,
    /// caches, PID files) fails until an `emptyDir` is mounted where it writes. An explicit `false`
    /// is left for a human to change.
    ///
    /// ## References
    /// - [Kubernetes: Configure a Security Context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - [NSA/CISA Kubernetes Hardening Guide](https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF)
    pub struct RootFilesystemWritable {
        code: "K8S005",
        name: "root-filesystem-writable",
        category: Security,
        severity: Warning,
        fix: Sometimes,
        peers: [
            KubeLinter("no-read-only-root-fs"),
            Checkov("CKV_K8S_22"),
            Trivy("KSV014"),
            Polaris("notReadOnlyRootFilesystem"),
        ],
    }
}

impl Rule for RootFilesystemWritable {
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
            if container.kind == ContainerKind::Ephemeral
                || is_opaque(container.get("securityContext"))
            {
                continue;
            }
            match read_flag(container.security("readOnlyRootFilesystem")) {
                Setting::Known(read_only) if !read_only.value => {
                    ctx.report(
                        read_only.range,
                        format!(
                            "{} has a writable root file system (`readOnlyRootFilesystem: false`)",
                            container_label(&container)
                        ),
                    )
                    .help("set `readOnlyRootFilesystem: true` and mount an `emptyDir` where the application writes")
                    .resource(container.display());
                }
                Setting::Absent => {
                    let fix = insert_nested(
                        ctx,
                        container.node,
                        &["securityContext"],
                        "readOnlyRootFilesystem: true",
                    );
                    let finding = ctx
                        .report(
                            container.site(),
                            format!(
                                "{} does not set `readOnlyRootFilesystem: true`",
                                container_label(&container)
                            ),
                        )
                        .help("set `readOnlyRootFilesystem: true` and mount an `emptyDir` where the application writes")
                        .resource(container.display());
                    if let Some(edit) = fix {
                        finding.fix(Fix::unsafe_edit(
                            "Set `readOnlyRootFilesystem: true`",
                            vec![edit],
                        ));
                    }
                }
                Setting::Known(_) | Setting::Unknown => {}
            }
        }
    }
}
