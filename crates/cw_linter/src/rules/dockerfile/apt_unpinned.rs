use cw_syntax::shell::Word;

use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Call, has_extension, run_calls};
use crate::rules::dockerfile::helpers::report::report_unpinned;

declare_rule! {
    /// ## What it does
    /// Flags `apt-get install` / `apt install` commands in RUN that name packages without a version
    /// (`curl` instead of `curl=7.88.1-10+deb12u5`).
    ///
    /// One finding per command, on its first unpinned package, lists them all. Not judged: package words
    /// with a variable (`$PACKAGES`, `curl=${CURL_VERSION}`), local `.deb` files and paths. A release
    /// selection (`nginx/bookworm-backports`) is not a version and is reported.
    ///
    /// ## Why is this bad?
    /// Without versions, the same Dockerfile installs whatever the archive holds on build day, so two
    /// builds of one commit can differ and a rebuild can pull in a regression. The rule is `info`
    /// only: Debian and Ubuntu archives drop superseded versions, so a hard pin eventually breaks the
    /// build. Pin together with a snapshot archive (snapshot.debian.org, snapshot.ubuntu.com), or rely
    /// on a digest-pinned base image and accept the drift.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update \
    ///     && apt-get install -y --no-install-recommends curl \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update \
    ///     && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## References
    /// - https://docs.docker.com/build/building/best-practices/#apt-get
    /// - https://manpages.debian.org/bookworm/apt/apt-get.8.en.html
    /// - https://snapshot.debian.org/
    /// - https://github.com/hadolint/hadolint/wiki/DL3008
    pub struct AptUnpinned {
        code: "DKR012",
        name: "apt-unpinned",
        category: Reproducibility,
        severity: Info,
        fix: None,
        peers: [
            Hadolint("DL3008"),
            Kics("Apt Get Install Pin Version Not Defined")
        ],
    }
}

impl Rule for AptUnpinned {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (run, call) in run_calls(&df.runs) {
            if !call.tool.is_apt() || !call.sub_is(&["install", "reinstall"]) {
                continue;
            }
            let unpinned = unpinned_packages(&call);
            if let Some(finding) = report_unpinned(ctx, df, run, &call, &unpinned, package_name) {
                finding.help(
                    "pin `name=<version>` together with a snapshot archive (snapshot.debian.org), \
                     or rely on a digest-pinned base image",
                );
            }
        }
    }
}

/// The package words of an apt install that name a package without `=version`.
fn unpinned_packages<'a>(call: &Call<'a>) -> Vec<&'a Word> {
    call.operands()
        .iter()
        .copied()
        .filter(|w| w.literal)
        .filter(|w| {
            let v = w.value.as_str();
            !(v.contains('=')
                || has_extension(v, "deb")
                || v.starts_with(['.', '/', '~'])
                || v.contains(['*', '?', '[', '^', '$'])
                // `pkg-` asks apt to remove `pkg`.
                || (v.ends_with('-') && v.len() > 1))
        })
        .collect()
}

/// `curl` for `curl/bookworm-backports` (a release selection, not a version).
fn package_name(word: &Word) -> &str {
    let v = word.value.as_str();
    v.split('/').next().unwrap_or(v)
}
