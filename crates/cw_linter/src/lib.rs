//! The rule engine. Pure: text and settings in, diagnostics out. No file-system or network access,
//! so the same engine serves the CLI, the admission webhook, an editor server and tests.

#[macro_use]
mod macros;
mod ctx;
mod engine;
mod fix;
mod input;
mod registry;
mod rule;
mod settings;
mod suppression;
mod text;

pub mod baseline;
pub mod docs;
pub mod prelude;
pub mod rules;
pub mod test_support;

pub use ctx::{Finding, RuleCtx};
pub use engine::{
    FileFacts, FileKind, FileResult, ObjectsResult, PipelineFile, ScanFiles, TerraformFacts,
    TerraformResult, finish_file, lint_cluster, lint_file, lint_manifest, lint_objects,
    lint_pipeline, lint_terraform, parse_pipeline_file, problem_finding, skipped_file,
};
pub use fix::{Fixed, apply_fixes};
pub use input::{
    AwsInput, BuildDockerfile, ClusterInput, ComposeInput, DockerfileInput, GithubActionsInput,
    GitlabCiInput, InputKind, KubernetesInput, RuleInput, TerraformInput, TerraformStateInput,
};
pub use registry::{RULES, RuleEntry, rule_by_code_or_name};
pub use rule::{NoOptions, Rule, RuleMetadata, RuleOptions};
pub use settings::{
    PerPathIgnore, Selector, SelectorError, Settings, SettingsBuilder, SettingsError,
};
