use cw_model::github_actions::{RepositoryUses, Uses};
use cw_syntax::yaml::Node;

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `uses:` references that are not pinned to an immutable version: actions and reusable
    /// workflows referenced by a tag, a branch or a short SHA instead of a full commit SHA, and
    /// `docker://` images without a `@sha256:` digest. Steps of workflows and of composite actions,
    /// and jobs that call reusable workflows, are checked. Local references (`./...`) are part of
    /// the repository and are not reported, nor are references built from an expression.
    ///
    /// By default the actions of GitHub's own organisations (`actions/*`, `github/*`) may be
    /// referenced by tag; the `allow` option changes the list.
    ///
    /// ## Why is this bad?
    /// A tag or a branch is a pointer its owner (or whoever compromises the owner's account) can
    /// move. When `tj-actions/changed-files` was compromised in March 2025, every tag was re-pointed
    /// at a commit that dumped the runner's memory, secrets included, into the logs of thousands of
    /// workflows. A full commit SHA cannot be moved.
    ///
    /// ## Example
    /// ```yaml
    /// steps:
    ///   - uses: tj-actions/changed-files@v45
    /// ```
    ///
    /// Use instead (keep the version in a comment so that update bots can bump both):
    /// ```yaml
    /// steps:
    ///   - uses: tj-actions/changed-files@2f7c5bfce28377bc069a65ba478de0a74aa0ca32 # v46.0.1
    /// ```
    ///
    /// ## Options
    /// `allow`: references that may use a tag or a branch: `owner/*` (every repository of an
    /// owner), `owner/repo`, or `owner/repo/path`, compared without regard to case. The default is
    /// `["actions/*", "github/*"]`; set it to `[]` to require SHAs everywhere.
    ///
    /// ```toml
    /// [rules.action-not-sha-pinned]
    /// allow = ["actions/*", "github/*", "my-org/*"]
    /// ```
    ///
    /// ## References
    /// - [Security hardening: using third-party actions](https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions)
    /// - [zizmor: unpinned-uses](https://docs.zizmor.sh/audits/#unpinned-uses)
    /// - [CVE-2025-30066 (tj-actions/changed-files)](https://github.com/advisories/GHSA-mrrh-fwg8-r2c3)
    pub struct ActionNotShaPinned {
        code: "GHA001",
        name: "action-not-sha-pinned",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [
            Zizmor("unpinned-uses"),
            Kics("Unpinned Actions Full Length Commit SHA"),
        ],
    }
}

/// `[rules.action-not-sha-pinned]`.
#[derive(Debug, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ActionNotShaPinnedOptions {
    /// References that may be pinned by tag or branch: `owner/*`, `owner/repo`, `owner/repo/path`.
    pub allow: Vec<String>,
}

impl Default for ActionNotShaPinnedOptions {
    fn default() -> Self {
        Self {
            allow: vec!["actions/*".to_string(), "github/*".to_string()],
        }
    }
}

impl RuleOptions for ActionNotShaPinnedOptions {}

fn allowed(r: &RepositoryUses<'_>, allow: &[String]) -> bool {
    allow.iter().any(|pattern| {
        let pattern = pattern.trim();
        if pattern == "*" {
            return true;
        }
        match pattern.strip_suffix("/*") {
            Some(owner) if !owner.contains('/') => r.owner.eq_ignore_ascii_case(owner),
            _ => r.is(pattern) || r.is(&format!("{pattern}/*")),
        }
    })
}

impl Rule for ActionNotShaPinned {
    type Input = GithubActionsInput;
    type Options = ActionNotShaPinnedOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let allow = ctx.options::<ActionNotShaPinnedOptions>().allow.clone();
        let file = &input.file;
        let mut found: Vec<(Uses<'_>, &Node, String)> = Vec::new();
        if let Some(w) = file.workflow() {
            for job in w.jobs() {
                if let Some((uses, node)) = job.uses() {
                    found.push((uses, node, job.display()));
                }
            }
        }
        for step in file.steps() {
            if let Some((uses, node)) = step.uses() {
                found.push((uses, node, step.display()));
            }
        }
        found.sort_by_key(|(_, node, _)| node.site_range().start);
        for (uses, node, resource) in found {
            let raw = node.as_str().unwrap_or("").trim();
            match uses {
                Uses::Repository(r) => {
                    if r.git_ref.is_none() || r.is_sha_pinned() || allowed(&r, &allow) {
                        continue;
                    }
                    let what = if r.is_reusable_workflow() {
                        "reusable workflow"
                    } else {
                        "action"
                    };
                    let short_sha = r.git_ref.is_some_and(|g| {
                        g.len() >= 7 && g.len() < 40 && g.bytes().all(|b| b.is_ascii_hexdigit())
                    });
                    let message = if short_sha {
                        format!("{what} `{raw}` is pinned to a short SHA, not a full commit SHA")
                    } else {
                        format!("{what} `{raw}` is not pinned to a full commit SHA")
                    };
                    let help = if short_sha {
                        format!(
                            "use the full 40-character commit SHA that `{}` abbreviates",
                            r.git_ref.unwrap_or_default()
                        )
                    } else {
                        format!(
                            "pin the commit SHA and keep the version in a comment: `{}@<40-hex-sha> # {}`",
                            r.action(),
                            r.git_ref.unwrap_or_default()
                        )
                    };
                    ctx.report(node.site_range(), message)
                        .help(help)
                        .resource(resource);
                }
                Uses::Docker(image) => {
                    if image.is_digest_pinned() {
                        continue;
                    }
                    ctx.report(
                        node.site_range(),
                        format!("container action `{raw}` is not pinned to an image digest"),
                    )
                    .help(format!(
                        "pin the digest: `docker://{}@sha256:<digest>`",
                        image.raw.split('@').next().unwrap_or(image.raw)
                    ))
                    .resource(resource);
                }
                Uses::Local(_) => {}
            }
        }
    }
}
