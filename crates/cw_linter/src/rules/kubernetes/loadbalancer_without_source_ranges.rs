use super::helpers::is_templated;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Services of `type: LoadBalancer` that neither restrict their clients
    /// (`spec.loadBalancerSourceRanges`, or the `service.beta.kubernetes.io/load-balancer-source-ranges`
    /// annotation) nor ask for an internal load balancer with their cloud's annotation:
    ///
    /// - AWS: `service.beta.kubernetes.io/aws-load-balancer-internal` (any value but `false`), or
    ///   `service.beta.kubernetes.io/aws-load-balancer-scheme: internal`;
    /// - Google Cloud: `networking.gke.io/load-balancer-type` or `cloud.google.com/load-balancer-type`
    ///   set to `Internal`;
    /// - Azure: `service.beta.kubernetes.io/azure-load-balancer-internal: "true"`;
    /// - Oracle Cloud: `service.beta.kubernetes.io/oci-load-balancer-internal: "true"` or
    ///   `oci-network-load-balancer.oraclecloud.com/internal: "true"`;
    /// - IBM Cloud: `service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type: private`;
    /// - OpenStack: `service.beta.kubernetes.io/openstack-internal-load-balancer: "true"`;
    /// - Alibaba Cloud: `service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type: intranet`;
    /// - Tencent Cloud: `service.kubernetes.io/qcloud-loadbalancer-internal-subnetid`.
    ///
    /// An explicit `loadBalancerSourceRanges: ["0.0.0.0/0"]` is a deliberate choice and is not
    /// reported; neither is a templated annotation or range value.
    ///
    /// ## Why is this bad?
    /// A cloud load balancer without source ranges gets a public address and accepts connections
    /// from the whole internet. Services meant for other systems of the same network (an admin UI, a
    /// database, an internal API) end up scanned and attacked within minutes.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: admin
    /// spec:
    ///   type: LoadBalancer
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: admin
    /// spec:
    ///   type: LoadBalancer
    ///   loadBalancerSourceRanges: ["10.20.0.0/16"]
    /// ```
    ///
    /// ## References
    /// - [Service: type LoadBalancer](https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer)
    /// - [Configure firewall rules for load balancers](https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/)
    pub struct LoadbalancerWithoutSourceRanges {
        code: "K8S052",
        name: "loadbalancer-without-source-ranges",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [KubeLinter("exposed-services")],
    }
}

/// Whether an annotation's value turns its setting on.
type Test = fn(&str) -> bool;

/// Internal load balancer annotations: the key, and whether a value makes the load balancer
/// internal.
const INTERNAL: &[(&str, Test)] = &[
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        |v| !v.is_empty() && !v.eq_ignore_ascii_case("false"),
    ),
    ("service.beta.kubernetes.io/aws-load-balancer-scheme", |v| {
        v.eq_ignore_ascii_case("internal")
    }),
    ("networking.gke.io/load-balancer-type", |v| {
        v.eq_ignore_ascii_case("internal")
    }),
    ("cloud.google.com/load-balancer-type", |v| {
        v.eq_ignore_ascii_case("internal")
    }),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        |v| v.eq_ignore_ascii_case("true"),
    ),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        |v| v.eq_ignore_ascii_case("true"),
    ),
    ("oci-network-load-balancer.oraclecloud.com/internal", |v| {
        v.eq_ignore_ascii_case("true")
    }),
    (
        "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
        |v| v.eq_ignore_ascii_case("private"),
    ),
    (
        "service.beta.kubernetes.io/openstack-internal-load-balancer",
        |v| v.eq_ignore_ascii_case("true"),
    ),
    (
        "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type",
        |v| v.eq_ignore_ascii_case("intranet"),
    ),
    (
        "service.kubernetes.io/qcloud-loadbalancer-internal-subnetid",
        |v| !v.is_empty(),
    ),
    (
        "service.beta.kubernetes.io/load-balancer-source-ranges",
        |v| !v.is_empty(),
    ),
];

impl Rule for LoadbalancerWithoutSourceRanges {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        if object.kind_str() != "Service" || !object.group().is_empty() {
            return;
        }
        let Some(spec) = object.get("spec") else {
            return;
        };
        let Some(kind) = spec.get("type") else {
            return;
        };
        if kind.as_str() != Some("LoadBalancer") {
            return;
        }
        // Written ranges (a list with items, or a templated scalar) restrict the clients.
        if spec
            .get("loadBalancerSourceRanges")
            .is_some_and(|r| !(r.is_null() || r.is_seq() && r.items().is_empty()))
        {
            return;
        }
        for (key, internal) in INTERNAL {
            if let Some(value) = object.annotation(key)
                && (is_templated(value.value) || internal(value.value.trim()))
            {
                return;
            }
        }
        ctx.report(
            kind.site_range(),
            format!(
                "{} is a LoadBalancer open to every address: it sets no `loadBalancerSourceRanges` and no internal load balancer annotation",
                object.display()
            ),
        )
        .help("list the client CIDRs in `loadBalancerSourceRanges`, or make the load balancer internal with your cloud's annotation")
        .resource(object.display());
    }
}
