use super::helpers::display;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a load balancer listener on `HTTP` whose default action does not redirect to HTTPS.
    /// Listeners whose actions come from a dynamic block with an unknown `for_each` are not
    /// reported.
    ///
    /// ## Why is this bad?
    /// Requests and responses (credentials, session cookies, personal data) cross the internet in
    /// clear text and can be read or altered on the way.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_listener" "http" {
    ///   load_balancer_arn = aws_lb.web.arn
    ///   port              = 80
    ///   protocol          = "HTTP"
    ///   default_action {
    ///     type             = "forward"
    ///     target_group_arn = aws_lb_target_group.web.arn
    ///   }
    /// }
    /// ```
    ///
    /// Use instead: a `redirect` default action to `HTTPS` on port 443, and an `HTTPS` listener.
    ///
    /// ## References
    /// - [Elastic Load Balancing: listener rules, redirect actions](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions)
    pub struct LbPlainHttp {
        code: "AWS059",
        name: "lb-plain-http",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_AWS_2"), Checkov("CKV2_AWS_20"), Trivy("AVD-AWS-0054")],
    }
}

impl Rule for LbPlainHttp {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for l in &input.model.listeners {
            let Some(p) = l.protocol.known().filter(|p| p.value == "HTTP") else {
                continue;
            };
            if l.redirects_to_https || l.actions_unknown {
                continue;
            }
            ctx.report(p.range, format!("`{}` serves plain HTTP without redirecting to HTTPS", display(&l.origin)))
                .help("make the default action a `redirect` to `HTTPS` (status `HTTP_301`) and serve on an HTTPS listener")
                .resource(l.origin.address.clone());
        }
    }
}
