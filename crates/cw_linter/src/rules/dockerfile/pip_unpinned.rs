use cw_syntax::shell::Word;

use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Call, Tool, run_calls};
use crate::rules::dockerfile::helpers::layers::{env_declared, run_resource};

declare_rule! {
    /// ## What it does
    /// Flags packages that `pip install` (also `pip3`, `python -m pip` and `uv pip install`) installs
    /// without an exact `==` version: `requests`, a range such as `django>=4`, or a VCS URL without a ref.
    ///
    /// Not judged: installs that follow a file, a fixed index or a date (`-r`, `-c`, `PIP_CONSTRAINT`,
    /// `--require-hashes`, `--no-index`, `uv pip install --exclude-newer`), local paths (`.`, `-e .`,
    /// `./dist/app.whl`), archive URLs, words with a variable, and the packaging tools themselves (`pip`,
    /// `setuptools`, `wheel`): `pip install --upgrade pip` upgrades the installer, not an application
    /// dependency, so unlike hadolint's DL3013 this rule leaves it alone.
    ///
    /// ## Why is this bad?
    /// An unpinned package resolves to the newest release at build time, so two builds of the same
    /// commit can ship different code, and a new release (or a compromised one) lands in the image
    /// without review. Exact pins, or better a lock file installed with hashes, make builds repeatable
    /// and make upgrades deliberate.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir flask gunicorn>=21
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY requirements.txt .
    /// RUN pip install --no-cache-dir --require-hashes -r requirements.txt
    /// ```
    ///
    /// ## References
    /// - https://pip.pypa.io/en/stable/topics/repeatable-installs/
    /// - https://pip.pypa.io/en/stable/topics/secure-installs/
    /// - https://github.com/hadolint/hadolint/wiki/DL3013
    pub struct PipUnpinned {
        code: "DKR014",
        name: "pip-unpinned",
        category: Reproducibility,
        severity: Warning,
        fix: None,
        peers: [
            Hadolint("DL3013"),
            Kics("Unpinned Package Version in Pip Install")
        ],
    }
}

/// The packaging tools: upgrading them is routine tooling, not an application dependency.
const TOOLING: &[&str] = &["pip", "setuptools", "wheel"];

/// Environment variables that pin or constrain what pip and uv resolve.
const PINNING_ENV: &[&str] = &[
    "PIP_CONSTRAINT",
    "PIP_REQUIREMENT",
    "PIP_REQUIRE_HASHES",
    "PIP_NO_INDEX",
    "UV_CONSTRAINT",
    "UV_EXCLUDE_NEWER",
];

impl Rule for PipUnpinned {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (run, call) in run_calls(&df.runs) {
            if !matches!(call.tool, Tool::Pip | Tool::UvPip) || !call.sub_is(&["install"]) {
                continue;
            }
            if pinned_elsewhere(&call)
                || PINNING_ENV
                    .iter()
                    .any(|n| call.env_set(n) || env_declared(df, run, n))
            {
                continue;
            }
            for (word, problem) in unpinned(&call) {
                let what = word.value.as_str();
                let (message, help) = match problem {
                    Problem::NoVersion => (
                        format!(
                            "`{}` installs `{what}` without a pinned version",
                            call.display()
                        ),
                        format!(
                            "pin it (`{what}==<version>`), or install a lock or requirements file \
                             with hashes (`pip install --require-hashes -r requirements.txt`)"
                        ),
                    ),
                    Problem::Range => (
                        format!(
                            "`{}` installs `{what}`: a version range, not a pinned version",
                            call.display()
                        ),
                        "pin one version with `==`, or install a lock file with hashes".to_string(),
                    ),
                    Problem::VcsWithoutRef => (
                        format!(
                            "`{}` installs `{what}` from the repository's default branch",
                            call.display()
                        ),
                        "pin a tag or commit: `...@<tag-or-commit>`".to_string(),
                    ),
                };
                ctx.report(word.range, message)
                    .help(help)
                    .resource(run_resource(df, run));
            }
        }
    }
}

