//! GitHub Actions rules (`GHA`), one file each.

pub(crate) mod helpers;

mod action_not_sha_pinned;
pub use action_not_sha_pinned::ActionNotShaPinned;
mod template_injection;
pub use template_injection::TemplateInjection;
mod permissions_undeclared;
pub use permissions_undeclared::PermissionsUndeclared;
mod permissions_write_all;
pub use permissions_write_all::PermissionsWriteAll;
mod untrusted_checkout_in_privileged_trigger;
pub use untrusted_checkout_in_privileged_trigger::UntrustedCheckoutInPrivilegedTrigger;
mod secret_printed_to_log;
pub use secret_printed_to_log::SecretPrintedToLog;
mod checkout_persists_credentials;
pub use checkout_persists_credentials::CheckoutPersistsCredentials;
mod secrets_inherit;
pub use secrets_inherit::SecretsInherit;
mod insecure_commands_enabled;
pub use insecure_commands_enabled::InsecureCommandsEnabled;
mod github_env_from_untrusted;
pub use github_env_from_untrusted::GithubEnvFromUntrusted;
mod hardcoded_container_credentials;
pub use hardcoded_container_credentials::HardcodedContainerCredentials;
mod cache_in_release_workflow;
pub use cache_in_release_workflow::CacheInReleaseWorkflow;
mod static_cloud_credentials;
pub use static_cloud_credentials::StaticCloudCredentials;
mod container_image_unpinned;
pub use container_image_unpinned::ContainerImageUnpinned;
mod job_timeout_missing;
pub use job_timeout_missing::JobTimeoutMissing;
mod self_hosted_runner_untrusted_trigger;
pub use self_hosted_runner_untrusted_trigger::SelfHostedRunnerUntrustedTrigger;

#[cfg(test)]
mod tests {
    use crate::{FileFacts, FileKind, Settings, lint_file};

    fn codes(text: &str, kind: FileKind, settings: &Settings) -> Vec<String> {
        lint_file(
            ".github/workflows/ci.yml",
            text,
            kind,
            &FileFacts::default(),
            settings,
        )
        .diagnostics
        .iter()
        .filter(|d| d.rule.code.starts_with("GHA"))
        .map(|d| format!("{} {}:{}", d.rule.code, d.start.line, d.start.column))
        .collect()
    }

    #[test]
    fn zizmor_comments_suppress_through_peer_ids() {
        let text = "on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - run: | # zizmor: ignore[template-injection] reviewed\n          echo \"${{ github.event.issue.title }}\"\n      - run: echo \"${{ github.event.issue.body }}\"\n      # zizmor: ignore[unpinned-uses]\n      - uses: octo/tool@v1\n      - uses: octo/other@v1\n";
        let found = codes(text, FileKind::GithubWorkflow, &Settings::default());
        assert_eq!(found, ["GHA002 10:20", "GHA001 13:15"]);
    }

    #[test]
    fn odd_files_are_quiet() {
        for text in [
            "",
            "on: push\n",
            "jobs: []\n",
            "on: push\njobs:\n  a:\n",
            "on: push\njobs:\n  a: 3\n",
            "on: [push\n",
            "- 1\n",
        ] {
            let found: Vec<String> = codes(text, FileKind::GithubWorkflow, &Settings::default())
                .into_iter()
                .filter(|c| !c.starts_with("GHA003"))
                .collect();
            assert!(found.is_empty(), "{text:?}: {found:?}");
            assert!(codes(text, FileKind::GithubAction, &Settings::default()).is_empty());
        }
    }
}
