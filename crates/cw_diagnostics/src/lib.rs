//! The vocabulary every cloudwright crate shares: byte ranges and line/column positions,
//! severities and categories, rule metadata, diagnostics, fixes and the scan report that
//! renderers consume. No I/O happens here.

mod diagnostic;
mod fingerprint;
mod line_index;
mod meta;
mod range;
mod report;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Snippet};
pub use fingerprint::{Fingerprinter, fnv1a64};
pub use line_index::{LineCol, LineIndex};
pub use meta::{Category, FixAvailability, Peer, PeerTool, RuleMeta, Severity, Status};
pub use range::{Spanned, TextRange};
pub use report::{FormatCount, ScanReport, ScanStats, ToolInfo};
