use cw_syntax::yaml::Node;

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags NetworkPolicy rules that let everything through in their direction:
    ///
    /// - an empty peer `{}` in `from` or `to`, written to mean "everyone" (the API server rejects it
    ///   with `must specify a peer`, so the policy does not apply at all);
    /// - an `ingress` or `egress` rule with neither peers (`from`/`to`) nor `ports`, which matches
    ///   every source or destination on every port;
    /// - a rule without `ports` whose peer selects everything: `namespaceSelector: {}` (every pod
    ///   of every namespace, with or without `podSelector: {}`), or an `ipBlock` of `0.0.0.0/0` or
    ///   `::/0` without `except`.
    ///
    /// A rule that lists `ports` is a deliberate opening of those ports and is not reported, nor is
    /// `podSelector: {}` alone (the pods of the policy's own namespace). Rules of a direction that
    /// `policyTypes` leaves out are ignored, as Kubernetes ignores them.
    ///
    /// ## Why is this bad?
    /// Once a policy selects a pod, only what its rules allow gets through. A rule that allows
    /// everything undoes the isolation the policy was written for, usually by accident: an empty
    /// list item, a rule whose peers were removed in a refactor.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: api}
    ///   ingress:
    ///     - {}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels: {app: web}
    ///       ports:
    ///         - {port: 8080, protocol: TCP}
    /// ```
    ///
    /// ## References
    /// - [Network Policies: behavior of to and from selectors](https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors)
    /// - [Network Policies: default policies](https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies)
    pub struct NetworkpolicyAllowsAll {
        code: "K8S027",
        name: "networkpolicy-allows-all",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Trivy("KSV038")],
    }
}

/// An absent, null or empty list (`from: []`).
fn empty_list(node: Option<&Node>) -> bool {
    node.is_none_or(|n| n.is_null() || (n.is_seq() && n.items().is_empty()))
}

/// An empty mapping (`{}`), or null (`- ` as a list item).
fn empty_map(node: &Node) -> bool {
    node.is_null() || (node.is_map() && node.entries().is_empty())
}

/// Whether `policyTypes` lets the policy's `direction` rules apply (`Ingress`, `Egress`).
fn applies(spec: &Node, direction: &str) -> bool {
    match spec.get("policyTypes") {
        Some(types) if types.is_seq() && !types.items().is_empty() => types
            .items()
            .iter()
            .any(|t| t.as_str().is_none_or(|t| t == direction)),
        _ => true,
    }
}

/// What a peer that selects everything reaches, if it does, and where to point at it.
fn selects_everything(peer: &Node) -> Option<(&'static str, TextRange)> {
    if let Some(block) = peer.get("ipBlock") {
        let cidr = block.get("cidr")?;
        let open = matches!(cidr.as_str().map(str::trim), Some("0.0.0.0/0" | "::/0"))
            && empty_list(block.get("except"));
        return open.then_some((
            "every address, inside the cluster and out",
            cidr.site_range(),
        ));
    }
    let namespaces = peer.get("namespaceSelector")?;
    let all_pods = peer.get("podSelector").is_none_or(empty_map);
    (empty_map(namespaces) && all_pods)
        .then_some(("every pod of every namespace", peer.site_range()))
}

impl Rule for NetworkpolicyAllowsAll {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        if object.kind_str() != "NetworkPolicy" || object.group() != "networking.k8s.io" {
            return;
        }
        let Some(spec) = object.get("spec") else {
            return;
        };
        for (direction, key, peers_key, toward) in [
            ("Ingress", "ingress", "from", "from"),
            ("Egress", "egress", "to", "to"),
        ] {
            if !applies(spec, direction) {
                continue;
            }
            for rule in spec.get(key).map_or(&[][..], Node::items) {
                if !(rule.is_map() || rule.is_null()) {
                    continue;
                }
                let peers = rule.get(peers_key);
                let no_ports = empty_list(rule.get("ports"));
                if empty_list(peers) {
                    if no_ports {
                        ctx.report(
                            rule.site_range(),
                            format!(
                                "{} allows all {key} traffic: this rule sets neither `{peers_key}` nor `ports`",
                                object.display()
                            ),
                        )
                        .help(format!("list the allowed peers in `{peers_key}` (podSelector, namespaceSelector, ipBlock) and the ports"))
                        .resource(object.display());
                    }
                    continue;
                }
                for peer in peers.map_or(&[][..], Node::items) {
                    if empty_map(peer) {
                        ctx.report(
                            peer.site_range(),
                            format!(
                                "{} has an empty `{peers_key}` peer, meant to allow traffic {toward} everywhere; the API server rejects it",
                                object.display()
                            ),
                        )
                        .help("name the allowed peers with `podSelector`, `namespaceSelector` or `ipBlock`")
                        .resource(object.display());
                    } else if no_ports && let Some((what, site)) = selects_everything(peer) {
                        ctx.report(
                            site,
                            format!(
                                "{} allows {key} traffic {toward} {what}, on every port",
                                object.display()
                            ),
                        )
                        .help("narrow the peer with selectors or CIDRs, or restrict the rule to the `ports` that need it")
                        .resource(object.display());
                    }
                }
            }
        }
    }
}
