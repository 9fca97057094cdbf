use super::helpers::display;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `HTTPS` or `TLS` listener whose `ssl_policy` still accepts TLS 1.0 or 1.1: the
    /// `ELBSecurityPolicy-2016-08` default, `-2015-05`, `-TLS-1-0-2015-04`, `-TLS-1-1-2017-01`,
    /// `-FS-2018-06`, `-FS-1-1-2019-08`, and the `ELBSecurityPolicy-TLS13-1-0-*` / `-1-1-*` policies.
    /// A listener without `ssl_policy` gets `ELBSecurityPolicy-2016-08` and is reported too.
    ///
    /// ## Why is this bad?
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996): weak ciphers and known attacks, and compliance
    /// regimes (PCI DSS) forbid them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_listener" "https" {
    ///   protocol   = "HTTPS"
    ///   ssl_policy = "ELBSecurityPolicy-2016-08"
    /// }
    /// ```
    ///
    /// Use instead: `ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"`.
    ///
    /// ## Fix safety
    /// The fix replaces a literal policy with `ELBSecurityPolicy-TLS13-1-2-2021-06`. Clients that only
    /// speak TLS 1.0 or 1.1 can no longer connect, which is the point.
    ///
    /// ## References
    /// - [Elastic Load Balancing: security policies](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html)
    pub struct LbOutdatedTlsPolicy {
        code: "AWS060",
        name: "lb-outdated-tls-policy",
        category: Security,
        severity: Error,
        fix: Sometimes,
        peers: [Checkov("CKV_AWS_103"), Trivy("AVD-AWS-0047")],
    }
}

/// Policies that still negotiate TLS 1.0 or 1.1.
fn outdated(policy: &str) -> bool {
    matches!(
        policy,
        "ELBSecurityPolicy-2016-08"
            | "ELBSecurityPolicy-2015-05"
            | "ELBSecurityPolicy-TLS-1-0-2015-04"
            | "ELBSecurityPolicy-TLS-1-1-2017-01"
            | "ELBSecurityPolicy-FS-2018-06"
            | "ELBSecurityPolicy-FS-1-1-2019-08"
    ) || policy.starts_with("ELBSecurityPolicy-TLS13-1-0-")
        || policy.starts_with("ELBSecurityPolicy-TLS13-1-1-")
}

const MODERN: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

impl Rule for LbOutdatedTlsPolicy {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for l in &input.model.listeners {
            if !l
                .protocol
                .value()
                .is_some_and(|p| p == "HTTPS" || p == "TLS")
            {
                continue;
            }
            let help = format!("use `ssl_policy = \"{MODERN}\"` (TLS 1.2 and 1.3 only)");
            match &l.ssl_policy {
                cw_model::aws::Field::Absent => {
                    ctx.report(l.origin.name, format!("`{}` has no `ssl_policy`: the default `ELBSecurityPolicy-2016-08` accepts TLS 1.0", display(&l.origin)))
                        .help(help)
                        .resource(l.origin.address.clone());
                }
                cw_model::aws::Field::Known(p) if outdated(&p.value) => {
                    let literal = ctx.text(p.range) == format!("\"{}\"", p.value)
                        && l.origin.block.start <= p.range.start
                        && p.range.end <= l.origin.block.end;
                    let finding = ctx
                        .report(
                            p.range,
                            format!(
                                "`{}` uses `{}`, which accepts TLS 1.0 or 1.1",
                                display(&l.origin),
                                p.value
                            ),
                        )
                        .help(help)
                        .resource(l.origin.address.clone());
                    if literal {
                        finding.fix(Fix::safe(
                            format!("use `{MODERN}`"),
                            vec![Edit::replace(p.range, format!("\"{MODERN}\""))],
                        ));
                    }
                }
                _ => {}
            }
        }
    }
}
