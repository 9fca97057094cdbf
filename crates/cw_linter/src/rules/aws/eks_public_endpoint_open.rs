use cw_model::aws::Field;

use super::helpers::display;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aws_eks_cluster` whose API endpoint is public and open to the whole internet:
    /// `endpoint_public_access` unset (AWS's default is public) or `true`, with
    /// `public_access_cidrs` unset (AWS's default is `0.0.0.0/0`) or containing `0.0.0.0/0`.
    /// CIDRs known only after apply are not reported.
    ///
    /// ## Why is this bad?
    /// The Kubernetes API server is then reachable by anyone: a leaked kubeconfig, a stolen token or
    /// the next API-server vulnerability works from anywhere.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.cluster.arn
    ///   vpc_config {
    ///     subnet_ids = var.subnet_ids
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// vpc_config {
    ///   subnet_ids              = var.subnet_ids
    ///   endpoint_private_access = true
    ///   endpoint_public_access  = false
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon EKS: cluster endpoint access control](https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html)
    pub struct EksPublicEndpointOpen {
        code: "AWS067",
        name: "eks-public-endpoint-open",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Checkov("CKV_AWS_39"),
            Checkov("CKV_AWS_38"),
            Trivy("AVD-AWS-0040"),
            Trivy("AVD-AWS-0041")
        ],
    }
}

impl Rule for EksPublicEndpointOpen {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for c in &input.model.eks_clusters {
            let public = match &c.endpoint_public_access {
                Field::Absent => true,
                Field::Known(v) => v.value,
                Field::Unknown(_) => false,
            };
            if !public || c.public_access_cidrs_unknown {
                continue;
            }
            let name = display(&c.origin);
            let help = "set `endpoint_public_access = false` (with `endpoint_private_access = true`), or list your CIDRs in `public_access_cidrs`";
            if !c.public_access_cidrs_written {
                ctx.report(c.origin.name, format!("the API endpoint of `{name}` is open to the internet (no `public_access_cidrs`)"))
                    .help(help)
                    .resource(c.origin.address.clone());
                continue;
            }
            for cidr in c
                .public_access_cidrs
                .iter()
                .filter(|c| c.value == "0.0.0.0/0")
            {
                ctx.report(
                    cidr.range,
                    format!("the API endpoint of `{name}` is open to the internet"),
                )
                .help(help)
                .resource(c.origin.address.clone());
            }
        }
    }
}
