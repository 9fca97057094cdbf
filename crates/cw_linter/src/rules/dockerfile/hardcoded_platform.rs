use super::helpers::stages::stage_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=<value>` where the value is written literally (`--platform=linux/amd64`),
    /// in any stage. A value that uses a variable (`--platform=$BUILDPLATFORM`, `$TARGETPLATFORM`, or an
    /// `ARG` that `--build-arg` can override) is not reported, and neither is a stage named after its
    /// platform (`FROM --platform=linux/arm64 alpine AS base-arm64`), one arm of a per-platform
    /// selection such as `FROM base-${TARGETARCH}`.
    ///
    /// ## Why is this bad?
    /// A literal platform pins the stage to one architecture whatever `docker buildx build --platform`
    /// asks for: a multi-platform build silently produces amd64 binaries in the arm64 image (which fail
    /// with `exec format error`), or runs every step under slow emulation. Cross-compiling build stages
    /// should use `$BUILDPLATFORM`, and the target platform belongs on the command line.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 golang:1.23 AS build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM --platform=$BUILDPLATFORM golang:1.23 AS build
    /// ARG TARGETOS TARGETARCH
    /// RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: FROM](https://docs.docker.com/reference/dockerfile/#from)
    /// - [Multi-platform builds: cross-compilation](https://docs.docker.com/build/building/multi-platform/#cross-compilation)
    /// - [BuildKit check FromPlatformFlagConstDisallowed](https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/)
    /// - [hadolint DL3029](https://github.com/hadolint/hadolint/wiki/DL3029)
    pub struct HardcodedPlatform {
        code: "DKR054",
        name: "hardcoded-platform",
        category: Maintainability,
        severity: Info,
        fix: None,
        peers: [
            Hadolint("DL3029"),
            Hadolint("DL3065")
        ],
    }
}

const HELP: &str = "use `--platform=$BUILDPLATFORM` for a cross-compiling build stage, or drop the \
                    flag and pass `--platform` to `docker buildx build`";

impl Rule for HardcodedPlatform {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        for stage in &input.dockerfile.stages {
            let Some(platform) = &stage.platform else {
                continue;
            };
            let written = ctx.text(platform.range);
            if platform.value.is_empty() || written.contains('$') || platform.value.contains('$') {
                continue;
            }
            if named_for_platform(
                stage.name.as_ref().map(|n| n.value.as_str()),
                &platform.value,
            ) {
                continue;
            }
            let what = if platform.value.contains(',') {
                "fixed platforms"
            } else {
                "one platform"
            };
            ctx.report(
                platform.range,
                format!(
                    "`FROM --platform={}` pins the stage to {what}",
                    platform.value
                ),
            )
            .help(HELP)
            .resource(stage_resource(stage));
        }
    }
}

/// A stage named after its platform (`FROM --platform=linux/arm64 alpine AS base-arm64`) is one arm of
/// a per-platform selection (`FROM base-${TARGETARCH}`): pinning it is the point.
fn named_for_platform(name: Option<&str>, platform: &str) -> bool {
    let Some(name) = name else { return false };
    let name = name.to_ascii_lowercase();
    // The architecture (and variant) of each `os/arch[/variant]`.
    platform.to_ascii_lowercase().split(',').any(|p| {
        p.split('/')
            .skip(1)
            .filter(|part| part.len() > 1)
            .any(|part| name.contains(part))
    })
}
