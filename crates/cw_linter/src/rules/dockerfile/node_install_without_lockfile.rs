use cw_diagnostics::TextRange;
use cw_model::dockerfile::{Dockerfile, Run};
use cw_syntax::dockerfile::Keyword;
use cw_syntax::shell::Word;

use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Call, Tool, run_calls};
use crate::rules::dockerfile::helpers::layers::{env_declared, instructions_before, run_resource};
use crate::rules::dockerfile::helpers::report::report_call;

declare_rule! {
    /// ## What it does
    /// Flags Node.js installs that do not follow a lock file: named packages without an exact version
    /// (`npm install -g typescript`, `yarn add react@^18`), and `npm install` / `yarn install` /
    /// `pnpm install` without a frozen lock file when the stage has copied the lock file in.
    ///
    /// In detail:
    /// - `npm install <pkg>`, `yarn add <pkg>`, `yarn global add <pkg>`, `pnpm add <pkg>`: a registry
    ///   package without an exact version (`typescript`, `typescript@latest`, `react@^18`), or a git
    ///   dependency without a `#ref`;
    /// - `npm install`, `yarn install` (or bare `yarn`) and `pnpm install` without `npm ci` /
    ///   `--frozen-lockfile` / `--immutable`, when an earlier COPY of the stage (or a bind mount of the
    ///   RUN) names the matching lock file (`package-lock.json`, `npm-shrinkwrap.json`, `yarn.lock`,
    ///   `pnpm-lock.yaml`). After `COPY . .` whether a lock file exists is unknown, so nothing is reported.
    ///
    /// Not judged: words with a variable, local paths and tarballs, npm upgrading itself
    /// (`npm install -g npm@latest`), installs with `--before <date>`, and yarn/pnpm when `CI` is declared
    /// (they then refuse to change the lock file on their own).
    ///
    /// ## Why is this bad?
    /// `npm install` resolves the ranges in `package.json` again and may rewrite the lock file, so the
    /// image can contain dependency versions nobody tested; `npm ci` installs exactly what
    /// `package-lock.json` says and fails when it is out of date. Installing a named package without
    /// a version pulls whatever is newest on build day.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// COPY package.json package-lock.json ./
    /// RUN npm install && npm install -g typescript
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// COPY package.json package-lock.json ./
    /// RUN npm ci && npm install -g typescript@5.6.3
    /// ```
    ///
    /// ## References
    /// - https://docs.npmjs.com/cli/commands/npm-ci
    /// - https://classic.yarnpkg.com/en/docs/cli/install#toc-yarn-install-frozen-lockfile
    /// - https://yarnpkg.com/cli/install
    /// - https://pnpm.io/cli/install#--frozen-lockfile
    /// - https://github.com/hadolint/hadolint/wiki/DL3016
    pub struct NodeInstallWithoutLockfile {
        code: "DKR015",
        name: "node-install-without-lockfile",
        category: Reproducibility,
        severity: Warning,
        fix: None,
        peers: [
            Hadolint("DL3016"),
            Kics("NPM Install Command Without Pinned Version")
        ],
    }
}

impl Rule for NodeInstallWithoutLockfile {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (run, call) in run_calls(&df.runs) {
            if !matches!(call.tool, Tool::Npm | Tool::Yarn | Tool::Pnpm) {
                continue;
            }
            if call.line.dynamic || call.line.has(None, &["before"]) {
                continue;
            }
            let packages = package_words(&call);
            match packages {
                Some(words) if !words.is_empty() => {
                    report_packages(ctx, df, run, &call, &words);
                }
                Some(_) => report_lockfile_install(ctx, df, run, &call),
                None => {}
            }
        }
    }
}

