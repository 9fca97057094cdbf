//! The GitLab CI model: `.gitlab-ci.yml` and its local includes.

use cw_syntax::yaml::{YamlFile, parse_yaml};

/// A pipeline definition.
#[derive(Clone, Debug, Default)]
pub struct GitlabCiFile {
    pub yaml: YamlFile,
}

impl GitlabCiFile {
    pub fn from_source(text: &str) -> Self {
        Self {
            yaml: parse_yaml(text),
        }
    }
}
