use super::helpers::resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags bind mounts of sensitive host directories: `/`, `/etc`, `/proc`, `/sys`, `/root`,
    /// `/boot`, `/dev`, `/var/lib/docker`, and SSH or cloud credential directories (`~/.ssh`,
    /// `~/.aws`, `~/.kube`, `~/.docker`), or anything inside them. Below `/etc` only the host's
    /// credentials and system configuration count (`/etc/shadow`, `/etc/ssh`, `/etc/kubernetes`...):
    /// an application's own directory such as `/etc/pihole` does not. The container runtime socket
    /// is CMP003's business.
    ///
    /// ## Why is this bad?
    /// These paths hold the host's configuration, kernel interfaces and credentials. A container that
    /// can read them leaks secrets; one that can write them (the default, without `:ro`) can take
    /// over the host.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: example/backup:3
    ///     volumes:
    ///       - /etc:/host-etc
    ///       - ~/.ssh:/root/.ssh
    /// ```
    ///
    /// Use instead: mount only the files the service needs, read-only, or use `secrets:`.
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: example/backup:3
    ///     volumes:
    ///       - ./backup.conf:/etc/backup.conf:ro
    ///     secrets: [deploy_key]
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: volumes](https://docs.docker.com/reference/compose-file/services/#volumes)
    /// - [OWASP Docker Security Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html)
    pub struct SensitiveHostPath {
        code: "CMP004",
        name: "sensitive-host-path",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Kics("Volume Has Sensitive Host Directory")],
    }
}

/// Host directories that must not be mounted (nor anything below them).
const SENSITIVE: [&str; 8] = [
    "/etc",
    "/proc",
    "/sys",
    "/root",
    "/boot",
    "/dev",
    "/var/lib/docker",
    "/var/lib/kubelet",
];

/// Entries of `/etc` that hold the host's credentials or system configuration.
const ETC_SENSITIVE: [&str; 16] = [
    "passwd",
    "shadow",
    "group",
    "gshadow",
    "sudoers",
    "sudoers.d",
    "ssh",
    "ssl",
    "pki",
    "kubernetes",
    "docker",
    "containerd",
    "systemd",
    "cron.d",
    "crontab",
    "security",
];

/// Credential directories in a home directory (`~/.ssh`, `$HOME/.ssh`, `/home/x/.ssh`).
const HOME_SECRETS: [&str; 5] = [".ssh", ".aws", ".kube", ".docker", ".gnupg"];

const SOCKETS: [&str; 2] = ["/var/run/docker.sock", "/run/docker.sock"];

fn sensitive(path: &str) -> Option<&'static str> {
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return Some("the host's root file system");
    }
    if SOCKETS.contains(&path)
        || path.starts_with("/run/containerd")
        || path.starts_with("/run/podman")
    {
        return None;
    }
    for dir in HOME_SECRETS {
        let in_home = path.split('/').any(|c| c == dir);
        if in_home
            && (path.starts_with('~')
                || path.starts_with('$')
                || path.starts_with("/home/")
                || path.starts_with("/root"))
        {
            return Some("a credentials directory");
        }
    }
    if path == "/home" {
        return Some("every user's home directory");
    }
    // Below `/etc`, only the host's own credentials and system configuration: applications'
    // configuration directories (`/etc/pihole`, `/etc/nginx/conf.d`) are ordinary bind mounts.
    if let Some(rest) = path.strip_prefix("/etc/") {
        let first = rest.split('/').next().unwrap_or(rest);
        return ETC_SENSITIVE
            .contains(&first)
            .then_some("a sensitive host directory");
    }
    SENSITIVE
        .iter()
        .find(|d| path == **d || path.starts_with(&format!("{d}/")))
        .map(|_| "a sensitive host directory")
}

impl Rule for SensitiveHostPath {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            for volume in service.volumes() {
                let Some(source) = volume.host_path() else {
                    continue;
                };
                let Some(what) = sensitive(source.value) else {
                    continue;
                };
                ctx.report(
                    source.range,
                    format!(
                        "service `{}` mounts {what}, `{}`",
                        service.name_str(),
                        source.value
                    ),
                )
                .help(
                    "mount only the files the service needs, read-only (`:ro`), or use `secrets:`",
                )
                .resource(resource(&service));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sensitive;

    #[test]
    fn paths() {
        for p in [
            "/",
            "/etc",
            "/etc/",
            "/etc/passwd",
            "/etc/ssh/",
            "/etc/kubernetes/pki",
            "/proc",
            "~/.ssh",
            "$HOME/.aws/credentials",
            "/home/me/.ssh",
            "/root",
            "/home",
        ] {
            assert!(sensitive(p).is_some(), "{p}");
        }
        for p in [
            "/var/run/docker.sock",
            "./data",
            "/srv/app",
            "/etcetera",
            "/etc/pihole/",
            "/etc/nginx/conf.d",
            "~/projects",
            "/home/me/app",
        ] {
            assert!(sensitive(p).is_none(), "{p}");
        }
    }
}
