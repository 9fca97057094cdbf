//! Amazon EKS.

use cw_diagnostics::Spanned;

use super::{Field, Origin};

#[derive(Clone, Debug)]
pub struct Cluster {
    pub origin: Origin,
    /// `vpc_config { endpoint_public_access }` (AWS default: `true`).
    pub endpoint_public_access: Field<bool>,
    /// `vpc_config { public_access_cidrs }` (AWS default: `0.0.0.0/0`), each where written.
    pub public_access_cidrs: Vec<Spanned<String>>,
    /// Whether `public_access_cidrs` is written (possibly with unknown entries).
    pub public_access_cidrs_written: bool,
    /// Whether some CIDRs are not known.
    pub public_access_cidrs_unknown: bool,
}
