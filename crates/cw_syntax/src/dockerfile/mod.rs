//! Dockerfile / Containerfile syntax: parser directives, instructions with flags, exec and shell
//! forms, continuations with either escape character, comments inside continuations and heredocs.
//!
//! The parser follows BuildKit's (`frontend/dockerfile/parser`) line by line, so that what Docker
//! accepts parses without errors and what it rejects gets a [`SyntaxError`] at the right place.

mod ast;
mod directives;
mod exec;
mod flags;
mod heredoc;
mod lines;
mod parser;
mod validate;
mod words;

pub use ast::*;

/// Parses a Dockerfile. Never fails and never panics: problems are recorded in
/// [`DockerfileAst::errors`]. Every range is a byte range of `text`.
pub fn parse(text: &str) -> DockerfileAst {
    parser::parse(text)
}

/// `^[a-z][a-z0-9-_.]*$`: whether `name` (lowercased) is a valid build stage name.
pub fn is_valid_stage_name(name: &str) -> bool {
    validate::valid_stage_name(&name.to_ascii_lowercase())
}

#[cfg(test)]
mod tests;
