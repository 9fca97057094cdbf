//! The AWS model from Terraform, to come: IAM policies, roles, users and the resources that carry a policy.

use crate::aws::AwsModel;
use crate::terraform::{Evaluation, Resource};

/// Adds this part's resources to the model (none are modelled yet).
pub(super) fn fill(model: &mut AwsModel, eval: &Evaluation, resources: &[&Resource]) {
    let _ = (model, eval, resources);
}
