//! AWS Lambda.

use cw_diagnostics::Spanned;

use super::{Field, Origin};

#[derive(Clone, Debug)]
pub struct Function {
    pub origin: Origin,
    /// `environment { variables }`: names and known string values, each where written.
    pub environment: Vec<(String, Spanned<String>)>,
    pub runtime: Field<String>,
}
