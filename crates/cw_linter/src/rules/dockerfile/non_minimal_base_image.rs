use super::helpers::stages::{
    image_display, literal_tag_range, official_name, root_image, stage_resource,
};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a final stage built on the full variant of a Docker Hub official image that also comes
    /// in a slim one: `python`, `node`, `ruby`, `perl`, `rust`, `openjdk` and `debian` without `slim`
    /// or `alpine` in the tag (`python:3.12`, `node:22-bookworm`, `debian:bookworm`). The final stage's
    /// `FROM` chain is followed to its registry image; build stages are not judged, since they do not
    /// ship. Windows tags (`windowsservercore`, `nanoserver`) and references that use a variable without
    /// a known value are not reported.
    ///
    /// ## Why is this bad?
    /// The full variants are built for compiling: they carry compilers, headers, version control and
    /// hundreds of libraries the application never loads. `python:3.12` is about 1 GB against 150 MB for
    /// `python:3.12-slim`; every extra package is more to pull on each deploy, more to scan and more
    /// CVEs to triage. If the build needs the full image, keep it in a build stage and copy the result
    /// into a slim one.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12
    /// COPY . /app
    /// CMD ["python", "/app/main.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY . /app
    /// CMD ["python", "/app/main.py"]
    /// ```
    ///
    /// ## References
    /// - [Docker build best practices: choose the right base image](https://docs.docker.com/build/building/best-practices/#choose-the-right-base-image)
    /// - [Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
    /// - [Docker Official Images: python image variants](https://hub.docker.com/_/python)
    pub struct NonMinimalBaseImage {
        code: "DKR010",
        name: "non-minimal-base-image",
        category: Efficiency,
        severity: Info,
        fix: None,
        peers: [

        ],
    }
}

/// Official images with a `-slim` variant.
const HAS_SLIM: [&str; 7] = [
    "python", "node", "ruby", "perl", "rust", "openjdk", "debian",
];

/// Tag words of variants that are already small, or that this rule does not judge.
const MINIMAL_WORDS: [&str; 6] = [
    "slim",
    "alpine",
    "distroless",
    "windowsservercore",
    "nanoserver",
    "busybox",
];

impl Rule for NonMinimalBaseImage {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        let Some(stage) = df.final_stage() else {
            return;
        };
        let Some((root, image)) = root_image(df, stage) else {
            return;
        };
        let Some(name) = official_name(image) else {
            return;
        };
        if !HAS_SLIM.contains(&name) {
            return;
        }
        let tag = image.tag.as_deref().unwrap_or("latest");
        if tag
            .split(['-', '.', '_'])
            .any(|w| MINIMAL_WORDS.contains(&w))
        {
            return;
        }
        let slim = slim_tag(name, tag);
        let raw = &root.base.raw;
        let range = literal_tag_range(raw, image, ctx.source()).unwrap_or(raw.range);
        let finding = ctx
            .report(
                range,
                format!(
                    "the final image is built on `{}`, the full variant rather than the slim one",
                    image_display(image)
                ),
            )
            .help(format!(
                "use `{name}:{slim}`; if the build needs compilers or headers, build in a full-image stage and copy the result"
            ))
            .resource(stage_resource(stage));
        if root.index != stage.index {
            finding.label(
                df.instruction(stage.from).range,
                "the final stage is built on that stage",
            );
        }
    }
}

/// The slim tag matching `tag`: `3.12` → `3.12-slim`, `3.12-bookworm` → `3.12-slim-bookworm`,
/// `bookworm` (debian) → `bookworm-slim`, `22-bookworm` (node) → `22-bookworm-slim`, `latest` → `slim`.
fn slim_tag(name: &str, tag: &str) -> String {
    if tag == "latest" {
        return "slim".to_string();
    }
    // Debian and Node put `-slim` last: `bookworm-slim`, `22-bookworm-slim`.
    if name == "debian" || name == "node" {
        return format!("{tag}-slim");
    }
    let releases = ["bookworm", "bullseye", "buster", "trixie", "stretch"];
    match tag.rsplit_once('-') {
        Some((version, release)) if releases.contains(&release) => {
            format!("{version}-slim-{release}")
        }
        _ if releases.contains(&tag) => format!("slim-{tag}"),
        _ => format!("{tag}-slim"),
    }
}

#[cfg(test)]
mod tests {
    use super::slim_tag;

    #[test]
    fn slim_tags() {
        assert_eq!(slim_tag("python", "3.12"), "3.12-slim");
        assert_eq!(slim_tag("python", "3.12-bookworm"), "3.12-slim-bookworm");
        assert_eq!(slim_tag("python", "bookworm"), "slim-bookworm");
        assert_eq!(slim_tag("ruby", "latest"), "slim");
        assert_eq!(slim_tag("node", "22-bookworm"), "22-bookworm-slim");
        assert_eq!(slim_tag("debian", "12"), "12-slim");
    }
}
