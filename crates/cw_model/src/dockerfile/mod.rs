//! The Dockerfile model: stages, resolved base images, and each RUN's shell commands.
//!
//! Built once per file from the syntax tree; rules read it and never re-parse.

mod types;

pub use types::*;
