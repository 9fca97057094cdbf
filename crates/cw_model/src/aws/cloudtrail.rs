//! AWS CloudTrail.

use super::{Field, Origin};

#[derive(Clone, Debug)]
pub struct Trail {
    pub origin: Origin,
    pub is_multi_region_trail: Field<bool>,
    pub enable_log_file_validation: Field<bool>,
}
