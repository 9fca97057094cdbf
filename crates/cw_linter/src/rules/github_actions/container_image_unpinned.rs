use cw_model::github_actions::{DockerImage, Str};

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags container images that are not pinned by digest: a job's `container:`, its
    /// `services:`, and the `runs.image: docker://...` of a Docker action. Images built from an
    /// expression (`${{ matrix.image }}`) and a Docker action's own `Dockerfile` are not reported.
    ///
    /// ## Why is this bad?
    /// A tag is a pointer the image's publisher (or anyone who takes over the repository or the
    /// registry account) can move; `latest`, or no tag at all, moves with every release. The job
    /// then runs different software from one run to the next, with its token and secrets. Only a
    /// digest (`@sha256:...`) names one immutable image; a bot such as Dependabot or Renovate keeps
    /// digests current.
    ///
    /// ## Example
    /// ```yaml
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     container: node:20
    ///     services:
    ///       db:
    ///         image: postgres
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     container: node:20@sha256:8c5b8e0a3c1a2f0e4e8e2d3a6b7c0b1d7f7e6a5c4b3a2918171615141312111a
    ///     services:
    ///       db:
    ///         image: postgres:16@sha256:4f1c1b0e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6
    /// ```
    ///
    /// ## References
    /// - [Running jobs in a container](https://docs.github.com/en/actions/writing-workflows/choosing-where-your-workflow-runs/running-jobs-in-a-container)
    /// - [Docker: pull an image by digest](https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier)
    /// - [zizmor: unpinned-images](https://docs.zizmor.sh/audits/#unpinned-images)
    pub struct ContainerImageUnpinned {
        code: "GHA014",
        name: "container-image-unpinned",
        category: Reproducibility,
        severity: Warning,
        fix: None,
        peers: [Zizmor("unpinned-images")],
    }
}

fn check_image(
    ctx: &mut RuleCtx,
    image: &Str<'_>,
    parsed: &DockerImage<'_>,
    what: &str,
    resource: String,
) {
    if parsed.is_digest_pinned() {
        return;
    }
    let how = match parsed.tag {
        None => "has no tag (it means `latest`) and no digest".to_string(),
        Some("latest") => "uses the `latest` tag and no digest".to_string(),
        Some(_) => "is pinned by tag only, not by digest".to_string(),
    };
    ctx.report(image.range, format!("{what} image `{}` {how}", parsed.raw))
        .help(match parsed.tag {
            Some(tag) if tag != "latest" => {
                format!("pin the digest: `{}:{tag}@sha256:<digest>`", parsed.name)
            }
            _ => format!(
                "pin a version and its digest: `{}:<version>@sha256:<digest>`",
                parsed.name
            ),
        })
        .resource(resource);
}

impl Rule for ContainerImageUnpinned {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let file = &input.file;
        if let Some(action) = file.action()
            && let Some(image) = action.image()
            && let Some(parsed) = action.docker_image()
        {
            check_image(ctx, &image, &parsed, "the action's", "action".to_string());
        }
        let Some(workflow) = file.workflow() else {
            return;
        };
        for job in workflow.jobs() {
            if let Some(container) = job.container()
                && let (Some(image), Some(parsed)) = (container.image(), container.image_ref())
            {
                check_image(
                    ctx,
                    &image,
                    &parsed,
                    &format!("job `{}` container", job.id()),
                    job.display(),
                );
            }
            for (name, service) in job.services() {
                if let (Some(image), Some(parsed)) = (service.image(), service.image_ref()) {
                    check_image(
                        ctx,
                        &image,
                        &parsed,
                        &format!("service `{}`", name.value),
                        format!("{} service {}", job.display(), name.value),
                    );
                }
            }
        }
    }
}
