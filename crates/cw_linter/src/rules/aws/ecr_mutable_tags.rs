use super::helpers::{display, report_setting};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aws_ecr_repository` whose tags can be overwritten (`image_tag_mutability` unset,
    /// which means `MUTABLE`, or `MUTABLE`).
    ///
    /// ## Why is this bad?
    /// With mutable tags, pushing `v1.2.3` again silently replaces the image that was released and
    /// reviewed under that name.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name = "api"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name                 = "api"
    ///   image_tag_mutability = "IMMUTABLE"
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon ECR: image tag mutability](https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html)
    pub struct EcrMutableTags {
        code: "AWS071",
        name: "ecr-mutable-tags",
        category: Reproducibility,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_AWS_51"), Trivy("AVD-AWS-0031")],
    }
}

impl Rule for EcrMutableTags {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for r in &input.model.ecr_repositories {
            let name = display(&r.origin);
            report_setting(
                ctx,
                &r.origin,
                &r.image_tag_mutability,
                true,
                |v| v == "MUTABLE",
                |_| format!("`{name}` lets a push overwrite an existing tag"),
                "set `image_tag_mutability = \"IMMUTABLE\"`",
            );
        }
    }
}
