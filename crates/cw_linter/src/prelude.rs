//! What a rule file needs: `use crate::prelude::*;`.

pub use cw_diagnostics::{Applicability, Edit, Fix, RuleMeta, Spanned, TextRange};

pub use crate::ctx::{Finding, RuleCtx};
pub use crate::input::{
    AwsInput, ClusterInput, ComposeInput, DockerfileInput, GithubActionsInput, GitlabCiInput,
    KubernetesInput, TerraformInput, TerraformStateInput,
};
pub use crate::rule::{NoOptions, Rule, RuleMetadata, RuleOptions};
pub use crate::rules::secrets::TextInput;
