//! Shared pieces of the Compose rules.

use cw_diagnostics::Edit;
use cw_model::compose::Service;

/// The resource a finding is about: `service api`.
pub(crate) fn resource(service: &Service<'_>) -> String {
    format!("service {}", service.name_str())
}

/// An edit that adds `line` (`key: value`) as the first key of a block-mapping service, with the
/// indentation of its first key. `None` when the service is not written as a simple block mapping.
pub(crate) fn insert_key(service: &Service<'_>, source: &str, line: &str) -> Option<Edit> {
    if service.node.alias.is_some() || service.name.alias.is_some() {
        return None;
    }
    let first = service.node.entries().first()?;
    let at = first.key.site_range().start as usize;
    let line_start = source.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = source.get(line_start..at)?;
    if indent.is_empty() || !indent.bytes().all(|b| b == b' ') {
        return None;
    }
    // The service key must be on an earlier line (block style, not `api: {image: x}`).
    if service.name.site_range().start as usize >= line_start {
        return None;
    }
    Some(Edit::insert(line_start as u32, format!("{indent}{line}\n")))
}

/// The image's tag (`16` in `postgres:16`), if any, and whether it has a digest.
pub(crate) fn image_tag(image: &str) -> (Option<&str>, bool) {
    let (name, digest) = match image.split_once('@') {
        Some((n, _)) => (n, true),
        None => (image, false),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    (last.split_once(':').map(|(_, t)| t), digest)
}

/// The repository of an image without registry, tag or digest, for Docker Hub official images
/// (`postgres`, `library/postgres`, `docker.io/library/postgres`); `None` for other registries and
/// namespaces.
pub(crate) fn official_repository(image: &str) -> Option<&str> {
    let name = image.split('@').next().unwrap_or(image);
    let name = name
        .strip_prefix("docker.io/")
        .or_else(|| name.strip_prefix("index.docker.io/"))
        .unwrap_or(name);
    let name = name.strip_prefix("library/").unwrap_or(name);
    if name.contains('/') {
        return None;
    }
    Some(name.split(':').next().unwrap_or(name))
}

/// Whether a value is interpolated by Compose (`${VAR}`, `$VAR`), so its value is not known here.
pub(crate) fn is_interpolated(value: &str) -> bool {
    value.replace("$$", "").contains('$')
}
