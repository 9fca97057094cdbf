use cw_model::gitlab_ci::{Include, IncludeKind};

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags includes that pull pipeline code which can change without a change to this
    /// repository:
    /// - `include: project:` without `ref:` (the other project's default branch) or with a ref
    ///   that names a branch (`main`, `master`, `develop`, `release/2.x`, ...). A ref that looks
    ///   like a version tag (`v1.2.3`, `2024.01`, `templates-v2`), a `refs/tags/...` ref or a full
    ///   commit SHA is pinned; a ref that holds a variable is not known and not reported.
    /// - `include: remote:` (or a plain URL) without `integrity:`, unless the URL contains a full
    ///   commit SHA (`.../-/raw/<sha>/ci.yml`).
    /// - `include: component:` at `@~latest` or at a branch (`@main`); a version (`@1.2.3`, also a
    ///   partial one like `@1.2`) or a commit SHA is pinned.
    ///
    /// `include: local:` and `include: template:` (shipped with your GitLab instance) are not
    /// reported. Includes in included files are checked too.
    ///
    /// ## Why is this bad?
    /// Included configuration runs with the job's CI/CD variables and tokens. Whoever can push to
    /// the included branch, or serve the remote URL, changes what every pipeline of this project
    /// runs, with no review here and no trace in this repository's history; a moving include also
    /// makes an old pipeline impossible to reproduce.
    ///
    /// ## Example
    /// ```yaml
    /// include:
    ///   - project: platform/ci-templates
    ///     file: /deploy.yml
    ///   - remote: https://example.com/ci/lint.yml
    ///   - component: $CI_SERVER_FQDN/platform/components/sast@main
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// include:
    ///   - project: platform/ci-templates
    ///     ref: v3.4.1
    ///     file: /deploy.yml
    ///   - remote: https://example.com/ci/lint.yml
    ///     integrity: sha256-L3/GAoKaw0Arw6hDCKeKQlV1QPEgHYxGBHsH4zG1IY8=
    ///   - component: $CI_SERVER_FQDN/platform/components/sast@2.1.0
    /// ```
    ///
    /// ## References
    /// - [GitLab CI/CD YAML syntax: include](https://docs.gitlab.com/ci/yaml/#include)
    /// - [include:integrity](https://docs.gitlab.com/ci/yaml/#includeintegrity)
    /// - [CI/CD components: component versions](https://docs.gitlab.com/ci/components/#component-versions)
    pub struct IncludeUnpinned {
        code: "GLC002",
        name: "include-unpinned",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [],
    }
}

impl Rule for IncludeUnpinned {
    type Input = GitlabCiInput;
    type Options = NoOptions;

    fn check(&self, input: &GitlabCiInput, ctx: &mut RuleCtx) {
        for include in input.pipeline.include_entries() {
            check(&include, ctx);
        }
    }
}