/// Options that make the whole install follow a file, hashes, a local index or a cut-off date.
fn pinned_elsewhere(call: &Call<'_>) -> bool {
    let line = &call.line;
    line.dynamic
        || line.has(Some('r'), &["requirement", "requirements"])
        || line.has(Some('c'), &["constraint", "constraints", "override"])
        || line.has(
            None,
            &[
                "require-hashes",
                "no-index",
                "exclude-newer",
                "uploaded-prior-to",
                "offline",
            ],
        )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Problem {
    NoVersion,
    Range,
    VcsWithoutRef,
}

/// The package words of the install that are not pinned, with what is wrong.
fn unpinned<'a>(call: &Call<'a>) -> Vec<(&'a Word, Problem)> {
    let ops = call.operands();
    let mut out = Vec::new();
    let mut i = 0;
    while i < ops.len() {
        let word = ops[i];
        i += 1;
        // `name @ https://...`: a direct reference.
        if ops.get(i).is_some_and(|w| w.value == "@") {
            i += 2;
            continue;
        }
        if !word.literal {
            continue;
        }
        if let Some(problem) = judge(&word.value) {
            out.push((word, problem));
        }
    }
    out
}

/// What is wrong with one requirement word, or `None` when it is pinned or not a registry package.
fn judge(req: &str) -> Option<Problem> {
    if req.is_empty() || req.starts_with(['.', '/', '~']) || req.contains('$') {
        return None;
    }
    if let Some(rest) = req.split_once("://").map(|(_, r)| r) {
        let is_vcs = req.starts_with("git+")
            || req.starts_with("hg+")
            || req.starts_with("svn+")
            || req.starts_with("bzr+");
        if !is_vcs {
            // An archive or wheel URL names one file.
            return None;
        }
        let path = rest.split('#').next().unwrap_or(rest);
        // Drop `user@` before the host.
        let path = match (path.find('@'), path.find('/')) {
            (Some(at), Some(slash)) if at < slash => &path[at + 1..],
            _ => path,
        };
        return (!path.contains('@')).then_some(Problem::VcsWithoutRef);
    }
    if req.contains('@') {
        // `name@https://...` without spaces: a direct reference.
        return None;
    }
    let lower = req.to_ascii_lowercase();
    if [".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2"]
        .iter()
        .any(|ext| lower.ends_with(ext))
        || req.contains('/')
    {
        return None;
    }
    let name_end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(req.len());
    let name = &req[..name_end];
    if name.is_empty() || TOOLING.iter().any(|t| t.eq_ignore_ascii_case(name)) {
        return None;
    }
    let spec = req[name_end..].split(';').next().unwrap_or("");
    let spec = match spec.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or("", |(_, s)| s),
        None => spec,
    };
    let spec = spec.trim();
    if spec.is_empty() {
        return Some(Problem::NoVersion);
    }
    match spec.find("==") {
        Some(at) if !spec[at..].contains('*') && !spec.contains(',') => None,
        _ => Some(Problem::Range),
    }
}

#[cfg(test)]
mod tests {
    use super::{Problem, judge};

    #[test]
    fn requirement_words() {
        assert_eq!(judge("requests"), Some(Problem::NoVersion));
        assert_eq!(judge("requests[socks]"), Some(Problem::NoVersion));
        assert_eq!(judge("requests==2.32.3"), None);
        assert_eq!(judge("requests[socks]==2.32.3"), None);
        assert_eq!(judge("requests===2.32.3"), None);
        assert_eq!(judge("django>=4"), Some(Problem::Range));
        assert_eq!(judge("django~=4.2"), Some(Problem::Range));
        assert_eq!(judge("django==4.*"), Some(Problem::Range));
        assert_eq!(judge("*.whl"), None);
        assert_eq!(judge("django>=4,<5"), Some(Problem::Range));
        assert_eq!(judge("pip"), None);
        assert_eq!(judge("Setuptools"), None);
        assert_eq!(judge("."), None);
        assert_eq!(judge("./dist/app-1.0-py3-none-any.whl"), None);
        assert_eq!(judge("dist/app.tar.gz"), None);
        assert_eq!(judge("https://example.com/app-1.0.tar.gz"), None);
        assert_eq!(
            judge("git+https://github.com/org/repo"),
            Some(Problem::VcsWithoutRef)
        );
        assert_eq!(judge("git+https://github.com/org/repo@v1.2.0"), None);
        assert_eq!(
            judge("git+ssh://git@github.com/org/repo.git"),
            Some(Problem::VcsWithoutRef)
        );
        assert_eq!(
            judge("git+ssh://git@github.com/org/repo.git@abc123#egg=repo"),
            None
        );
        assert_eq!(judge("app@https://example.com/app.whl"), None);
    }
}
