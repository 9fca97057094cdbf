use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `FROM ... AS <name>` whose name an earlier stage already uses. Docker compares stage
    /// names without regard to case, so `AS Build` and `AS build` are the same name.
    ///
    /// ## Why is this bad?
    /// `COPY --from=<name>`, `RUN --mount=from=<name>`, `FROM <name>` and `--target <name>` silently
    /// pick one of the two stages, so which files end up in the image depends on the order of the
    /// stages and on the builder (BuildKit's own `DuplicateStageName` check warns about it). Two stages
    /// with one name are usually a copy-paste left-over.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22 AS build
    /// RUN npm ci && npm run build
    ///
    /// FROM golang:1.23 AS build
    /// RUN go build ./...
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22 AS web-build
    /// RUN npm ci && npm run build
    ///
    /// FROM golang:1.23 AS api-build
    /// RUN go build ./...
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: FROM](https://docs.docker.com/reference/dockerfile/#from)
    /// - [BuildKit check DuplicateStageName](https://docs.docker.com/reference/build-checks/duplicate-stage-name/)
    /// - [hadolint DL3024](https://github.com/hadolint/hadolint/wiki/DL3024)
    /// - [Trivy DS012](https://avd.aquasec.com/misconfig/ds012)
    pub struct DuplicateStageName {
        code: "DKR046",
        name: "duplicate-stage-name",
        category: Reliability,
        severity: Error,
        fix: None,
        peers: [
            Hadolint("DL3024"),
            Checkov("CKV_DOCKER_11"),
            Trivy("DS012")
        ],
    }
}

impl Rule for DuplicateStageName {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let stages = &input.dockerfile.stages;
        for (i, stage) in stages.iter().enumerate() {
            let Some(name) = &stage.name else { continue };
            let first = stages[..i].iter().find_map(|s| {
                s.name
                    .as_ref()
                    .filter(|n| n.value.eq_ignore_ascii_case(&name.value))
            });
            let Some(first) = first else { continue };
            ctx.report(
                name.range,
                format!(
                    "stage name `{}` is already used by an earlier stage",
                    name.value
                ),
            )
            .label(first.range, "first used here")
            .help("give each stage its own name")
            .resource(format!("stage {}", stage.index));
        }
    }
}
