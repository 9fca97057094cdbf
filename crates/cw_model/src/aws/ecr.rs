//! Amazon ECR.

use super::{Field, Origin};

#[derive(Clone, Debug)]
pub struct Repository {
    pub origin: Origin,
    /// `image_scanning_configuration { scan_on_push }`.
    pub scan_on_push: Field<bool>,
    /// `MUTABLE` or `IMMUTABLE`.
    pub image_tag_mutability: Field<String>,
}
