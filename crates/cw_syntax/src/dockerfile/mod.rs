//! Dockerfile / Containerfile syntax: parser directives, instructions with flags, exec and shell
//! forms, continuations with either escape character, comments inside continuations and heredocs.

mod ast;

pub use ast::*;
