//! Span-preserving parsers. Every node keeps the byte range of the source it came from.

pub mod dockerfile;
pub mod hcl;
pub mod shell;
pub mod yaml;
