use cw_model::terraform::ModuleSourceKind;

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `module` block whose source can change under it: a registry module
    /// (`terraform-aws-modules/vpc/aws`) without `version`, or a Git source
    /// (`git::https://...`, `github.com/...`, `git@...`) without a `ref`, or with a `ref` that
    /// names a default branch (`main`, `master`, `develop`, `trunk`, `HEAD`). Local paths, and
    /// archives over HTTP or from a bucket, are not reported.
    ///
    /// ## Why is this bad?
    /// The next `terraform init` fetches whatever the source holds then: a new major version of a
    /// module can replace resources, and a compromised upstream runs its code in your plan with
    /// your credentials.
    ///
    /// ## Example
    /// ```hcl
    /// module "vpc" {
    ///   source = "terraform-aws-modules/vpc/aws"
    /// }
    ///
    /// module "tags" {
    ///   source = "git::https://github.com/acme/terraform-tags.git"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// module "vpc" {
    ///   source  = "terraform-aws-modules/vpc/aws"
    ///   version = "~> 5.8"
    /// }
    ///
    /// module "tags" {
    ///   source = "git::https://github.com/acme/terraform-tags.git?ref=v1.4.2"
    /// }
    /// ```
    ///
    /// ## References
    /// - [Terraform: module sources](https://developer.hashicorp.com/terraform/language/modules/sources)
    /// - [tflint: terraform_module_pinned_source](https://github.com/terraform-linters/tflint-ruleset-terraform/blob/main/docs/rules/terraform_module_pinned_source.md)
    pub struct ModuleVersionUnpinned {
        code: "TF005",
        name: "module-version-unpinned",
        category: Reproducibility,
        severity: Warning,
        fix: None,
        peers: [
            Tflint("terraform_module_version"),
            Tflint("terraform_module_pinned_source"),
            Checkov("CKV_TF_1"),
            Checkov("CKV_TF_2")
        ],
    }
}

/// A Git source: `git::...`, `github.com/...`, `bitbucket.org/...`, `git@...`.
fn is_git(source: &str) -> bool {
    source.starts_with("git::")
        || source.starts_with("git@")
        || source.starts_with("github.com/")
        || source.starts_with("bitbucket.org/")
        || source.contains(".git?")
        || source.to_ascii_lowercase().ends_with(".git")
}

/// A registry address: `namespace/name/provider`, optionally with a host in front.
fn is_registry(source: &str) -> bool {
    let parts: Vec<&str> = source.split('/').collect();
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    !source.contains("::")
        && !source.contains('?')
        && match parts.as_slice() {
            [ns, name, provider] => plain(ns) && plain(name) && plain(provider),
            [host, ns, name, provider] => {
                host.contains('.') && plain(ns) && plain(name) && plain(provider)
            }
            _ => false,
        }
}

/// The `ref` query parameter of a Git source.
fn git_ref(source: &str) -> Option<&str> {
    let query = source.split_once('?')?.1;
    query.split('&').find_map(|kv| kv.strip_prefix("ref="))
}

impl Rule for ModuleVersionUnpinned {
    type Input = TerraformInput;
    type Options = NoOptions;

    fn check(&self, input: &TerraformInput, ctx: &mut RuleCtx) {
        for m in input.eval.modules() {
            for call in &m.module_calls {
                if call.kind != ModuleSourceKind::Remote {
                    continue;
                }
                let Some(source) = &call.source else {
                    continue;
                };
                let s = source.value.as_str();
                if is_git(s) {
                    match git_ref(s) {
                        None => {
                            ctx.report(
                                source.range,
                                format!(
                                    "module `{}` follows a Git branch: its source has no `ref`",
                                    call.name.value
                                ),
                            )
                            .help("pin the source to a tag or a commit: `?ref=v1.2.3`");
                        }
                        Some(r)
                            if matches!(r, "main" | "master" | "develop" | "trunk" | "HEAD") =>
                        {
                            ctx.report(
                                source.range,
                                format!("module `{}` follows the branch `{r}`", call.name.value),
                            )
                            .help("pin the source to a tag or a commit: `?ref=v1.2.3`");
                        }
                        Some(_) => {}
                    }
                } else if is_registry(s) && call.version.is_none() {
                    ctx.report(
                        source.range,
                        format!("registry module `{}` has no `version`", call.name.value),
                    )
                    .help("add `version = \"~> X.Y\"` to the module block");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{git_ref, is_git, is_registry};

    #[test]
    fn sources() {
        assert!(is_registry("terraform-aws-modules/vpc/aws"));
        assert!(is_registry("app.terraform.io/acme/vpc/aws"));
        assert!(!is_registry("./modules/vpc"));
        assert!(!is_registry("git::https://x/y.git"));
        assert!(is_git("github.com/acme/tf-mod"));
        assert!(is_git("git::ssh://git@example.com/x.git?ref=v1"));
        assert_eq!(
            git_ref("git::https://x/y.git?depth=1&ref=v1.2"),
            Some("v1.2")
        );
    }
}
