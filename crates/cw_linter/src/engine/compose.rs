//! What a Compose file's rules read from other files of the scan: the Dockerfiles its services
//! build.

use std::collections::HashMap;

use cw_model::compose::ComposeFile;
use cw_model::dockerfile::Dockerfile;

use super::ScanFiles;
use crate::input::BuildDockerfile;

/// The Dockerfiles the services of `compose` (at `path`, relative to the scan root) build, by
/// service name, for those whose `build` context and `dockerfile` are known local paths inside the
/// scan. `dockerfile_inline`, Git and URL contexts and interpolated values are left out.
pub(super) fn build_dockerfiles(
    path: &str,
    compose: &ComposeFile,
    files: &ScanFiles,
) -> HashMap<String, BuildDockerfile> {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = HashMap::new();
    for service in compose.services() {
        let Some(build) = service.build() else {
            continue;
        };
        if build.node.get("dockerfile_inline").is_some() {
            continue;
        }
        let context = build.context().map_or(".", |c| c.value);
        let dockerfile = build.dockerfile().map_or("Dockerfile", |d| d.value);
        if !local(context) || !local(dockerfile) {
            continue;
        }
        let joined = if dir.is_empty() {
            format!("{context}/{dockerfile}")
        } else {
            format!("{dir}/{context}/{dockerfile}")
        };
        let Some(target) = cw_model::paths::normalize(&joined) else {
            continue;
        };
        let Some(text) = files.read(&target) else {
            continue;
        };
        out.insert(
            service.name_str().to_owned(),
            BuildDockerfile {
                path: target,
                dockerfile: Dockerfile::from_source(&text),
            },
        );
    }
    out
}

/// A relative path known before the build: not interpolated, not a URL or Git reference, not
/// absolute.
fn local(path: &str) -> bool {
    !(path.is_empty()
        || path.contains('$')
        || path.contains("://")
        || path.starts_with("git@")
        || path.starts_with('/')
        || path.contains('\\')
        || path.as_bytes().get(1) == Some(&b':'))
}
