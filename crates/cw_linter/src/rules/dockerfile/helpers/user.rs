//! Who the final stage's process runs as: its `USER`, the base image's default, privilege
//! droppers in the entrypoint.

use cw_model::dockerfile::{BaseKind, Dockerfile, ImageRef, Stage, UserRef};

use super::stages::{root_stage, start_instruction, start_program};

/// Programs that start another program as a given (non-root) user.
const PRIVILEGE_DROPPERS: [&str; 7] = [
    "gosu",
    "su-exec",
    "setpriv",
    "runuser",
    "s6-setuidgid",
    "chpst",
    "setuidgid",
];

/// Docker Hub official images whose default user is root and which do not drop privileges in
/// their entrypoint.
pub(crate) const ROOT_IMAGES: [&str; 27] = [
    "alpine",
    "almalinux",
    "amazoncorretto",
    "amazonlinux",
    "bash",
    "buildpack-deps",
    "busybox",
    "caddy",
    "centos",
    "debian",
    "eclipse-temurin",
    "fedora",
    "gcc",
    "golang",
    "httpd",
    "nginx",
    "node",
    "openjdk",
    "oraclelinux",
    "perl",
    "php",
    "python",
    "rockylinux",
    "ruby",
    "rust",
    "traefik",
    "ubuntu",
];

/// `root` or UID 0, when the value is known.
pub(crate) fn is_root(user: &UserRef) -> bool {
    if user.unknown {
        return false;
    }
    let name = user.user.value.as_str();
    name == "root" || (!name.is_empty() && name.bytes().all(|b| b == b'0'))
}

/// The ENTRYPOINT in force (or, without one, the CMD) starts a program that switches user.
pub(crate) fn drops_privileges(df: &Dockerfile, stage: &Stage) -> bool {
    start_instruction(df, stage)
        .and_then(|(_, ins)| start_program(ins))
        .is_some_and(|p| PRIVILEGE_DROPPERS.contains(&p.as_str()))
}

/// Images documented to default to a non-root user.
pub(crate) fn runs_as_non_root(image: &ImageRef) -> bool {
    let tag = image.tag.as_deref().unwrap_or("");
    // gcr.io/distroless/*:nonroot, :debug-nonroot, :latest-nonroot...
    let distroless_nonroot =
        image.repository.starts_with("distroless/") && tag.split('-').any(|part| part == "nonroot");
    distroless_nonroot || image.short_name().ends_with("-unprivileged")
}

/// A Docker Hub official image known to run as root by default ([`ROOT_IMAGES`]).
pub(crate) fn is_root_image(image: &ImageRef) -> bool {
    let docker_hub = image
        .registry
        .as_deref()
        .is_none_or(|r| matches!(r, "docker.io" | "index.docker.io"));
    let repository = image
        .repository
        .strip_prefix("library/")
        .unwrap_or(&image.repository);
    docker_hub && ROOT_IMAGES.contains(&repository)
}

/// Why the final stage's process is known to run as root: `USER root` (or UID 0) in force, or no
/// `USER` on a base that runs as root (`scratch`, an official image of [`ROOT_IMAGES`]). `None`
/// when it runs as another user or when that cannot be known.
pub(crate) fn final_stage_root(df: &Dockerfile) -> Option<String> {
    let stage = df.final_stage()?;
    if let Some(user) = &stage.user {
        return (is_root(user) && !drops_privileges(df, stage))
            .then(|| format!("`USER {}`", user.user.value));
    }
    if drops_privileges(df, stage) {
        return None;
    }
    match &root_stage(df, stage).base.kind {
        BaseKind::Scratch => Some("no `USER` on `scratch`".to_owned()),
        BaseKind::Image(image) if is_root_image(image) && !runs_as_non_root(image) => Some(
            format!("no `USER`, and `{}` runs as root", image.short_name()),
        ),
        _ => None,
    }
}
