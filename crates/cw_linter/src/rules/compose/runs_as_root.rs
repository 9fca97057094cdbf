use super::helpers::{official_repository, resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags services without `user:` that run an official Docker Hub image known to run as root by
    /// default: base distributions (`alpine`, `debian`, `ubuntu`, ...), language runtimes (`python`,
    /// `node`, `golang`, `ruby`, `php`, `eclipse-temurin`, ...) and `nginx`, `httpd`, `caddy`,
    /// `traefik`. Images that drop privileges themselves (`postgres`, `redis`, `mysql`) and services
    /// built from a Dockerfile are not reported (DKR004/DKR005 check the Dockerfile's `USER`).
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

/// Official images whose default user is root and which do not drop privileges in their entrypoint.
const ROOT_IMAGES: [&str; 27] = [
    "alpine",
    "almalinux",
    "amazoncorretto",
    "amazonlinux",
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
    "bash",
    "buildpack-deps",
];

impl Rule for RunsAsRoot {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            if service.build().is_some() || service.get("user").is_some() {
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
