use super::helpers::{official_repository, resource};
use crate::prelude::*;
use crate::rules::dockerfile::helpers::user::{ROOT_IMAGES, final_stage_root};

declare_rule! {
    /// ## What it does
    /// Flags services without `user:` that run an official Docker Hub image known to run as root by
    /// default: base distributions (`alpine`, `debian`, `ubuntu`, ...), language runtimes (`python`,
    /// `node`, `golang`, `ruby`, `php`, `eclipse-temurin`, ...) and `nginx`, `httpd`, `caddy`,
    /// `traefik`. Images that drop privileges themselves (`postgres`, `redis`, `mysql`) are not
    /// reported.
    ///
    /// A service built from a Dockerfile that the scan includes is judged by that Dockerfile's final
    /// stage: reported when its `USER` is root, or when it sets no `USER` and is built on `scratch`
    /// or on one of the images above (DKR004 and DKR005 report the same Dockerfile on its own). A
    /// Dockerfile outside the scan, an interpolated context, `dockerfile_inline` and Git contexts
    /// are not judged.
    ///
    /// ## Why is this bad?
    /// Root in the container is root on the host's kernel: any escape (a kernel bug, a mounted
    /// socket, a writable host path) starts with full privileges, and the process can modify every
    /// file of the image.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: node:22-alpine
    ///     command: node server.js
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   app:
    ///     image: node:22-alpine
    ///     user: node
    ///     command: node server.js
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: user](https://docs.docker.com/reference/compose-file/services/#user)
    /// - [OWASP Docker Security Cheat Sheet, rule #2](https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html)
    pub struct RunsAsRoot {
        code: "CMP020",
        name: "runs-as-root",
        category: Security,
        severity: Info,
        fix: None,
        peers: [],
    }
}

impl Rule for RunsAsRoot {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            if service.get("user").is_some() {
                continue;
            }
            if let Some(build) = service.build() {
                let Some(built) = input.dockerfiles.get(service.name_str()) else {
                    continue;
                };
                let Some(why) = final_stage_root(&built.dockerfile) else {
                    continue;
                };
                let at = build.context().map_or(build.node.range, |c| c.range);
                ctx.report(
                    at,
                    format!(
                        "service `{}` runs as root: it is built from `{}`, whose final stage has {why} (no `user:` here)",
                        service.name_str(),
                        built.path
                    ),
                )
                .help("add `USER <uid>:<gid>` to the Dockerfile's final stage, or set `user:` on the service")
                .resource(resource(&service));
                continue;
            }
            let Some(image) = service.image() else {
                continue;
            };
            let Some(repo) = official_repository(image.value) else {
                continue;
            };
            if !ROOT_IMAGES.contains(&repo) {
                continue;
            }
            ctx.report(
                image.range,
                format!(
                    "service `{}` runs `{repo}` as root (no `user:`)",
                    service.name_str()
                ),
            )
            .help("set `user:` to a non-root user (`node`, `nobody`, or `1000:1000`)")
            .resource(resource(&service));
        }
    }
}
