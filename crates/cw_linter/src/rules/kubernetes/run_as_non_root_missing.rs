use cw_model::kubernetes::Container;
use cw_syntax::yaml::Node;

use super::helpers::{Setting, container_label, is_opaque, read_flag, read_int};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers (app, init and ephemeral) that may run as root: neither the container nor
    /// the pod sets `runAsNonRoot: true`, and no non-root user is set explicitly. As in kube-linter,
    /// an explicit `runAsUser` above 0 (the container's, or the pod's when the container sets none)
    /// satisfies the rule: the container cannot run as root then. On Windows pods a
    /// `windowsOptions.runAsUserName` other than `ContainerAdministrator` does too. `runAsUser: 0`
    /// is K8S004's business, and a value we cannot read (templated) is not reported.
    ///
    /// When no container and not the pod say anything, the rule reports once, on the object, since
    /// one line in the pod's `securityContext` fixes every container; otherwise it reports each
    /// container that lacks the setting, and an explicit `runAsNonRoot: false` where it is written.
    ///
    /// ## Why is this bad?
    /// Without it the container runs as whatever user the image says, which for most images is
    /// root. Root in a container is one kernel or runtime bug away from root on the node, and can
    /// write to every file of the image. `runAsNonRoot: true` makes the kubelet refuse to start a
    /// container whose user would be UID 0.
    ///
    /// `runAsNonRoot` can only be verified for a numeric user: if the image's `USER` is a name
    /// (`USER app`, see DKR050), also set a numeric `runAsUser`, or the pod fails to start with
    /// `CreateContainerConfigError`.
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
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.0
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Pod Security Standards, Running as Non-root](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
    /// - [Kubernetes: Configure a Security Context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - [kube-linter: run-as-non-root](https://docs.kubelinter.io/#/generated/checks?id=run-as-non-root)
    pub struct RunAsNonRootMissing {
        code: "K8S003",
        name: "run-as-non-root-missing",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [
            KubeLinter("run-as-non-root"),
            Checkov("CKV_K8S_23"),
            Trivy("KSV012"),
            Polaris("runAsRootAllowed"),
            KubeScore("container-security-context-user-group-id"),
        ],
    }
}

/// What a container's settings say about running as non-root.
enum Verdict {
    /// Cannot run as root, or another rule's business, or unknown.
    Quiet,
    /// Nothing says it must not run as root.
    Missing,
    /// `runAsNonRoot: false`, in the container or inherited from the pod.
    False { range: TextRange, from_pod: bool },
}

fn verdict(container: &Container<'_>, windows: bool) -> Verdict {
    if is_opaque(container.get("securityContext")) {
        return Verdict::Quiet;
    }
    let non_root = container.effective_security("runAsNonRoot");
    let flag = read_flag(non_root.map(|i| i.node));
    match flag {
        Setting::Known(ref b) if b.value => return Verdict::Quiet,
        Setting::Unknown => return Verdict::Quiet,
        _ => {}
    }
    if windows {
        fn user_name(sc: Option<&Node>) -> Option<&Node> {
            sc.and_then(|s| s.path(&["windowsOptions", "runAsUserName"]))
                .filter(|n| !n.is_null())
        }
        let name = user_name(container.security_context())
            .or_else(|| user_name(container.pod.security_context()));
        if let Some(name) = name {
            match name.as_str() {
                Some(n) if n.eq_ignore_ascii_case("ContainerAdministrator") => {}
                _ => return Verdict::Quiet,
            }
        }
    } else {
        match read_int(container.effective_security("runAsUser").map(|i| i.node)) {
            Setting::Absent => {}
            // Above 0 cannot be root; 0 is K8S004's; unreadable is unknown.
            Setting::Known(_) | Setting::Unknown => return Verdict::Quiet,
        }
    }
    match flag {
        Setting::Known(b) => Verdict::False {
            range: b.range,
            from_pod: non_root.is_some_and(|i| i.from_pod),
        },
        _ => Verdict::Missing,
    }
}

impl Rule for RunAsNonRootMissing {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        if is_opaque(pod.get("securityContext")) {
            return;
        }
        let windows = pod.is_windows();
        let verdicts: Vec<_> = pod
            .all_containers()
            .map(|c| {
                let v = verdict(&c, windows);
                (c, v)
            })
            .collect();
        let all_missing =
            !verdicts.is_empty() && verdicts.iter().all(|(_, v)| matches!(v, Verdict::Missing));
        if all_missing {
            ctx.report(
                object.site(),
                format!(
                    "{} does not set `runAsNonRoot: true` for its pod or any of its containers",
                    object.display()
                ),
            )
            .help("set `runAsNonRoot: true` (and a numeric `runAsUser` if the image's USER is a name) in the pod's `securityContext`")
            .resource(object.display());
            return;
        }
        let mut pod_false_reported = false;
        for (container, verdict) in &verdicts {
            match verdict {
                Verdict::Quiet => {}
                Verdict::Missing => {
                    ctx.report(
                        container.site(),
                        format!(
                            "{} does not set `runAsNonRoot: true`",
                            container_label(container)
                        ),
                    )
                    .help("set `runAsNonRoot: true` in the container's or the pod's `securityContext`")
                    .resource(container.display());
                }
                Verdict::False { range, from_pod } if *from_pod => {
                    if pod_false_reported {
                        continue;
                    }
                    pod_false_reported = true;
                    ctx.report(
                        *range,
                        format!(
                            "{} sets `runAsNonRoot: false` for its pod",
                            object.display()
                        ),
                    )
                    .help("set `runAsNonRoot: true` and run the containers as a non-root user")
                    .resource(object.display());
                }
                Verdict::False { range, .. } => {
                    ctx.report(
                        *range,
                        format!("{} sets `runAsNonRoot: false`", container_label(container)),
                    )
                    .help("set `runAsNonRoot: true` and run the container as a non-root user")
                    .resource(container.display());
                }
            }
        }
    }
}
