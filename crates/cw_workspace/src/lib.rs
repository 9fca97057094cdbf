//! What to scan and how: `cloudwright.toml`, the gitignore-aware parallel walk, classification of
//! every format, reading with a size cap, and the scan pipeline that feeds the engine.

mod classify;
mod config;
mod date;
mod gitlab;
mod kube;
mod scan;
mod space;
mod terraform;
#[cfg(test)]
mod test_tree;
mod walk;

pub use classify::{Classification, classify};
pub use config::{
    CONFIG_FILE, Config, ConfigError, FailOn, PerPathConfig, find_config, load_config,
};
/// Terraform variables given outside the modules (`--var-file`, `--var`).
pub use cw_model::terraform::{CliInput, SourceFile};
pub use date::today;
pub use scan::{DEFAULT_MAX_FILE_SIZE, Scan, ScanError, ScanOptions};
pub use walk::{Walk, WalkError, WalkedFile, walk};
