//! Amazon S3.

use cw_diagnostics::{Spanned, TextRange};

use super::{Field, Origin};

#[derive(Clone, Debug)]
pub struct Bucket {
    pub origin: Origin,
    /// `bucket`.
    pub name: Field<String>,
    /// Canned ACLs (`acl` inline or `aws_s3_bucket_acl`), each where written.
    pub acls: Vec<Spanned<String>>,
    /// Grantee group URIs of ACL grants (`.../global/AllUsers`), each where written.
    pub grant_uris: Vec<Spanned<String>>,
    /// Whether some ACL or grant cannot be read (an unlinked `aws_s3_bucket_acl`, a dynamic grant).
    pub acl_unknown: bool,
    pub public_access_block: Field<PublicAccessBlock>,
    /// `Enabled`, `Suspended` or `Disabled` (inline `versioning { enabled }` maps to `Enabled` /
    /// `Suspended`).
    pub versioning: Field<String>,
    /// Lifecycle rules; `Field::Absent` when none is configured.
    pub lifecycle: Field<Vec<LifecycleRule>>,
    /// Bucket policy documents (JSON), inline `policy` or `aws_s3_bucket_policy`.
    pub policies: Vec<Field<String>>,
    /// Whether a bucket policy may exist that could not be linked.
    pub policy_unknown: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PublicAccessBlock {
    /// The resource that sets it.
    pub range: TextRange,
    pub block_public_acls: Field<bool>,
    pub block_public_policy: Field<bool>,
    pub ignore_public_acls: Field<bool>,
    pub restrict_public_buckets: Field<bool>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LifecycleRule {
    pub range: TextRange,
    /// `Enabled` / `Disabled` (`enabled = true` inline maps to `Enabled`).
    pub status: Field<String>,
    /// Has an expiration, a noncurrent-version expiration, a transition or an abort of incomplete
    /// multipart uploads.
    pub acts: bool,
}
