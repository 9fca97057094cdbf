use cw_syntax::yaml::Node;

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Services that set `spec.externalIPs`.
    ///
    /// ## Why is this bad?
    /// kube-proxy on every node captures traffic to the listed addresses and sends it to the
    /// Service, whoever owns those addresses: nothing checks that the Service's author may claim
    /// them. Anyone allowed to create or edit Services can so intercept traffic meant for another
    /// service, inside the cluster or outside it (CVE-2020-8554, a design issue that was never
    /// patched). Clusters are advised to forbid the field with an admission policy, and a Service
    /// that relies on it breaks there.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80}]
    ///   externalIPs: ["203.0.113.10"]
    /// ```
    ///
    /// Use instead: a `LoadBalancer` Service or an Ingress, which get their address from the
    /// infrastructure.
    ///
    /// ## References
    /// - [Service: external IPs](https://kubernetes.io/docs/concepts/services-networking/service/#external-ips)
    /// - [CVE-2020-8554: man in the middle using LoadBalancer or ExternalIPs](https://github.com/kubernetes/kubernetes/issues/97076)
    pub struct ServiceExternalIps {
        code: "K8S054",
        name: "service-external-ips",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Trivy("KSV108")],
    }
}

impl Rule for ServiceExternalIps {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        if object.kind_str() != "Service" || !object.group().is_empty() {
            return;
        }
        let Some(ips) = object.path(&["spec", "externalIPs"]) else {
            return;
        };
        let Some(first) = ips.items().first() else {
            return;
        };
        let listed: Vec<&str> = ips.items().iter().filter_map(Node::as_str).collect();
        ctx.report(
            first.site_range(),
            format!(
                "{} sets `externalIPs` ({}): every node intercepts traffic to these addresses",
                object.display(),
                listed.join(", ")
            ),
        )
        .help("expose the Service through a LoadBalancer or an Ingress instead")
        .resource(object.display());
    }
}
