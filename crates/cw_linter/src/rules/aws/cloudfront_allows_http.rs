use super::helpers::{display, report_setting};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a cache behaviour of an `aws_cloudfront_distribution` with
    /// `viewer_protocol_policy = "allow-all"`.
    ///
    /// ## Why is this bad?
    /// Viewers can reach the content over plain HTTP, where it (and cookies, tokens) can be read and
    /// modified on the way.
    ///
    /// ## Example
    /// ```hcl
    /// default_cache_behavior {
    ///   viewer_protocol_policy = "allow-all"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// default_cache_behavior {
    ///   viewer_protocol_policy = "redirect-to-https"
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon CloudFront: requiring HTTPS](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html)
    pub struct CloudfrontAllowsHttp {
        code: "AWS064",
        name: "cloudfront-allows-http",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_AWS_34"), Trivy("AVD-AWS-0012")],
    }
}

impl Rule for CloudfrontAllowsHttp {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for d in &input.model.distributions {
            let name = display(&d.origin);
            for p in &d.viewer_protocol_policies {
                report_setting(
                    ctx,
                    &d.origin,
                    p,
                    false,
                    |v| v == "allow-all",
                    |_| format!("`{name}` serves content over plain HTTP"),
                    "set `viewer_protocol_policy = \"redirect-to-https\"` (or `\"https-only\"`)",
                );
            }
        }
    }
}
