//! The GitHub Actions model: workflows and action metadata files.

use cw_syntax::yaml::{YamlFile, parse_yaml};

/// A workflow (`.github/workflows/*.yml`) or an action's metadata (`action.yml`).
#[derive(Clone, Debug, Default)]
pub struct ActionsFile {
    pub yaml: YamlFile,
    /// `action.yml`/`action.yaml` rather than a workflow.
    pub is_action: bool,
}

impl ActionsFile {
    pub fn from_source(text: &str, is_action: bool) -> Self {
        Self {
            yaml: parse_yaml(text),
            is_action,
        }
    }
}
