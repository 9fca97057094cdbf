//! The Dockerfile model: stages, resolved base images, and each RUN's shell commands.
//!
//! Built once per file from the syntax tree; rules read it and never re-parse.

mod build;
mod image;
mod runs;
mod types;
mod vars;

pub use types::*;
pub use vars::{PLATFORM_ARGS, VarValue, Vars, expand, expand_with};

#[cfg(test)]
mod tests;
