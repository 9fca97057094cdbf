//! The AWS model from Terraform, to come: compute, containers and networking services (ECS, EKS, ELB, CloudFront, Lambda, EC2 extras).

use crate::aws::AwsModel;
use crate::terraform::{Evaluation, Resource};

/// Adds this part's resources to the model (none are modelled yet).
pub(super) fn fill(model: &mut AwsModel, eval: &Evaluation, resources: &[&Resource]) {
    let _ = (model, eval, resources);
}
