//! Which format a file is, by its name first and then, for YAML and JSON, by a cheap look at its content.

use cw_linter::FileKind;

/// What the walk found a file to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Classification {
    /// A format the engine checks.
    Lint(FileKind),
    /// A format cloudwright recognises but does not check yet: skipped silently.
    Recognised(&'static str),
    /// Not infrastructure code.
    Other,
}

/// Classifies by path (relative, `/`-separated). `peek` returns the first bytes of the file when the
/// name alone does not decide (YAML and JSON documents).
#[expect(
    clippy::case_sensitive_file_extension_comparisons,
    reason = "compares the lower-cased name"
)]
pub fn classify(path: &str, peek: impl FnOnce() -> Option<String>) -> Classification {
    let name = path.rsplit('/').next().unwrap_or(path);
    if is_dockerfile(name) {
        return Classification::Lint(FileKind::Dockerfile);
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tf")
        || lower.ends_with(".tf.json")
        || lower.ends_with(".tfvars")
        || lower.ends_with(".tfvars.json")
    {
        return Classification::Recognised("terraform");
    }
    let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
    if path.contains("/templates/") && (yaml || lower.ends_with(".tpl")) {
        return Classification::Recognised("helm");
    }
    if yaml {
        if path.starts_with(".github/workflows/")
            || path.contains("/.github/workflows/")
            || lower == "action.yml"
            || lower == "action.yaml"
        {
            return Classification::Recognised("github-actions");
        }
        if lower == ".gitlab-ci.yml" {
            return Classification::Recognised("gitlab-ci");
        }
        if lower.starts_with("compose") || lower.starts_with("docker-compose") {
            return Classification::Lint(FileKind::Compose);
        }
        if lower == "kustomization.yaml" || lower == "kustomization.yml" {
            return Classification::Recognised("kustomize");
        }
    }
    if (yaml || lower.ends_with(".json") || lower.ends_with(".template"))
        && let Some(head) = peek()
    {
        if head.contains("AWSTemplateFormatVersion") || head.contains("AWS::") {
            return Classification::Recognised("cloudformation");
        }
        if head.contains("apiVersion") && head.contains("kind") {
            return Classification::Recognised("kubernetes");
        }
        if head.contains("services:") {
            return Classification::Recognised("compose");
        }
    }
    Classification::Other
}

/// `Dockerfile`, `Containerfile`, `*.Dockerfile`, `Dockerfile.*` (not `.dockerignore` files).
fn is_dockerfile(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") {
        return false;
    }
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
        || ((lower.starts_with("dockerfile.") || lower.starts_with("containerfile."))
            && !NOT_DOCKERFILE_EXTENSIONS
                .iter()
                .any(|ext| lower.rsplit('.').next() == Some(ext)))
}

/// `Dockerfile.*` names that are source code or documents about Dockerfiles, not Dockerfiles.
const NOT_DOCKERFILE_EXTENSIONS: [&str; 17] = [
    "go", "rs", "py", "js", "ts", "java", "rb", "c", "h", "md", "txt", "json", "yaml", "yml", "sh",
    "j2", "tmpl",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let none = || None;
        for p in [
            "Dockerfile",
            "a/Containerfile",
            "b/prod.Dockerfile",
            "Dockerfile.dev",
            "x/dockerfile",
        ] {
            assert_eq!(
                classify(p, none),
                Classification::Lint(FileKind::Dockerfile),
                "{p}"
            );
        }
        for p in [
            "Dockerfile.dockerignore",
            "README.md",
            "dockerfile.go",
            "Dockerfile.j2",
        ] {
            assert_ne!(
                classify(p, none),
                Classification::Lint(FileKind::Dockerfile),
                "{p}"
            );
        }
        assert_eq!(
            classify("main.tf", none),
            Classification::Recognised("terraform")
        );
        assert_eq!(
            classify(".github/workflows/ci.yml", none),
            Classification::Recognised("github-actions")
        );
        assert_eq!(
            classify("k8s/dep.yaml", || Some(
                "apiVersion: v1\nkind: Pod\n".into()
            )),
            Classification::Recognised("kubernetes")
        );
        for p in [
            "compose.yaml",
            "a/compose.override.yml",
            "docker-compose.yml",
            "b/docker-compose.prod.yaml",
        ] {
            assert_eq!(
                classify(p, none),
                Classification::Lint(FileKind::Compose),
                "{p}"
            );
        }
        assert_ne!(
            classify("stack.yml", || Some("services:\n  a: {}\n".into())),
            Classification::Lint(FileKind::Compose)
        );
        assert_eq!(
            classify("chart/templates/dep.yaml", none),
            Classification::Recognised("helm")
        );
    }
}
