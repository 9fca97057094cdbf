//! Amazon CloudWatch Logs.

use super::{Field, Origin};

#[derive(Clone, Debug)]
pub struct LogGroup {
    pub origin: Origin,
    /// Days; `0` or absent keeps events forever.
    pub retention_in_days: Field<i64>,
}
