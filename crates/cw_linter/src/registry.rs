use std::any::Any;

use cw_diagnostics::RuleMeta;

use crate::input::{InputKind, RuleInput};
use crate::rule::{self, AnyOptions, Rule};
use crate::{RuleCtx, rules};

/// One registered rule: its metadata and type-erased entry points.
pub struct RuleEntry {
    pub meta: &'static RuleMeta,
    pub input: InputKind,
    pub(crate) run: fn(&dyn Any, &mut RuleCtx),
    pub(crate) parse_options: fn(toml::Value) -> Result<AnyOptions, String>,
    pub(crate) default_options: fn() -> AnyOptions,
}

impl RuleEntry {
    pub const fn of<R: Rule>() -> Self {
        Self {
            meta: R::META,
            input: <R::Input as RuleInput>::KIND,
            run: rule::run::<R>,
            parse_options: rule::parse_options::<R>,
            default_options: rule::default_options::<R>,
        }
    }
}

impl std::fmt::Debug for RuleEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.meta.code)
    }
}

/// Looks a rule up by code (`DKR001`), name (`base-image-latest-tag`) or `<prefix>/<name>`
/// (`dkr/base-image-latest-tag`), case-insensitively.
pub fn rule_by_code_or_name(key: &str) -> Option<(usize, &'static RuleEntry)> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    RULES.iter().enumerate().find(|(_, r)| {
        let m = r.meta;
        match prefix {
            Some(p) => m.prefix().eq_ignore_ascii_case(p) && m.name.eq_ignore_ascii_case(name),
            None => m.code.eq_ignore_ascii_case(name) || m.name.eq_ignore_ascii_case(name),
        }
    })
}

