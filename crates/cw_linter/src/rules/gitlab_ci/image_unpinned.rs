use cw_model::gitlab_ci::{Image, ImageRef, Job};

use super::helpers::{Seen, jobs_in_order};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `image:` or a `services:` image without a tag (`image: node`) or with the `latest`
    /// tag, unless it is pinned by digest (`@sha256:...`). Jobs, templates (`.name`) and
    /// `default:` are checked, and a value several jobs inherit is reported once, where it is
    /// written.
    ///
    /// An image that names variables (`$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA`) is resolved from the
    /// job's and the pipeline's `variables:` when they set every one of them; otherwise it is not
    /// reported, unless its last path segment is literal (`$CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX/node`
    /// has no tag whatever the prefix is).
    ///
    /// ## Why is this bad?
    /// `latest` (or no tag, which means `latest`) moves with every upstream release: the same
    /// pipeline runs different tools from one day to the next, a build that passed yesterday
    /// fails today for no change of yours, and a compromised upstream image runs in your CI with
    /// your CI/CD variables.
    ///
    /// ## Example
    /// ```yaml
    /// test:
    ///   image: python
    ///   services:
    ///     - postgres:latest
    ///   script: [pytest]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// test:
    ///   image: python:3.12-slim
    ///   services:
    ///     - postgres:16.3
    ///   script: [pytest]
    /// ```
    ///
    /// ## References
    /// - [GitLab CI/CD YAML syntax: image](https://docs.gitlab.com/ci/yaml/#image)
    /// - [GitLab CI/CD YAML syntax: services](https://docs.gitlab.com/ci/yaml/#services)
    pub struct ImageUnpinned {
        code: "GLC001",
        name: "image-unpinned",
        category: Reproducibility,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_GITLABCI_3")],
    }
}

impl Rule for ImageUnpinned {
    type Input = GitlabCiInput;
    type Options = NoOptions;

    fn check(&self, input: &GitlabCiInput, ctx: &mut RuleCtx) {
        let pipeline = &input.pipeline;
        let mut seen = Seen::default();
        for job in jobs_in_order(pipeline) {
            if let Some(image) = job.image() {
                check(&image, "image", Some(&job), &job.display(), &mut seen, ctx);
            }
            for service in job.services() {
                check(
                    &service.image(),
                    "service",
                    Some(&job),
                    &job.display(),
                    &mut seen,
                    ctx,
                );
            }
        }
        let defaults = pipeline.defaults();
        if let Some(image) = defaults.image() {
            check(&image, "image", None, "default", &mut seen, ctx);
        }
        for service in defaults.services() {
            check(&service.image(), "service", None, "default", &mut seen, ctx);
        }
    }
}

fn check(
    image: &Image<'_>,
    what: &str,
    job: Option<&Job<'_>>,
    resource: &str,
    seen: &mut Seen,
    ctx: &mut RuleCtx,
) {
    let written = image.name.value.trim();
    if written.is_empty() {
        return;
    }
    let last = written.rsplit('/').next().unwrap_or(written);
    let resolved = if last.contains('$') {
        let Some(value) = job.and_then(|j| j.expand(written)) else {
            return;
        };
        Some(value)
    } else {
        None
    };
    let reference = resolved.as_deref().unwrap_or(written);
    let parsed = ImageRef::parse(reference);
    if parsed.digest.is_some() || parsed.repository.is_empty() {
        return;
    }
    let shown = match &resolved {
        Some(r) => format!("`{written}` (`{r}`)"),
        None => format!("`{written}`"),
    };
    let message = match parsed.tag {
        None => format!("{what} {shown} has no tag (it means `latest`)"),
        Some("latest") => format!("{what} {shown} uses the `latest` tag"),
        Some(_) => return,
    };
    if !seen.first(image.name.range) {
        return;
    }
    ctx.report(image.name.range, message)
        .help("pin a version tag (`name:1.2.3`) or a digest (`name@sha256:...`)")
        .resource(resource);
}
