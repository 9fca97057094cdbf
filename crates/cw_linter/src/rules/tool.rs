//! cloudwright's own diagnostics (`CW`): raised by the engine and the walk, selectable like rules.

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a file that does not parse, with the exact position of the problem.
    ///
    /// ## Why is this bad?
    /// A file that does not parse cannot be built or applied, and cloudwright cannot check what it
    /// cannot read: the rest of the file may hide real problems.
    pub struct ParseError {
        code: "CW001",
        name: "invalid-syntax",
        category: Tool,
        severity: Error,
        fix: None,
        peers: [],
    }
}

impl Rule for ParseError {
    type Input = ();
    type Options = NoOptions;
    fn check(&self, (): &(), _: &mut RuleCtx) {}
}

declare_rule! {
    /// ## What it does
    /// Reports a suppression comment that names an unknown rule, or that suppresses nothing.
    ///
    /// ## Why is this bad?
    /// A misspelt code silently suppresses nothing, and a suppression that no longer matches a
    /// finding hides the next real problem on that line. Keep suppressions exact and current.
    ///
    /// ## Example
    /// ```dockerfile
    /// # cloudwright: ignore[DKR999]
    /// FROM python:3.12
    /// ```
    pub struct InvalidSuppression {
        code: "CW002",
        name: "invalid-suppression",
        category: Tool,
        severity: Warning,
        fix: None,
        peers: [],
    }
}

impl Rule for InvalidSuppression {
    type Input = ();
    type Options = NoOptions;
    fn check(&self, (): &(), _: &mut RuleCtx) {}
}

declare_rule! {
    /// ## What it does
    /// Reports a file that the walk found but could not check: unreadable, not UTF-8, or larger
    /// than the size cap (`max-file-size` in `cloudwright.toml`, 5 MB by default).
    ///
    /// ## Why is this bad?
    /// A file that is skipped is not reviewed. The finding makes the gap visible instead of silent.
    pub struct SkippedFile {
        code: "CW003",
        name: "skipped-file",
        category: Tool,
        severity: Info,
        fix: None,
        peers: [],
    }
}

impl Rule for SkippedFile {
    type Input = ();
    type Options = NoOptions;
    fn check(&self, (): &(), _: &mut RuleCtx) {}
}

declare_rule! {
    /// ## What it does
    /// Reports infrastructure code that cloudwright found but could not render, so its rules did not
    /// run on it: a Helm chart (its `templates/` are Go templates, not YAML), a remote Kustomize
    /// resource or a kustomization feature that is not supported, a remote Terraform module.
    ///
    /// ## Why is this bad?
    /// What is not rendered is not reviewed. The finding makes the gap visible instead of silent, and
    /// says what to do: render the chart (`helm template`) and scan the output, or vendor the remote
    /// resource.
    ///
    /// ## Example
    /// ```yaml
    /// # charts/web/Chart.yaml
    /// apiVersion: v2
    /// name: web
    /// version: 1.2.0
    /// ```
    ///
    /// Use instead: scan the rendered manifests as well.
    /// ```text
    /// helm template charts/web > rendered/web.yaml && cloudwright scan rendered/
    /// ```
    ///
    /// ## References
    /// - [helm template](https://helm.sh/docs/helm/helm_template/)
    pub struct NotRendered {
        code: "CW004",
        name: "not-rendered",
        category: Tool,
        severity: Info,
        fix: None,
        peers: [],
    }
}

impl Rule for NotRendered {
    type Input = ();
    type Options = NoOptions;
    fn check(&self, (): &(), _: &mut RuleCtx) {}
}
