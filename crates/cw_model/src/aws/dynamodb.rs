//! Amazon DynamoDB.

use super::{Field, Origin};

#[derive(Clone, Debug)]
pub struct Table {
    pub origin: Origin,
    /// `point_in_time_recovery { enabled }`.
    pub point_in_time_recovery: Field<bool>,
}