fn check(include: &Include<'_>, ctx: &mut RuleCtx) {
    let resource = match include.file {
        Some(path) => format!("include in {path}"),
        None => "include".to_string(),
    };
    match &include.kind {
        IncludeKind::Project {
            project, reference, ..
        } => match reference {
            None => {
                ctx.report(
                    project.range,
                    format!(
                        "include of project `{}` has no `ref:`: it follows the project's default branch",
                        project.value
                    ),
                )
                .help("add `ref:` with a release tag or a full commit SHA")
                .resource(resource);
            }
            Some(r) if !r.value.contains('$') && !is_pinned_ref(r.value) => {
                let what = if is_branch_name(r.value) {
                    format!("the branch `{}`", r.value)
                } else {
                    format!("`{}`, which is not a version tag or a commit SHA", r.value)
                };
                ctx.report(
                    r.range,
                    format!("include of project `{}` uses {what}", project.value),
                )
                .help("pin `ref:` to a release tag or a full commit SHA")
                .resource(resource);
            }
            Some(_) => {}
        },
        IncludeKind::Remote { url, integrity } => {
            if integrity.is_some() || has_commit_sha(url.value) {
                return;
            }
            ctx.report(
                url.range,
                format!(
                    "remote include `{}` can change at any time without a change here",
                    url.value
                ),
            )
            .help("add `integrity: sha256-...` with the file's hash, or vendor the file and use `include: local`")
            .resource(resource);
        }
        IncludeKind::Component(path) => {
            let Some((_, version)) = path.value.rsplit_once('@') else {
                return;
            };
            if version.contains('$') || is_component_version(version) || is_pinned_ref(version) {
                return;
            }
            let what = if version == "~latest" {
                "`@~latest`, the newest release whenever the pipeline runs".to_string()
            } else if is_branch_name(version) {
                format!("the branch `@{version}`")
            } else {
                format!("`@{version}`, which is not a version or a commit SHA")
            };
            ctx.report(
                path.range,
                format!("component `{}` is included at {what}", path.value),
            )
            .help("pin the component to a released version (`@1.2.3`) or a full commit SHA")
            .resource(resource);
        }
        IncludeKind::Local(_) | IncludeKind::Template(_) | IncludeKind::Other => {}
    }
}

/// A full commit SHA (40 hex digits, or 64 for SHA-256 repositories).
fn is_sha(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether a URL has a full commit SHA as one of its path segments.
fn has_commit_sha(url: &str) -> bool {
    url.split(['/', '?', '&', '=']).any(is_sha)
}

/// Branch names everyone uses.
const BRANCHES: [&str; 14] = [
    "main",
    "master",
    "develop",
    "development",
    "dev",
    "trunk",
    "stable",
    "latest",
    "head",
    "next",
    "edge",
    "nightly",
    "staging",
    "production",
];

fn is_branch_name(r: &str) -> bool {
    BRANCHES.contains(&r.to_ascii_lowercase().as_str()) || r.contains('/')
}

/// A ref that does not move: a commit SHA, `refs/tags/...`, or a name that looks like a version
/// tag (`v2`, `1.4.0`, `templates-v2.1`), unless it is in a branch namespace (`release/1.2`).
fn is_pinned_ref(r: &str) -> bool {
    if is_sha(r) {
        return true;
    }
    if let Some(tag) = r.strip_prefix("refs/tags/") {
        return !tag.is_empty();
    }
    if r.starts_with("refs/") || is_branch_name(r) {
        return false;
    }
    let plain = r.strip_prefix(['v', 'V']).unwrap_or(r);
    if !plain.is_empty() && plain.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    has_dotted_version(r)
}

/// `1.2`, `v3.4.1`, `templates-2.0.0-rc1`: digits, a dot, digits somewhere in the name.
fn has_dotted_version(r: &str) -> bool {
    let b = r.as_bytes();
    (1..b.len().saturating_sub(1))
        .any(|i| b[i] == b'.' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit())
}

/// A component version: a full or partial semantic version (`1`, `1.2`, `1.2.3`, `1.2.3-rc.1`).
fn is_component_version(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or(v);
    !core.is_empty()
        && core
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::{is_component_version, is_pinned_ref};

    #[test]
    fn refs() {
        for r in [
            "v1.2.3",
            "1.2.3",
            "v2",
            "templates-v2.1",
            "refs/tags/stable",
            "0123456789abcdef0123456789abcdef01234567",
        ] {
            assert!(is_pinned_ref(r), "{r}");
        }
        for r in [
            "main",
            "master",
            "release/1.2",
            "feature-x",
            "HEAD",
            "refs/heads/v1.0",
        ] {
            assert!(!is_pinned_ref(r), "{r}");
        }
        for v in ["1", "1.2", "1.2.3", "1.2.3-rc.1"] {
            assert!(is_component_version(v), "{v}");
        }
        for v in ["main", "~latest", "v1.2.3", ""] {
            assert!(!is_component_version(v), "{v}");
        }
    }
}
