//! AWS rules (`AWS`), one file each. They read the AWS cloud model (`cw_model::aws`), whatever
//! the source format that filled it.

pub(crate) mod helpers;

mod s3_public_acl;
pub use s3_public_acl::S3PublicAcl;
mod s3_public_access_block_incomplete;
pub use s3_public_access_block_incomplete::S3PublicAccessBlockIncomplete;
mod s3_versioning_disabled;
pub use s3_versioning_disabled::S3VersioningDisabled;
mod s3_lifecycle_missing;
pub use s3_lifecycle_missing::S3LifecycleMissing;
mod ebs_volume_unencrypted;
pub use ebs_volume_unencrypted::EbsVolumeUnencrypted;
mod instance_block_device_unencrypted;
pub use instance_block_device_unencrypted::InstanceBlockDeviceUnencrypted;
mod ebs_gp2_volume;
pub use ebs_gp2_volume::EbsGp2Volume;
mod imdsv1_allowed;
pub use imdsv1_allowed::Imdsv1Allowed;
mod instance_public_ip;
pub use instance_public_ip::InstancePublicIp;
mod subnet_auto_public_ip;
pub use subnet_auto_public_ip::SubnetAutoPublicIp;
mod sg_ssh_open_to_world;
pub use sg_ssh_open_to_world::SgSshOpenToWorld;
mod sg_rdp_open_to_world;
pub use sg_rdp_open_to_world::SgRdpOpenToWorld;
mod sg_datastore_port_open_to_world;
pub use sg_datastore_port_open_to_world::SgDatastorePortOpenToWorld;
mod sg_all_ports_open_to_world;
pub use sg_all_ports_open_to_world::SgAllPortsOpenToWorld;
mod rds_storage_unencrypted;
pub use rds_storage_unencrypted::RdsStorageUnencrypted;
mod rds_publicly_accessible;
pub use rds_publicly_accessible::RdsPubliclyAccessible;
mod rds_backup_retention_low;
pub use rds_backup_retention_low::RdsBackupRetentionLow;
mod rds_single_az;
pub use rds_single_az::RdsSingleAz;
mod rds_deletion_protection_off;
pub use rds_deletion_protection_off::RdsDeletionProtectionOff;
mod rds_password_in_code;
pub use rds_password_in_code::RdsPasswordInCode;
