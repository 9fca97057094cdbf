//! Terraform language rules (`TF`), one file each: what only Terraform has (state, backends,
//! versions, variables, modules), whatever the provider.

pub(crate) mod helpers;

mod local_state_backend;
pub use local_state_backend::LocalStateBackend;
mod remote_state_unencrypted;
pub use remote_state_unencrypted::RemoteStateUnencrypted;
mod remote_state_unlocked;
pub use remote_state_unlocked::RemoteStateUnlocked;
mod provider_version_unpinned;
pub use provider_version_unpinned::ProviderVersionUnpinned;
mod module_version_unpinned;
pub use module_version_unpinned::ModuleVersionUnpinned;
mod sensitive_variable_not_marked;
pub use sensitive_variable_not_marked::SensitiveVariableNotMarked;
mod sensitive_output_not_marked;
pub use sensitive_output_not_marked::SensitiveOutputNotMarked;
mod hardcoded_secret;
pub use hardcoded_secret::HardcodedSecret;
mod provider_hardcoded_credentials;
pub use provider_hardcoded_credentials::ProviderHardcodedCredentials;
mod required_tags_missing;
pub use required_tags_missing::RequiredTagsMissing;
mod state_file_committed;
pub use state_file_committed::StateFileCommitted;
mod terraform_version_unpinned;
pub use terraform_version_unpinned::TerraformVersionUnpinned;
mod lockfile_not_committed;
pub use lockfile_not_committed::LockfileNotCommitted;
