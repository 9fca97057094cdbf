use super::helpers::{container_label, image_tag, is_templated};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags container images (of containers, init containers and ephemeral containers) that have
    /// no tag or the `latest` tag, and no digest. Images pinned by digest (`app@sha256:...`, with or
    /// without a tag) and templated images (`{{ .Values.image }}`, `${IMAGE}`) are not reported.
    ///
    /// ## Why is this bad?
    /// `latest` (which is also what an untagged image pulls) moves with every push. Two pods of one
    /// Deployment can run different code, a rollback redeploys whatever `latest` is today, and with
    /// `imagePullPolicy: IfNotPresent` each node keeps running whichever `latest` it pulled first.
    /// What runs in the cluster can no longer be told from the manifest.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:latest
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.4.2
    /// ```
    ///
    /// ## References
    /// - [Images: image names](https://kubernetes.io/docs/concepts/containers/images/#image-names)
    /// - [Configuration best practices: container images](https://kubernetes.io/docs/concepts/configuration/overview/#container-images)
    pub struct ImageLatestOrUntagged {
        code: "K8S020",
        name: "image-latest-or-untagged",
        category: Reproducibility,
        severity: Warning,
        fix: None,
        peers: [
            KubeLinter("latest-tag"),
            Checkov("CKV_K8S_14"),
            Trivy("KSV013"),
            Polaris("tagNotSpecified"),
            KubeScore("container-image-tag"),
        ],
    }
}

impl Rule for ImageLatestOrUntagged {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let Some(pod) = input.object().pod_spec() else {
            return;
        };
        for container in pod.all_containers() {
            let Some(image) = container.image() else {
                continue;
            };
            let value = image.value.trim();
            if value.is_empty() || is_templated(value) {
                continue;
            }
            let (problem, repository) = match image_tag(value) {
                (Some("latest"), false) => (
                    "the mutable tag `latest`",
                    value.strip_suffix(":latest").unwrap_or(value),
                ),
                (None, false) => ("no tag, so it pulls `latest`", value),
                (_, true) | (Some(_), false) => continue,
            };
            ctx.report(
                image.range,
                format!(
                    "{} uses image `{value}` with {problem}",
                    container_label(&container)
                ),
            )
            .help(format!(
                "pin a release tag (`{repository}:<version>`) or a digest (`{repository}@sha256:<digest>`)"
            ))
            .resource(container.display());
        }
    }
}
