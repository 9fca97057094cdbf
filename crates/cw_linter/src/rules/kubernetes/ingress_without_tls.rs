use super::helpers::is_templated;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Ingresses (`networking.k8s.io`, or the old `extensions`) without a `spec.tls` section.
    ///
    /// Ingresses whose controller terminates TLS from its own annotations are not reported:
    ///
    /// - AWS Load Balancer Controller: `alb.ingress.kubernetes.io/certificate-arn`, or
    ///   `alb.ingress.kubernetes.io/listen-ports` with an `HTTPS` listener (certificates are then
    ///   discovered from ACM by host name);
    /// - GKE: `ingress.gcp.kubernetes.io/pre-shared-cert`, `networking.gke.io/managed-certificates`,
    ///   or `kubernetes.io/ingress.allow-http: "false"`;
    /// - Azure Application Gateway: `appgw.ingress.kubernetes.io/appgw-ssl-certificate`;
    /// - Traefik: `traefik.ingress.kubernetes.io/router.tls: "true"`, a `router.tls.certresolver`,
    ///   or `router.entrypoints` naming `websecure`.
    ///
    /// A templated value of these annotations, or a templated `tls`, keeps the rule quiet.
    ///
    /// ## Why is this bad?
    /// Without TLS the hosts of the Ingress are served over plain HTTP: credentials, session cookies
    /// and personal data cross every network on the way in clear text, and anyone on the path can
    /// change the responses.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///     - host: shop.example.com
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     cert-manager.io/cluster-issuer: letsencrypt
    /// spec:
    ///   tls:
    ///     - hosts: [shop.example.com]
    ///       secretName: shop-tls
    ///   rules:
    ///     - host: shop.example.com
    /// ```
    ///
    /// ## References
    /// - [Ingress: TLS](https://kubernetes.io/docs/concepts/services-networking/ingress/#tls)
    /// - [cert-manager: securing Ingress resources](https://cert-manager.io/docs/usage/ingress/)
    pub struct IngressWithoutTls {
        code: "K8S055",
        name: "ingress-without-tls",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Polaris("tlsSettingsMissing")],
    }
}

/// Whether an annotation's value turns its setting on.
type Test = fn(&str) -> bool;

/// Annotations with which a controller terminates TLS itself: the key, and whether a value does.
const TLS_ANNOTATIONS: &[(&str, Test)] = &[
    ("alb.ingress.kubernetes.io/certificate-arn", |v| {
        !v.is_empty()
    }),
    ("alb.ingress.kubernetes.io/listen-ports", |v| {
        v.to_ascii_uppercase().contains("HTTPS")
    }),
    ("ingress.gcp.kubernetes.io/pre-shared-cert", |v| {
        !v.is_empty()
    }),
    ("networking.gke.io/managed-certificates", |v| !v.is_empty()),
    ("kubernetes.io/ingress.allow-http", |v| {
        v.eq_ignore_ascii_case("false")
    }),
    ("appgw.ingress.kubernetes.io/appgw-ssl-certificate", |v| {
        !v.is_empty()
    }),
    ("traefik.ingress.kubernetes.io/router.tls", |v| {
        v.eq_ignore_ascii_case("true")
    }),
    (
        "traefik.ingress.kubernetes.io/router.tls.certresolver",
        |v| !v.is_empty(),
    ),
    ("traefik.ingress.kubernetes.io/router.entrypoints", |v| {
        v.split(',').any(|e| e.trim() == "websecure")
    }),
];

impl Rule for IngressWithoutTls {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        if object.kind_str() != "Ingress"
            || !matches!(object.group(), "networking.k8s.io" | "extensions")
        {
            return;
        }
        if object
            .path(&["spec", "tls"])
            .is_some_and(|t| !(t.is_null() || t.is_seq() && t.items().is_empty()))
        {
            return;
        }
        for (key, terminates) in TLS_ANNOTATIONS {
            if let Some(value) = object.annotation(key)
                && (is_templated(value.value) || terminates(value.value.trim()))
            {
                return;
            }
        }
        ctx.report(
            object.site(),
            format!(
                "{} has no `tls` section, so its hosts are served over plain HTTP",
                object.display()
            ),
        )
        .help("add `spec.tls` with the hosts and a certificate Secret (cert-manager can issue it), or terminate TLS with your controller's annotations")
        .resource(object.display());
    }
}
