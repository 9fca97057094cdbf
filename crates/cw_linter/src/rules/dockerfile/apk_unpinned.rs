use cw_syntax::shell::Word;

use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Call, Tool, has_extension, run_calls};
use crate::rules::dockerfile::helpers::report::report_unpinned;

declare_rule! {
    /// ## What it does
    /// Flags `apk add` commands in RUN that name packages without a version constraint (`curl` instead
    /// of `curl=8.5.0-r0` or `curl~8.5`).
    ///
    /// One finding per command, on its first unpinned package, lists them all. Not judged: package words
    /// with a variable, local `.apk` files, and the name given to `--virtual`. A repository tag
    /// (`fzf@testing`) is not a version and is reported.
    ///
    /// ## Why is this bad?
    /// Without versions, `apk add` installs whatever the repository holds on build day, so rebuilds of
    /// the same commit can differ. The rule is `info` only: Alpine repositories keep just the current
    /// version of each package, so an exact pin (`=`) breaks the build as soon as the package is
    /// updated. A fuzzy pin (`curl~8.5`) survives patch releases; a digest-pinned base image plus a
    /// regular rebuild is often the better trade-off.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl~8.9
    /// ```
    ///
    /// ## References
    /// - https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Advanced_APK_Usage
    /// - https://github.com/hadolint/hadolint/wiki/DL3018
    pub struct ApkUnpinned {
        code: "DKR013",
        name: "apk-unpinned",
        category: Reproducibility,
        severity: Info,
        fix: None,
        peers: [
            Hadolint("DL3018"),
            Kics("Unpinned Package Version in Apk Add")
        ],
    }
}

impl Rule for ApkUnpinned {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (run, call) in run_calls(&df.runs) {
            if call.tool != Tool::Apk || !call.sub_is(&["add"]) {
                continue;
            }
            let unpinned = unpinned_packages(&call);
            if let Some(finding) = report_unpinned(ctx, df, run, &call, &unpinned, package_name) {
                finding.help(
                    "pin with `name~<major.minor>` (survives patch releases) or `name=<version>`, \
                     or rely on a digest-pinned base image: Alpine keeps only the current version",
                );
            }
        }
    }
}

/// The package words of `apk add` without a version constraint.
fn unpinned_packages<'a>(call: &Call<'a>) -> Vec<&'a Word> {
    call.operands()
        .iter()
        .copied()
        .filter(|w| w.literal)
        .filter(|w| {
            let v = w.value.as_str();
            !(v.contains(['=', '~', '>', '<'])
                || has_extension(v, "apk")
                || v.starts_with(['.', '/'])
                || v.contains("://")
                || v.contains(['*', '?', '$']))
        })
        .collect()
}

/// `curl` for `curl@edge` (a repository tag, not a version).
fn package_name(word: &Word) -> &str {
    let v = word.value.as_str();
    v.split('@').next().unwrap_or(v)
}
