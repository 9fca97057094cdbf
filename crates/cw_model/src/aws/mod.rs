//! The AWS cloud model: resources typed per service, whatever the source (Terraform now; plan
//! JSON and CloudFormation fill the same types). Rules read this model and never the source
//! syntax: the adapter knows that `aws_s3_bucket_versioning` (a separate resource in AWS
//! provider v4+) and the inline `versioning` block both fill [`s3::Bucket::versioning`].
//!
//! Every setting is a [`Field`]: not written (the service's default applies), written with a value
//! known only after apply (never a reason to report), or known, with the range that wrote it. A
//! setting that a companion resource may provide is [`Field::Unknown`] when a companion of that
//! kind exists in the module but cannot be linked to its parent: rules stay quiet rather than
//! guess.

pub mod cloudfront;
pub mod cloudtrail;
pub mod dynamodb;
pub mod ec2;
pub mod ecr;
pub mod eks;
pub mod elb;
mod field;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod rds;
pub mod s3;
pub mod ssm;
mod terraform;

#[cfg(test)]
mod tests;

pub use field::{Field, Origin};
pub use terraform::from_terraform;

/// Every modelled AWS resource of a unit (a Terraform root module with the modules it calls).
#[derive(Clone, Debug, Default)]
pub struct AwsModel {
    pub buckets: Vec<s3::Bucket>,
    /// Account-level S3 public access blocks.
    pub account_public_access_blocks: Vec<s3::PublicAccessBlock>,
    pub security_groups: Vec<ec2::SecurityGroup>,
    /// Instances, launch templates and launch configurations.
    pub launch_specs: Vec<ec2::LaunchSpec>,
    pub volumes: Vec<ec2::Volume>,
    pub subnets: Vec<ec2::Subnet>,
    /// `aws_ebs_encryption_by_default`.
    pub ebs_default_encryption: Vec<Field<bool>>,
    pub db_instances: Vec<rds::DbInstance>,
    pub kms_keys: Vec<kms::Key>,
    pub dynamodb_tables: Vec<dynamodb::Table>,
    pub trails: Vec<cloudtrail::Trail>,
    pub log_groups: Vec<logs::LogGroup>,
    pub ecr_repositories: Vec<ecr::Repository>,
    pub eks_clusters: Vec<eks::Cluster>,
    pub distributions: Vec<cloudfront::Distribution>,
    pub listeners: Vec<elb::Listener>,
    pub lambda_functions: Vec<lambda::Function>,
    pub ssm_parameters: Vec<ssm::Parameter>,
    pub vpcs: Vec<ec2::Vpc>,
}
