//! Which format a file is, by its name first and then, for YAML and JSON, by a cheap look at its content.

use cw_linter::FileKind;

/// What the walk found a file to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Classification {
    /// A format the engine checks. `FileKind::Kubernetes` stands for any YAML or JSON file that no
    /// name claims: its documents are classified one by one when it is read (Kubernetes objects,
    /// else a Compose file by content, else plain text).
    Lint(FileKind),
    /// A `kustomization.yaml` (rendered, not linted as a manifest).
    Kustomization,
    /// A Helm chart's `Chart.yaml`.
    HelmChart,
    /// A format cloudwright recognises but does not check yet: skipped silently (secrets aside).
    Recognised(&'static str),
    /// Not infrastructure code (checked for secrets only).
    Other,
}

/// Classifies by path (relative, `/`-separated). `peek` returns the first bytes of the file when the
/// name alone does not decide (JSON that may be CloudFormation).
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
    if lower.ends_with(".tfstate") || lower.ends_with(".tfstate.backup") {
        return Classification::Lint(FileKind::TerraformState);
    }
    if name == "Chart.yaml" {
        return Classification::HelmChart;
    }
    if cw_model::kustomize::kustomization_file_name(name) {
        return Classification::Kustomization;
    }
    let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
    if yaml {
        if path.starts_with(".github/workflows/") || path.contains("/.github/workflows/") {
            return Classification::Lint(FileKind::GithubWorkflow);
        }
        if lower == "action.yml" || lower == "action.yaml" {
            return Classification::Lint(FileKind::GithubAction);
        }
        if lower == ".gitlab-ci.yml" {
            return Classification::Lint(FileKind::GitlabCi);
        }
        if lower.starts_with("compose") || lower.starts_with("docker-compose") {
            return Classification::Lint(FileKind::Compose);
        }
    }
    if lower.ends_with(".template") {
        return match peek() {
            Some(head) if head.contains("AWSTemplateFormatVersion") || head.contains("AWS::") => {
                Classification::Recognised("cloudformation")
            }
            _ => Classification::Other,
        };
    }
    if yaml || lower.ends_with(".json") {
        return Classification::Lint(FileKind::Kubernetes);
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
            Classification::Lint(FileKind::GithubWorkflow)
        );
        assert_eq!(
            classify("a/action.yaml", none),
            Classification::Lint(FileKind::GithubAction)
        );
        assert_eq!(
            classify(".gitlab-ci.yml", none),
            Classification::Lint(FileKind::GitlabCi)
        );
        assert_eq!(
            classify("k8s/dep.yaml", none),
            Classification::Lint(FileKind::Kubernetes)
        );
        assert_eq!(
            classify("k8s/kustomization.yaml", none),
            Classification::Kustomization
        );
        assert_eq!(
            classify("charts/web/Chart.yaml", none),
            Classification::HelmChart
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
        assert_eq!(classify("README.md", none), Classification::Other);
    }
}
