use std::any::Any;

use cw_model::compose::ComposeFile;
use cw_model::dockerfile::Dockerfile;

/// The kinds of input rules are written against. The engine builds each input once per file and
/// runs every enabled rule of that kind on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// cloudwright's own diagnostics (`CW###`): raised by the engine, never dispatched.
    Tool,
    Dockerfile,
    Compose,
}

pub trait RuleInput: Any + Send + Sync {
    const KIND: InputKind;
}

/// Tool diagnostics take no input.
impl RuleInput for () {
    const KIND: InputKind = InputKind::Tool;
}

/// A Dockerfile with the facts about its surroundings that the walk found.
#[derive(Debug)]
pub struct DockerfileInput {
    pub dockerfile: Dockerfile,
    /// Whether a `.dockerignore` applies: one beside the Dockerfile, `<name>.dockerignore`, or one in a
    /// parent directory up to the scan root (the build context may be any of them). `None` when unknown.
    pub dockerignore: Option<bool>,
}

impl RuleInput for DockerfileInput {
    const KIND: InputKind = InputKind::Dockerfile;
}

/// A Docker Compose file.
#[derive(Debug)]
pub struct ComposeInput {
    pub compose: ComposeFile,
}

impl RuleInput for ComposeInput {
    const KIND: InputKind = InputKind::Compose;
}