/// The package words when the call installs packages (empty for a plain `npm install`), `None` when it
/// is no install.
fn package_words<'a>(call: &Call<'a>) -> Option<Vec<&'a Word>> {
    let ops = call.operands();
    match call.tool {
        Tool::Npm if call.sub_is(&["install", "i", "in", "add", "isntall"]) => Some(ops.to_vec()),
        Tool::Yarn if call.sub.is_none() && ops.is_empty() => Some(Vec::new()),
        Tool::Yarn if call.sub_is(&["install"]) => Some(Vec::new()),
        Tool::Yarn if call.sub_is(&["add"]) => Some(ops.to_vec()),
        Tool::Yarn if call.sub_is(&["global"]) && ops.first().is_some_and(|w| w.value == "add") => {
            Some(ops[1..].to_vec())
        }
        Tool::Pnpm if call.sub_is(&["install", "i", "add"]) => Some(ops.to_vec()),
        _ => None,
    }
}

fn report_packages(
    ctx: &mut RuleCtx,
    df: &Dockerfile,
    run: &Run,
    call: &Call<'_>,
    words: &[&Word],
) {
    let command = if call.tool == Tool::Yarn && call.sub_is(&["global"]) {
        "yarn global add".to_string()
    } else {
        call.display()
    };
    for word in words {
        if !word.literal {
            continue;
        }
        let what = word.value.as_str();
        let Some(problem) = judge(what) else {
            continue;
        };
        let (message, help) = match problem {
            Problem::NoVersion(name) => (
                format!("`{command}` installs `{name}` without a pinned version"),
                format!(
                    "pin it (`{name}@<version>`), or declare it in package.json and install from the lock file"
                ),
            ),
            Problem::Floating(name) => (
                format!("`{command}` installs `{what}`: a tag or range, not a pinned version"),
                format!("pin an exact version: `{name}@<version>`"),
            ),
            Problem::GitWithoutRef => (
                format!("`{command}` installs `{what}` from the repository's default branch"),
                "pin a tag or commit: `...#<tag-or-commit>`".to_string(),
            ),
        };
        ctx.report(word.range, message)
            .help(help)
            .resource(run_resource(df, run));
    }
}

/// `npm install` / `yarn install` / `pnpm install` without frozen lock file, with a lock file copied in.
fn report_lockfile_install(ctx: &mut RuleCtx, df: &Dockerfile, run: &Run, call: &Call<'_>) {
    let (locks, frozen, instead): (&[&str], &[&str], &str) = match call.tool {
        Tool::Npm => {
            if call.line.has(Some('g'), &["global", "package-lock-only"]) {
                return;
            }
            (
                &["package-lock.json", "npm-shrinkwrap.json"],
                &[],
                "npm ci`",
            )
        }
        Tool::Yarn => (
            &["yarn.lock"],
            &["frozen-lockfile", "immutable"],
            "yarn install --frozen-lockfile` (Yarn 2 and later: `yarn install --immutable`)",
        ),
        _ => (
            &["pnpm-lock.yaml"],
            &["frozen-lockfile"],
            "pnpm install --frozen-lockfile`",
        ),
    };
    if call.line.has(None, frozen) {
        return;
    }
    if call.tool != Tool::Npm
        && [
            "CI",
            "YARN_ENABLE_IMMUTABLE_INSTALLS",
            "npm_config_frozen_lockfile",
        ]
        .iter()
        .any(|n| call.env_set(n) || env_declared(df, run, n))
    {
        return;
    }
    let Some((lock, lock_range)) = lockfile_source(df, run, locks) else {
        return;
    };
    let message = format!(
        "`{}` may re-resolve dependencies and rewrite `{lock}` instead of installing what it locks",
        call.display()
    );
    report_call(ctx, df, run, call, message)
        .help(format!("use `{instead}"))
        .label(lock_range, format!("`{lock}` is copied in here"));
}

