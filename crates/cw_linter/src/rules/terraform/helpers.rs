//! Shared pieces of the Terraform rules.

use cw_diagnostics::TextRange;
use cw_model::terraform::{Evaluation, ModuleInstance};

/// Whether the root module deploys something rather than being a reusable module checked on its
/// own: it configures a provider or a backend, and its directory is not an example or a test.
pub(crate) fn is_deployment_root(eval: &Evaluation) -> bool {
    let root = &eval.root;
    let configured = !root.providers.is_empty()
        || root
            .terraform
            .iter()
            .any(|t| t.backend.is_some() || t.cloud.is_some());
    let sample = root.dir.split('/').any(|part| {
        matches!(
            part,
            "example" | "examples" | "test" | "tests" | "fixtures" | "testdata"
        )
    });
    configured && !sample
}

/// Where to report something a module lacks: its first `terraform` block, else its first
/// provider, module call, resource, variable or output block.
pub(crate) fn module_anchor(m: &ModuleInstance) -> Option<TextRange> {
    if let Some(t) = m.terraform.first() {
        return Some(t.range);
    }
    m.providers
        .iter()
        .map(|p| p.range)
        .chain(m.module_calls.iter().map(|c| c.range))
        .chain(m.resources.iter().map(|r| r.range))
        .chain(m.variables.iter().map(|v| v.range))
        .chain(m.outputs.iter().map(|o| o.range))
        .min_by_key(|r| r.start)
}

/// The first line of a block (`provider "aws" {`), where a finding about the whole block points.
pub(crate) fn header(ctx: &crate::RuleCtx, block: TextRange) -> TextRange {
    let text = ctx.text(block);
    let len = text
        .find('\n')
        .map_or(text.len(), |i| text[..i].trim_end().len());
    TextRange::new(block.start, block.start + u32::try_from(len).unwrap_or(0))
}

/// The module's directory for messages (`.` for the scan root).
pub(crate) fn dir_name(m: &ModuleInstance) -> &str {
    if m.dir.is_empty() { "." } else { &m.dir }
}
