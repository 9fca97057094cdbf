use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Ingresses with NGINX snippet annotations: any `nginx.ingress.kubernetes.io/*-snippet`
    /// of ingress-nginx (`configuration-snippet`, `server-snippet`, `auth-snippet`,
    /// `stream-snippet`, `modsecurity-snippet`), and `nginx.org/server-snippets` or
    /// `nginx.org/location-snippets` of F5's NGINX Ingress Controller. An empty value is not
    /// reported.
    ///
    /// ## Why is this bad?
    /// A snippet is pasted verbatim into the controller's `nginx.conf`. The controller runs with a
    /// ServiceAccount that can read every Secret of the cluster, so whoever can write an Ingress
    /// with a snippet can make NGINX serve those Secrets, or proxy to anything (CVE-2021-25742).
    /// That is why ingress-nginx disables snippet annotations by default since
    /// v1.9 (`allow-snippet-annotations: false`): manifests that depend on them break on a default
    /// install.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/configuration-snippet: |
    ///       more_set_headers "X-Frame-Options: DENY";
    /// ```
    ///
    /// Use instead: the dedicated annotations (`nginx.ingress.kubernetes.io/custom-headers`, CORS,
    /// rate limits, auth), or settings of the controller's ConfigMap, which only its operators
    /// control.
    ///
    /// ## References
    /// - [ingress-nginx: configuration snippets](https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#configuration-snippet)
    /// - [CVE-2021-25742: ingress-nginx custom snippets allow retrieval of all secrets](https://github.com/kubernetes/ingress-nginx/issues/7837)
    pub struct IngressNginxSnippet {
        code: "K8S056",
        name: "ingress-nginx-snippet",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Checkov("CKV_K8S_152"),
            Checkov("CKV_K8S_153"),
            Checkov("CKV_K8S_154"),
        ],
    }
}

/// Whether an annotation key injects raw NGINX configuration.
fn is_snippet(key: &str) -> bool {
    key.strip_prefix("nginx.ingress.kubernetes.io/")
        .is_some_and(|k| k.ends_with("-snippet"))
        || matches!(
            key,
            "nginx.org/server-snippets" | "nginx.org/location-snippets"
        )
}

impl Rule for IngressNginxSnippet {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        if object.kind_str() != "Ingress" {
            return;
        }
        let Some(annotations) = object.annotations() else {
            return;
        };
        for entry in annotations.entries() {
            let Some(key) = entry.key_str() else {
                continue;
            };
            if !is_snippet(key) || entry.value.as_str().is_none_or(|v| v.trim().is_empty()) {
                continue;
            }
            ctx.report(
                entry.key.site_range(),
                format!(
                    "{} sets `{key}`, which pastes raw configuration into the controller's shared NGINX configuration",
                    object.display()
                ),
            )
            .help("use the controller's dedicated annotations or its ConfigMap instead of a snippet")
            .resource(object.display());
        }
    }
}
