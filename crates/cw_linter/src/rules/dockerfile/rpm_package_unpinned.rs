use cw_syntax::shell::Word;

use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Call, Tool, has_extension, run_calls};
use crate::rules::dockerfile::helpers::report::report_unpinned;

declare_rule! {
    /// ## What it does
    /// Flags `yum`, `dnf`, `microdnf` and `zypper` installs that name packages without a version
    /// (`httpd` instead of `httpd-2.4.57`, or `httpd=2.4.57` for zypper).
    ///
    /// One finding per command, on its first unpinned package, lists them all. Not judged: words with a
    /// variable, local or remote `.rpm` files, paths and file provides (`/usr/bin/python3`), capabilities
    /// (`'pkgconfig(zlib)'`), groups (`@base`, `group install`) and module streams
    /// (`module install nodejs:20`). A name whose dash-separated tail looks like a version
    /// (`java-17-openjdk`) counts as pinned: versioned package names never raise false alarms.
    ///
    /// ## Why is this bad?
    /// Without versions the image contains whatever the repositories hold on build day, so two builds
    /// of one commit differ. The rule is `info`: most RPM repositories drop superseded versions, so
    /// exact pins need a fixed repository snapshot (or a digest-pinned base image) to keep working.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd-2.4.57 && dnf clean all
    /// ```
    ///
    /// ## References
    /// - https://dnf.readthedocs.io/en/latest/command_ref.html#specifying-packages-label
    /// - https://doc.opensuse.org/documentation/leap/reference/html/book-reference/cha-sw-cl.html
    /// - https://github.com/hadolint/hadolint/wiki/DL3033
    /// - https://github.com/hadolint/hadolint/wiki/DL3041
    /// - https://github.com/hadolint/hadolint/wiki/DL3037
    pub struct RpmPackageUnpinned {
        code: "DKR017",
        name: "rpm-package-unpinned",
        category: Reproducibility,
        severity: Info,
        fix: None,
        peers: [
            Hadolint("DL3033"),
            Hadolint("DL3041"),
            Hadolint("DL3037")
        ],
    }
}

impl Rule for RpmPackageUnpinned {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (run, call) in run_calls(&df.runs) {
            let installs = (call.tool.is_yum_like() || call.tool == Tool::Zypper)
                && call.sub_is(&["install", "in"]);
            if !installs {
                continue;
            }
            let unpinned = unpinned_packages(&call);
            let Some(finding) =
                report_unpinned(ctx, df, run, &call, &unpinned, |w| w.value.as_str())
            else {
                continue;
            };
            let example = if call.tool == Tool::Zypper {
                "name=<version>"
            } else {
                "name-<version>"
            };
            finding.help(format!(
                "pin `{example}` together with a fixed repository snapshot, or rely on a \
                 digest-pinned base image"
            ));
        }
    }
}

fn unpinned_packages<'a>(call: &Call<'a>) -> Vec<&'a Word> {
    call.operands()
        .iter()
        .copied()
        .filter(|w| w.literal && !is_pinned_or_special(&w.value))
        .collect()
}

fn is_pinned_or_special(spec: &str) -> bool {
    spec.is_empty()
        || spec.starts_with(['@', '.', '/', '~'])
        || spec.contains(['/', '(', '*', '?', '$', '['])
        || has_extension(spec, "rpm")
        || spec.contains(['=', '<', '>'])
        || has_version_tail(spec)
}

/// `httpd-2.4.57`, `httpd-2.4.57-1.el9`, `java-17-openjdk`: a dash-separated tail with a part that
/// starts with a digit, made of version characters only (as `dnf` reads `name-version[-release]`).
fn has_version_tail(spec: &str) -> bool {
    let mut parts = spec.split('-');
    parts.next();
    let tail: Vec<&str> = parts.collect();
    !tail.is_empty()
        && tail.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".~^_:+".contains(&b))
        })
        && tail
            .iter()
            .any(|p| p.starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::is_pinned_or_special;

    #[test]
    fn specs() {
        assert!(!is_pinned_or_special("httpd"));
        assert!(!is_pinned_or_special("python3-devel"));
        assert!(!is_pinned_or_special("gcc-c++"));
        assert!(is_pinned_or_special("httpd-2.4.57"));
        assert!(is_pinned_or_special("httpd-2.4.57-1.el9"));
        assert!(is_pinned_or_special("java-17-openjdk"));
        assert!(is_pinned_or_special("@development"));
        assert!(is_pinned_or_special("/usr/bin/python3"));
        assert!(is_pinned_or_special("pkgconfig(zlib)"));
        assert!(is_pinned_or_special("https://example.com/x.rpm"));
        assert!(is_pinned_or_special("nginx=1.24"));
        assert!(is_pinned_or_special("nginx>=1.24"));
        assert!(!is_pinned_or_special("nginx"));
    }
}
