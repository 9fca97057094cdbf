//! AWS KMS.

use super::{Field, Origin};

#[derive(Clone, Debug)]
pub struct Key {
    pub origin: Origin,
    pub enable_key_rotation: Field<bool>,
    /// `SYMMETRIC_DEFAULT`, `RSA_2048`... (rotation applies to symmetric encryption keys only).
    pub key_spec: Field<String>,
    /// `ENCRYPT_DECRYPT`, `SIGN_VERIFY`, `GENERATE_VERIFY_MAC`.
    pub key_usage: Field<String>,
}
