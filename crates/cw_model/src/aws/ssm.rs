//! AWS Systems Manager Parameter Store.

use super::{Field, Origin};

#[derive(Clone, Debug)]
pub struct Parameter {
    pub origin: Origin,
    pub name: Field<String>,
    /// `String`, `StringList` or `SecureString`.
    pub kind: Field<String>,
}
