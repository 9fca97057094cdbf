//! Elastic Load Balancing: listeners.

use super::{Field, Origin};

/// `aws_lb_listener` / `aws_alb_listener`.
#[derive(Clone, Debug)]
pub struct Listener {
    pub origin: Origin,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`... (upper-cased).
    pub protocol: Field<String>,
    pub ssl_policy: Field<String>,
    /// Whether the default actions redirect to HTTPS (a `redirect` action with protocol `HTTPS`).
    pub redirects_to_https: bool,
    /// Whether the default actions are not all known (a dynamic block).
    pub actions_unknown: bool,
}
