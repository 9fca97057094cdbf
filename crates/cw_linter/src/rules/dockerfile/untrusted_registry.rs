use cw_model::dockerfile::ImageRef;

use super::helpers::stages::{
    FromSource, from_refs, from_source, image_display, is_docker_hub, registry_image,
    stage_resource,
};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags images pulled from a registry outside the configured allow-list: the registry images of
    /// `FROM` lines, and images named by `COPY --from` and `RUN --mount=...,from=`. Images are judged
    /// once `ARG` defaults are substituted; `scratch`, stages of the Dockerfile and references that use
    /// a variable without a known value are not. Docker Hub short names (`python:3.12`) come from
    /// `docker.io`. With the default configuration (an empty list) the rule reports nothing.
    ///
    /// ## Why is this bad?
    /// An organisation that mirrors, scans and signs its base images in its own registry wants every
    /// build to use them: an image pulled straight from a public registry skips that scanning, can
    /// disappear or hit rate limits, and is the easiest way for a typo-squatted or compromised image to
    /// enter the supply chain.
    ///
    /// ## Example
    /// With `allowed-registries = ["registry.example.com"]`:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM registry.example.com/mirror/python:3.12-slim
    /// ```
    ///
    /// ## Options
    /// `allowed-registries`: the registries images may come from. An entry is a registry host
    /// (`ghcr.io`, `registry.example.com:5000`), a host wildcard (`*.example.com` allows every
    /// subdomain), `docker.io` for Docker Hub, or a registry and a path prefix (`ghcr.io/acme` allows
    /// `ghcr.io/acme/...`; `docker.io/library` allows only official Docker Hub images). Hosts are
    /// compared without regard to case.
    ///
    /// ```toml
    /// [rules.untrusted-registry]
    /// allowed-registries = ["registry.example.com", "ghcr.io/acme", "docker.io/library"]
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: FROM](https://docs.docker.com/reference/dockerfile/#from)
    /// - [Docker Hub registry mirrors](https://docs.docker.com/docker-hub/image-library/mirror/)
    /// - [hadolint DL3026](https://github.com/hadolint/hadolint/wiki/DL3026)
    pub struct UntrustedRegistry {
        code: "DKR052",
        name: "untrusted-registry",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [
            Hadolint("DL3026"),
            Trivy("KSV125")
        ],
    }
}

/// `[rules.untrusted-registry]`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct UntrustedRegistryOptions {
    /// Registries (`ghcr.io`, `*.example.com`, `docker.io`) or registry path prefixes (`ghcr.io/acme`)
    /// images may come from. Empty: the rule reports nothing.
    pub allowed_registries: Vec<String>,
}

impl RuleOptions for UntrustedRegistryOptions {}

impl Rule for UntrustedRegistry {
    type Input = DockerfileInput;
    type Options = UntrustedRegistryOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let allowed = &ctx.options::<UntrustedRegistryOptions>().allowed_registries;
        if allowed.is_empty() {
            return;
        }
        let allowed: Vec<String> = allowed
            .iter()
            .map(|a| a.trim().to_ascii_lowercase())
            .collect();
        let df = &input.dockerfile;
        let help = |registry: &str| {
            format!(
                "use an image from an allowed registry ({}), or add `{registry}` to `allowed-registries`",
                allowed.join(", ")
            )
        };
        for stage in &df.stages {
            if let Some(image) = registry_image(stage).filter(|i| !is_allowed(i, &allowed)) {
                let registry = registry_of(image);
                ctx.report(
                    stage.base.raw.range,
                    format!(
                        "base image `{}` comes from `{registry}`, which `allowed-registries` does not list",
                        image_display(image)
                    ),
                )
                .help(help(&registry))
                .resource(stage_resource(stage));
            }
            for r in from_refs(df, stage, ctx.source()) {
                let FromSource::Image(image) = from_source(df, &r) else {
                    continue;
                };
                if is_allowed(&image, &allowed) {
                    continue;
                }
                let registry = registry_of(&image);
                ctx.report(
                    r.range,
                    format!(
                        "image `{}` comes from `{registry}`, which `allowed-registries` does not list",
                        image_display(&image)
                    ),
                )
                .help(help(&registry))
                .resource(stage_resource(stage));
            }
        }
    }
}

