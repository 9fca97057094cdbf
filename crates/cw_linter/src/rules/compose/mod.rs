//! Docker Compose rules (`CMP`), one file each.

pub(crate) mod helpers;

mod image_unpinned;
pub use image_unpinned::ImageUnpinned;
mod privileged_service;
pub use privileged_service::PrivilegedService;
mod docker_socket_mounted;
pub use docker_socket_mounted::DockerSocketMounted;
mod sensitive_host_path;
pub use sensitive_host_path::SensitiveHostPath;
mod secret_in_environment;
pub use secret_in_environment::SecretInEnvironment;
mod host_network;
pub use host_network::HostNetwork;
mod memory_limit_missing;
pub use memory_limit_missing::MemoryLimitMissing;
mod healthcheck_missing;
pub use healthcheck_missing::HealthcheckMissing;
mod secret_in_build_args;
pub use secret_in_build_args::SecretInBuildArgs;
mod host_namespaces;
pub use host_namespaces::HostPidIpcUserns;
mod dangerous_capabilities;
pub use dangerous_capabilities::DangerousCapabilities;
mod no_new_privileges_unset;
pub use no_new_privileges_unset::NoNewPrivilegesUnset;
mod seccomp_apparmor_unconfined;
pub use seccomp_apparmor_unconfined::SeccompApparmorUnconfined;
mod cpu_limit_missing;
pub use cpu_limit_missing::CpuLimitMissing;
mod restart_policy_missing;
pub use restart_policy_missing::RestartPolicyMissing;
mod port_bound_all_interfaces;
pub use port_bound_all_interfaces::PortBoundAllInterfaces;
mod datastore_port_published;
pub use datastore_port_published::DatastorePortPublished;
mod runs_as_root;
pub use runs_as_root::RunsAsRoot;
mod pids_limit_missing;
pub use pids_limit_missing::PidsLimitMissing;
mod depends_on_without_health_condition;
pub use depends_on_without_health_condition::DependsOnWithoutHealthCondition;
mod log_rotation_missing;
pub use log_rotation_missing::LogRotationMissing;
mod obsolete_version_key;
pub use obsolete_version_key::ObsoleteVersionKey;

#[cfg(test)]
mod tests {
    use crate::{FileFacts, FileKind, Settings, lint_file};

    fn codes(text: &str, settings: &Settings) -> Vec<String> {
        lint_file(
            "compose.yaml",
            text,
            FileKind::Compose,
            &FileFacts::default(),
            settings,
        )
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {}:{} {}",
                d.rule.code, d.start.line, d.start.column, d.message
            )
        })
        .collect()
    }

    #[test]
    fn duplicate_keys_and_syntax_errors_are_cw001() {
        let text = "services:\n  api:\n    image: a:1\n    image: b:2\n";
        assert_eq!(
            codes(text, &Settings::only("CW001")),
            ["CW001 4:5 duplicate key `image` (first defined on line 3)"]
        );
        let broken = "services:\n  api:\n    image: [a\n";
        let found = codes(broken, &Settings::only("CW001"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("CW001"), "{found:?}");
    }

    #[test]
    fn suppressions_cover_a_service() {
        let text = "services:\n  # cloudwright: ignore[CMP002] -- needs devices\n  agent:\n    image: a:1\n    privileged: true\n  other:\n    image: b:1\n    privileged: true\n";
        let found = codes(text, &Settings::only("CMP002"));
        assert_eq!(found, ["CMP002 8:17 service `other` runs privileged"]);
    }

    #[test]
    fn empty_and_odd_files_are_quiet() {
        for text in [
            "",
            "services:\n",
            "services: []\n",
            "- a\n",
            "services:\n  api:\n",
        ] {
            assert!(codes(text, &Settings::default()).is_empty(), "{text:?}");
        }
    }
}