/// The lock file an earlier COPY/ADD of the stage (or a bind mount of the RUN) brings in, and where.
fn lockfile_source<'a>(
    df: &Dockerfile,
    run: &Run,
    locks: &[&'a str],
) -> Option<(&'a str, TextRange)> {
    let named = |path: &str| {
        let base = path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(path);
        locks.iter().copied().find(|l| *l == base)
    };
    for m in &run.mounts {
        for (k, v) in &m.options {
            if matches!(k.as_str(), "source" | "src")
                && let Some(lock) = named(v)
            {
                return Some((lock, m.range));
            }
        }
    }
    let mut found = None;
    for (_, ins) in instructions_before(df, run) {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
            continue;
        }
        let words = match (ins.shell_text(), ins.exec_args()) {
            (Some(text), _) => text.words(),
            (_, Some(exec)) => exec.items.clone(),
            _ => continue,
        };
        let Some((_, sources)) = words.split_last() else {
            continue;
        };
        for w in sources {
            if let Some(lock) = named(&w.value) {
                found = Some((lock, w.range));
            }
        }
    }
    found
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Problem<'a> {
    NoVersion(&'a str),
    Floating(&'a str),
    GitWithoutRef,
}

/// What is wrong with one package spec, or `None` when it is pinned or not a registry package.
fn judge(spec: &str) -> Option<Problem<'_>> {
    if spec.is_empty()
        || spec.starts_with(['.', '/', '~'])
        || spec.starts_with("file:")
        || spec.contains(['$', '*'])
    {
        return None;
    }
    let lower = spec.to_ascii_lowercase();
    if [".tgz", ".tar.gz", ".tar"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return None;
    }
    let is_git = [
        "git+",
        "git://",
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
    ]
    .iter()
    .any(|p| spec.starts_with(p));
    let scoped = spec.starts_with('@');
    if is_git || spec.contains("://") || (!scoped && spec.contains('/')) {
        if spec.contains("://") && !is_git && !spec.contains(".git") {
            // A plain URL: a tarball.
            return None;
        }
        return (!spec.contains('#')).then_some(Problem::GitWithoutRef);
    }
    // `name@version`, `@scope/name@version`.
    let at = if scoped {
        spec[1..].find('@').map(|i| i + 1)
    } else {
        spec.find('@')
    };
    let (name, version) = match at {
        Some(i) => (&spec[..i], Some(&spec[i + 1..])),
        None => (spec, None),
    };
    if name == "npm" {
        return None;
    }
    match version {
        None | Some("") => Some(Problem::NoVersion(name)),
        Some(v) if v.starts_with("npm:") => None,
        Some(v) if is_exact_version(v) => None,
        Some(_) => Some(Problem::Floating(name)),
    }
}

/// `1.2.3`, `v1.2.3`, `=1.2.3`, `1.2.3-beta.1`: one version, not a range or a tag.
fn is_exact_version(v: &str) -> bool {
    let v = v.strip_prefix('=').unwrap_or(v);
    let v = v.strip_prefix('v').unwrap_or(v);
    let core = v.split(['-', '+']).next().unwrap_or(v);
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::{Problem, judge};

    #[test]
    fn package_specs() {
        assert_eq!(judge("typescript"), Some(Problem::NoVersion("typescript")));
        assert_eq!(
            judge("@angular/cli"),
            Some(Problem::NoVersion("@angular/cli"))
        );
        assert_eq!(judge("typescript@5.6.3"), None);
        assert_eq!(judge("@angular/cli@18.2.1"), None);
        assert_eq!(
            judge("typescript@latest"),
            Some(Problem::Floating("typescript"))
        );
        assert_eq!(judge("react@^18"), Some(Problem::Floating("react")));
        assert_eq!(judge("react@18"), Some(Problem::Floating("react")));
        assert_eq!(judge("npm@latest"), None);
        assert_eq!(judge("./local-pkg"), None);
        assert_eq!(judge("pkg.tgz"), None);
        assert_eq!(judge("https://example.com/pkg-1.0.0.tgz"), None);
        assert_eq!(judge("github:org/repo"), Some(Problem::GitWithoutRef));
        assert_eq!(judge("org/repo#v1.0.0"), None);
        assert_eq!(judge("git+https://github.com/org/repo.git#abc123"), None);
        assert_eq!(judge("alias@npm:react@18.3.1"), None);
    }
}
