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
            assert_eq!(
                rule_by_code_or_name(m.name).map(|e| e.1.meta.code),
                Some(m.code)
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