/// The registry host of `image`, Docker Hub aliases folded to `docker.io`.
fn registry_of(image: &ImageRef) -> String {
    match image.registry.as_deref().map(str::to_ascii_lowercase) {
        None => "docker.io".to_string(),
        Some(r) if is_docker_hub(&r) => "docker.io".to_string(),
        Some(r) => r,
    }
}

/// Whether an entry of `allowed` (lowercased) allows `image`.
fn is_allowed(image: &ImageRef, allowed: &[String]) -> bool {
    let host = registry_of(image);
    let repository = if host == "docker.io" && !image.repository.contains('/') {
        format!("library/{}", image.repository)
    } else {
        image.repository.clone()
    };
    allowed.iter().any(|entry| {
        let (entry_host, path) = match entry.split_once('/') {
            Some((h, p)) => (h, Some(p.trim_end_matches('/'))),
            None => (entry.as_str(), None),
        };
        let host_ok = match entry_host.strip_prefix("*.") {
            Some(suffix) => host
                .strip_suffix(suffix)
                .is_some_and(|rest| rest.ends_with('.')),
            None => entry_host == host || (is_docker_hub(entry_host) && host == "docker.io"),
        };
        host_ok
            && path.is_none_or(|p| {
                p.is_empty()
                    || repository == p
                    || repository
                        .strip_prefix(p)
                        .is_some_and(|rest| rest.starts_with('/'))
            })
    })
}

#[cfg(test)]
mod tests {
    use crate::{FileFacts, FileKind, Settings, SettingsBuilder, lint_file};

    /// Only DKR052, with `table` (TOML) as its `[rules.untrusted-registry]` table.
    fn settings(table: &str) -> Settings {
        let table: toml::Value = toml::from_str(table).expect("valid toml");
        SettingsBuilder {
            select: Some(vec!["DKR052".parse().expect("known rule")]),
            options: vec![("untrusted-registry".to_string(), table)],
            ..SettingsBuilder::default()
        }
        .build()
        .expect("valid settings")
    }

    /// The line of each finding, with its message.
    fn lint(text: &str, table: &str) -> Vec<(u32, String)> {
        lint_file(
            "Dockerfile",
            text,
            FileKind::Dockerfile,
            &FileFacts::default(),
            &settings(table),
        )
        .diagnostics
        .into_iter()
        .map(|d| (d.start.line, d.message))
        .collect()
    }

    fn lines(found: &[(u32, String)]) -> Vec<u32> {
        found.iter().map(|(l, _)| *l).collect()
    }

    /// The fixture, with the options its `# fixture-options:` lines declare.
    #[test]
    fn fixture_with_its_options() {
        let text = include_str!("../../../resources/fixtures/dockerfile/DKR052.Dockerfile");
        let table: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# fixture-options:"))
            .collect();
        let found = lint(text, &table.join("\n"));
        assert_eq!(lines(&found), vec![20, 23, 26, 35], "{found:?}");
        assert!(found[1].1.contains("`quay.io`"), "{found:?}");
        assert!(found[2].1.contains("`docker.io`"), "{found:?}");
    }

    #[test]
    fn docker_hub_entries() {
        let text = "FROM index.docker.io/library/alpine:3.20\nFROM example.org/base:1\nFROM a.example.org/b:1\n";
        let found = lint(
            text,
            r#"allowed-registries = ["docker.io", "*.example.org"]"#,
        );
        // `index.docker.io` is Docker Hub; the wildcard matches subdomains, not the bare domain.
        assert_eq!(lines(&found), vec![2], "{found:?}");
        let found = lint(
            text,
            r#"allowed-registries = ["DOCKER.IO", "example.org", "a.example.org"]"#,
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn empty_list_reports_nothing() {
        let text = "FROM quay.io/a/b:1\n";
        assert!(lint(text, "allowed-registries = []").is_empty());
        assert!(lint(text, "").is_empty());
    }

    #[test]
    fn unknown_option_is_an_error() {
        let table: toml::Value = toml::from_str("allowed = []").expect("valid toml");
        let result = SettingsBuilder {
            options: vec![("untrusted-registry".to_string(), table)],
            ..SettingsBuilder::default()
        }
        .build();
        assert!(result.is_err());
    }
}
