//! The AWS model from Terraform, to come: data, storage and logging services (SQS, SNS, ElastiCache, OpenSearch, EFS, Secrets Manager, AWS Backup, RDS extras, CloudTrail extras).

use crate::aws::AwsModel;
use crate::terraform::{Evaluation, Resource};

/// Adds this part's resources to the model (none are modelled yet).
pub(super) fn fill(model: &mut AwsModel, eval: &Evaluation, resources: &[&Resource]) {
    let _ = (model, eval, resources);
}