register_rules! {
    rules::aws::S3PublicAcl,
    rules::aws::S3PublicAccessBlockIncomplete,
    rules::aws::S3VersioningDisabled,
    rules::aws::S3LifecycleMissing,
    rules::aws::EbsVolumeUnencrypted,
    rules::aws::InstanceBlockDeviceUnencrypted,
    rules::aws::EbsGp2Volume,
    rules::aws::Imdsv1Allowed,
    rules::aws::InstancePublicIp,
    rules::aws::SubnetAutoPublicIp,
    rules::aws::SgSshOpenToWorld,
    rules::aws::SgRdpOpenToWorld,
    rules::aws::SgDatastorePortOpenToWorld,
    rules::aws::SgAllPortsOpenToWorld,
    rules::aws::VpcFlowLogsMissing,
    rules::aws::KmsRotationDisabled,
    rules::aws::SsmParameterPlaintext,
    rules::aws::RdsStorageUnencrypted,
    rules::aws::RdsPubliclyAccessible,
    rules::aws::RdsBackupRetentionLow,
    rules::aws::RdsSingleAz,
    rules::aws::RdsDeletionProtectionOff,
    rules::aws::RdsPasswordInCode,
    rules::aws::DynamodbPitrDisabled,
    rules::aws::CloudtrailNotMultiRegion,
    rules::aws::CloudtrailLogValidationOff,
    rules::aws::LogRetentionMissing,
    rules::aws::LbPlainHttp,
    rules::aws::LbOutdatedTlsPolicy,
    rules::aws::CloudfrontAllowsHttp,
    rules::aws::EksPublicEndpointOpen,
    rules::aws::EcrScanOnPushOff,
    rules::aws::EcrMutableTags,
    rules::aws::LambdaPlaintextSecretEnv,
    rules::compose::ImageUnpinned,
    rules::compose::PrivilegedService,
    rules::compose::DockerSocketMounted,
    rules::compose::SensitiveHostPath,
    rules::compose::SecretInEnvironment,
    rules::compose::SecretInBuildArgs,
    rules::compose::HostNetwork,
    rules::compose::HostPidIpcUserns,
    rules::compose::DangerousCapabilities,
    rules::compose::NoNewPrivilegesUnset,
    rules::compose::SeccompApparmorUnconfined,
    rules::compose::MemoryLimitMissing,
    rules::compose::CpuLimitMissing,
    rules::compose::PidsLimitMissing,
    rules::compose::HealthcheckMissing,
    rules::compose::RestartPolicyMissing,
    rules::compose::DependsOnWithoutHealthCondition,
    rules::compose::PortBoundAllInterfaces,
    rules::compose::DatastorePortPublished,
    rules::compose::RunsAsRoot,
    rules::compose::LogRotationMissing,
    rules::compose::ObsoleteVersionKey,
    rules::tool::ParseError,
    rules::tool::InvalidSuppression,
    rules::tool::SkippedFile,
    rules::tool::NotRendered,
    rules::dockerfile::BaseImageLatestTag,
    rules::dockerfile::BaseImageUntagged,
    rules::dockerfile::BaseImageNotDigestPinned,
    rules::dockerfile::FinalUserRoot,
    rules::dockerfile::MissingUser,
    rules::dockerfile::SecretInArgOrEnv,
    rules::dockerfile::SecretFileCopied,
    rules::dockerfile::SecretDeletedInLaterLayer,
    rules::dockerfile::SingleStageWithToolchain,
    rules::dockerfile::NonMinimalBaseImage,
    rules::dockerfile::MissingDockerignore,
    rules::dockerfile::AptUnpinned,
    rules::dockerfile::ApkUnpinned,
    rules::dockerfile::PipUnpinned,
    rules::dockerfile::NodeInstallWithoutLockfile,
    rules::dockerfile::LanguagePackageUnpinned,
    rules::dockerfile::RpmPackageUnpinned,
    rules::dockerfile::AptListsNotRemoved,
    rules::dockerfile::AptInstallsRecommends,
    rules::dockerfile::AptMissingYes,
    rules::dockerfile::ApkWithoutNoCache,
    rules::dockerfile::PipCacheKept,
    rules::dockerfile::RpmCacheNotCleaned,
    rules::dockerfile::RpmMissingNoninteractive,
    rules::dockerfile::UpdateWithoutInstall,
    rules::dockerfile::UpgradeInBuild,
    rules::dockerfile::AddInsteadOfCopy,
    rules::dockerfile::AddRemoteUrlUnverified,
    rules::dockerfile::CurlPipeShell,
    rules::dockerfile::TlsVerificationDisabled,
    rules::dockerfile::PackageSignatureBypass,
    rules::dockerfile::SudoInRun,
    rules::dockerfile::WorldWritablePermissions,
    rules::dockerfile::MissingHealthcheck,
    rules::dockerfile::MultipleHealthcheck,
    rules::dockerfile::MultipleCmd,
    rules::dockerfile::MultipleEntrypoint,
    rules::dockerfile::ShellFormEntrypoint,
    rules::dockerfile::PipeWithoutPipefail,
    rules::dockerfile::RelativeWorkdir,
    rules::dockerfile::CdInsteadOfWorkdir,
    rules::dockerfile::ExposeSsh,
    rules::dockerfile::InvalidPort,
    rules::dockerfile::CopyFromUnknownStage,
    rules::dockerfile::CopyFromOwnStage,
    rules::dockerfile::DuplicateStageName,
    rules::dockerfile::CopyMultiSourceNoSlash,
    rules::dockerfile::ConsecutiveRun,
    rules::dockerfile::DeprecatedMaintainer,
    rules::dockerfile::NonNumericUser,
    rules::dockerfile::UseraddLargeUidWithoutL,
    rules::dockerfile::UntrustedRegistry,
    rules::dockerfile::LogsToFile,
    rules::dockerfile::HardcodedPlatform,
    rules::dockerfile::CopyEntireStageRoot,
    rules::dockerfile::EnvSelfReference,
    rules::github_actions::ActionNotShaPinned,
    rules::github_actions::TemplateInjection,
    rules::github_actions::PermissionsUndeclared,
    rules::github_actions::PermissionsWriteAll,
    rules::github_actions::UntrustedCheckoutInPrivilegedTrigger,
    rules::github_actions::SecretPrintedToLog,
    rules::github_actions::CheckoutPersistsCredentials,
    rules::github_actions::SecretsInherit,
    rules::github_actions::InsecureCommandsEnabled,
    rules::github_actions::GithubEnvFromUntrusted,
    rules::github_actions::HardcodedContainerCredentials,
    rules::github_actions::CacheInReleaseWorkflow,
    rules::github_actions::StaticCloudCredentials,
    rules::github_actions::ContainerImageUnpinned,
    rules::github_actions::JobTimeoutMissing,
    rules::github_actions::SelfHostedRunnerUntrustedTrigger,
    rules::gitlab_ci::ImageUnpinned,
    rules::gitlab_ci::IncludeUnpinned,
    rules::gitlab_ci::SecretInVariables,
    rules::gitlab_ci::SecretPrintedInScript,
    rules::gitlab_ci::DindTlsDisabled,
    rules::gitlab_ci::JobTokenOverexposed,
    rules::kubernetes::PrivilegedContainer,
    rules::kubernetes::PrivilegeEscalationAllowed,
    rules::kubernetes::RunAsNonRootMissing,
    rules::kubernetes::RunAsUidZero,
    rules::kubernetes::RootFilesystemWritable,
    rules::kubernetes::CapabilitiesNotDropped,
    rules::kubernetes::DangerousCapabilityAdded,
    rules::kubernetes::HostNetwork,
    rules::kubernetes::HostPid,
    rules::kubernetes::HostIpc,
    rules::kubernetes::DockerSocketMount,
    rules::kubernetes::SensitiveHostPath,
    rules::kubernetes::CpuRequestMissing,
    rules::kubernetes::MemoryRequestMissing,
    rules::kubernetes::MemoryLimitMissing,
    rules::kubernetes::CpuLimitMissing,
    rules::kubernetes::LivenessProbeMissing,
    rules::kubernetes::ReadinessProbeMissing,
    rules::kubernetes::StartupProbeRecommended,
    rules::kubernetes::ImageLatestOrUntagged,
    rules::kubernetes::SecretLiteralInEnv,
    rules::kubernetes::SecretInConfigmap,
    rules::kubernetes::PdbMissing,
    rules::kubernetes::PdbBlocksAllEvictions,
    rules::kubernetes::NetworkpolicyMissing,
    rules::kubernetes::NetworkpolicyAllowsAll,
    rules::kubernetes::DefaultNamespace,
    rules::kubernetes::RbacWildcard,
    rules::kubernetes::ClusterAdminBinding,
    rules::kubernetes::RbacSecretsRead,
    rules::kubernetes::RbacPodExec,
    rules::kubernetes::RbacCreateWorkloads,
    rules::kubernetes::RbacEscalationVerbs,
    rules::kubernetes::ServiceaccountTokenAutomount,
    rules::kubernetes::DefaultServiceaccount,
    rules::kubernetes::RollingUpdateUnsafe,
    rules::kubernetes::SingleReplica,
    rules::kubernetes::NoSpreadOrAntiAffinity,
    rules::kubernetes::HpaMissing,
    rules::kubernetes::ReplicasSetWithHpa,
    rules::kubernetes::SeccompNotRuntimeDefault,
    rules::kubernetes::SeccompOrApparmorUnconfined,
    rules::kubernetes::HostPort,
    rules::kubernetes::UnsafeSysctl,
    rules::kubernetes::DeprecatedApiVersion,
    rules::kubernetes::SelectorMismatch,
    rules::kubernetes::ServiceSelectsNothing,
    rules::kubernetes::ProbePortNotExposed,
    rules::kubernetes::LoadbalancerWithoutSourceRanges,
    rules::kubernetes::ServiceExternalIps,
    rules::kubernetes::IngressWithoutTls,
    rules::kubernetes::IngressNginxSnippet,
    rules::secrets::AwsAccessKeyId,
    rules::secrets::AwsSecretAccessKey,
    rules::secrets::PrivateKey,
    rules::secrets::GithubToken,
    rules::secrets::GitlabToken,
    rules::secrets::GcpServiceAccountKey,
    rules::secrets::AzureStorageKeyOrConnectionString,
    rules::secrets::SlackTokenOrWebhook,
    rules::secrets::StripeSecretKey,
    rules::secrets::PackageRegistryToken,
    rules::secrets::DockerConfigAuth,
    rules::secrets::KubeconfigCredentials,
    rules::secrets::CredentialsInUrl,
    rules::secrets::GenericSecretAssignment,
    rules::terraform::LocalStateBackend,
    rules::terraform::RemoteStateUnencrypted,
    rules::terraform::RemoteStateUnlocked,
    rules::terraform::ProviderVersionUnpinned,
    rules::terraform::ModuleVersionUnpinned,
    rules::terraform::SensitiveVariableNotMarked,
    rules::terraform::SensitiveOutputNotMarked,
    rules::terraform::HardcodedSecret,
    rules::terraform::ProviderHardcodedCredentials,
    rules::terraform::RequiredTagsMissing,
    rules::terraform::StateFileCommitted,
    rules::terraform::TerraformVersionUnpinned,
    rules::terraform::LockfileNotCommitted,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_unique_well_formed_sorted() {
        let mut seen = HashSet::new();
        let mut names = HashSet::new();
        for w in RULES.windows(2) {
            assert!(
                w[0].meta.code < w[1].meta.code,
                "{} before {}",
                w[0].meta.code,
                w[1].meta.code
            );
        }
        for r in RULES {
            let m = r.meta;
            assert!(seen.insert(m.code), "duplicate code {}", m.code);
            assert!(
                names.insert((m.prefix(), m.name)),
                "duplicate name {}",
                m.name
            );
            let digits = &m.code[m.prefix().len()..];
            assert!(
                digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
                "{}",
                m.code
            );
            assert!(
                m.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{} is not kebab-case",
                m.name
            );
            assert_eq!(
                rule_by_code_or_name(m.code).map(|e| e.1.meta.code),
                Some(m.code)
            );
            // Names are unique per prefix; the catalog reuses a few across formats (CMP012 and
            // K8S015 are both `memory-limit-missing`), so `<prefix>/<name>` is the exact form and a
            // bare name finds a rule of that name.
            assert_eq!(
                rule_by_code_or_name(&format!("{}/{}", m.prefix(), m.name)).map(|e| e.1.meta.code),
                Some(m.code)
            );
            assert_eq!(
                rule_by_code_or_name(m.name).map(|e| e.1.meta.name),
                Some(m.name)
            );
        }
    }

    #[test]
    fn docs_have_required_sections() {
        for r in RULES {
            let m = r.meta;
            for section in ["## What it does", "## Why is this bad"] {
                assert!(
                    m.docs.contains(section),
                    "{}: docs lack `{section}`",
                    m.code
                );
            }
            if r.input != InputKind::Tool {
                for section in ["## Example", "## References"] {
                    assert!(
                        m.docs.contains(section),
                        "{}: docs lack `{section}`",
                        m.code
                    );
                }
            }
            if m.fix != cw_diagnostics::FixAvailability::None {
                assert!(
                    m.docs.contains("## Fix safety"),
                    "{}: fixable rule without `## Fix safety`",
                    m.code
                );
            }
            assert!(!m.summary().is_empty(), "{}: empty summary", m.code);
        }
    }
}
