//! GitLab CI rules (`GLC`), one file each.

pub(crate) mod helpers;

mod image_unpinned;
pub use image_unpinned::ImageUnpinned;
mod include_unpinned;
pub use include_unpinned::IncludeUnpinned;
mod secret_in_variables;
pub use secret_in_variables::SecretInVariables;
mod secret_printed_in_script;
pub use secret_printed_in_script::SecretPrintedInScript;
mod dind_tls_disabled;
pub use dind_tls_disabled::DindTlsDisabled;
mod job_token_overexposed;
pub use job_token_overexposed::JobTokenOverexposed;
