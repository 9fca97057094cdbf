//! Amazon RDS.

use super::{Field, Origin};

/// `aws_db_instance` and `aws_rds_cluster`.
#[derive(Clone, Debug)]
pub struct DbInstance {
    pub origin: Origin,
    /// A cluster (`aws_rds_cluster`) rather than an instance.
    pub cluster: bool,
    /// An instance that belongs to a cluster (`cluster_identifier` set): storage, backups and
    /// deletion protection are the cluster's.
    pub cluster_member: bool,
    /// A read replica (`replicate_source_db`): backups and encryption follow the source.
    pub replica: bool,
    pub engine: Field<String>,
    pub storage_encrypted: Field<bool>,
    pub publicly_accessible: Field<bool>,
    pub backup_retention_period: Field<i64>,
    pub multi_az: Field<bool>,
    pub deletion_protection: Field<bool>,
    /// The master password (`password`, or the write-only `password_wo`; `master_password*` for
    /// clusters).
    pub password: Field<String>,
    pub manage_master_user_password: Field<bool>,
    pub instance_class: Field<String>,
}
