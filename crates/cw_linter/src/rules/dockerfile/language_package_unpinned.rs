use cw_syntax::shell::Word;

use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Call, Tool, has_extension, run_calls};
use crate::rules::dockerfile::helpers::layers::run_resource;

declare_rule! {
    /// ## What it does
    /// Flags Go, Ruby and Rust tool installs that float: `go install` at `@latest` (or another moving
    /// query), `go get` without a version, `gem install` without a version, and `cargo install` without an
    /// exact version or without `--locked`.
    ///
    /// In detail:
    /// - `go install` / `go run` of a module at a moving query (`@latest`, `@upgrade`, `@patch`,
    ///   `@master`, `@main`, `@HEAD`), and `go get` of a package without `@version`;
    /// - `gem install <gem>` without `-v` / `--version` or `gem:version`;
    /// - `cargo install <crate>` without an exact `--version` (or `crate@version`), a `--git` install
    ///   without `--rev` / `--tag`, and a pinned `cargo install` without `--locked`.
    ///
    /// Not judged: words with a variable, local paths (`./cmd/...`, `--path .`, `*.gem`), `go install pkg`
    /// without `@` (inside a module it uses the version from `go.mod`; outside one Go refuses it), and
    /// `gem install bundler` (Bundler switches to the version recorded in `Gemfile.lock`).
    ///
    /// ## Why is this bad?
    /// A floating install resolves to the newest release at build time: two builds of the same
    /// commit ship different tools, and a broken or compromised release lands in the image unreviewed.
    /// `cargo install` without `--locked` also ignores the crate's own `Cargo.lock` and resolves every
    /// dependency afresh, even when the crate version is pinned.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS tools
    /// RUN go install golang.org/x/tools/gopls@latest \
    ///     && cargo install ripgrep \
    ///     && gem install rake
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS tools
    /// RUN go install golang.org/x/tools/gopls@v0.16.2 \
    ///     && cargo install ripgrep --version 14.1.1 --locked \
    ///     && gem install rake -v 13.2.1
    /// ```
    ///
    /// ## References
    /// - https://go.dev/ref/mod#go-install
    /// - https://guides.rubygems.org/command-reference/#gem-install
    /// - https://doc.rust-lang.org/cargo/commands/cargo-install.html#dealing-with-the-lockfile
    /// - https://github.com/hadolint/hadolint/wiki/DL3062
    /// - https://github.com/hadolint/hadolint/wiki/DL3028
    pub struct LanguagePackageUnpinned {
        code: "DKR016",
        name: "language-package-unpinned",
        category: Reproducibility,
        severity: Warning,
        fix: None,
        peers: [
            Hadolint("DL3062"),
            Hadolint("DL3028"),
            Kics("Gem Install Without Version")
        ],
    }
}

/// Go version queries that move.
const MOVING_GO_QUERIES: &[&str] = &["latest", "upgrade", "patch", "master", "main", "HEAD"];

impl Rule for LanguagePackageUnpinned {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (run, call) in run_calls(&df.runs) {
            if call.line.dynamic {
                continue;
            }
            let findings = match call.tool {
                Tool::Go => go(&call),
                Tool::Gem => gem(&call),
                Tool::Cargo => cargo(&call),
                _ => continue,
            };
            for (range, message, help) in findings {
                ctx.report(range, message)
                    .help(help)
                    .resource(run_resource(df, run));
            }
        }
    }
}

type Found = (TextRange, String, String);

fn go(call: &Call<'_>) -> Vec<Found> {
    let ops = call.operands();
    let packages: &[&Word] = match call.sub_name() {
        "install" | "get" => ops,
        // `go run pkg@version args...`: only the first operand is a package.
        "run" => &ops[..ops.len().min(1)],
        _ => return Vec::new(),
    };
    let get = call.sub_name() == "get";
    let mut out = Vec::new();
    for w in packages {
        let v = w.value.as_str();
        if !w.literal
            || v.starts_with(['.', '/', '-'])
            || has_extension(v, "go")
            || !v.contains('.')
        {
            continue;
        }
        match v.rsplit_once('@') {
            Some((module, query)) if MOVING_GO_QUERIES.contains(&query) => out.push((
                w.range,
                format!(
                    "`go {}` resolves `{v}` to whatever `@{query}` is on build day",
                    call.sub_name()
                ),
                format!("pin a version: `{module}@v<version>`"),
            )),
            None if get => out.push((
                w.range,
                format!("`go get` fetches the latest version of `{v}`"),
                format!("pin a version: `{v}@v<version>`"),
            )),
            _ => {}
        }
    }
    out
}

fn gem(call: &Call<'_>) -> Vec<Found> {
    if !call.sub_is(&["install", "i"])
        || call.line.has(Some('v'), &["version"])
        || call.line.has(Some('g'), &["file"])
    {
        return Vec::new();
    }
    call.operands()
        .iter()
        .filter(|w| w.literal)
        .filter(|w| {
            let v = w.value.as_str();
            !(v.contains(':')
                || has_extension(v, "gem")
                || v.starts_with(['.', '/'])
                || v == "bundler"
                || v.contains('$'))
        })
        .map(|w| {
            (
                w.range,
                format!("`gem install` installs `{}` without a version", w.value),
                format!("pin it: `gem install {} -v <version>`", w.value),
            )
        })
        .collect()
}

fn cargo(call: &Call<'_>) -> Vec<Found> {
    if !call.sub_is(&["install"]) || call.line.has(None, &["path", "list"]) {
        return Vec::new();
    }
    let locked = call.line.has(None, &["locked", "frozen"]);
    let version = call
        .line
        .values(None, &["version", "vers"])
        .first()
        .copied();
    let git = call.line.find(None, &["git"]);
    let git_pinned = call.line.has(None, &["rev", "tag"]);
    let mut out = Vec::new();
    let crates: Vec<&Word> = call
        .operands()
        .iter()
        .copied()
        .filter(|w| w.literal)
        .collect();
    if let (Some(opt), true) = (git, crates.is_empty()) {
        if !git_pinned {
            out.push((
                opt.word.range,
                "`cargo install --git` builds the repository's default branch".to_string(),
                "pin a commit or tag with `--rev` or `--tag`, and add `--locked`".to_string(),
            ));
        } else if !locked {
            out.push(unlocked(opt.word.range, "--git"));
        }
        return out;
    }
    for w in crates {
        let (name, inline) = match w.value.split_once('@') {
            Some((n, v)) => (n, Some(v)),
            None => (w.value.as_str(), None),
        };
        let requested = inline.or(version);
        let pinned = if git.is_some() {
            git_pinned
        } else {
            requested.is_some_and(is_exact_cargo_version)
        };
        if !pinned {
            let message = match (git.is_some(), requested) {
                (true, _) => format!(
                    "`cargo install --git` builds `{name}` from the repository's default branch"
                ),
                (false, Some(req)) => format!(
                    "`cargo install` of `{name}` accepts any version matching `{req}`, not one version"
                ),
                (false, None) => format!("`cargo install` installs the latest `{name}`"),
            };
            out.push((
                w.range,
                message,
                format!("pin it: `cargo install {name} --version <version> --locked`"),
            ));
        } else if !locked {
            out.push(unlocked(w.range, name));
        }
    }
    out
}

fn unlocked(range: TextRange, name: &str) -> Found {
    (
        range,
        format!("`cargo install` of `{name}` without `--locked` resolves its dependencies afresh"),
        "add `--locked` so the crate's own `Cargo.lock` is used".to_string(),
    )
}

/// `1.2.3` or `=1.2.3` (cargo installs exactly that); `^1.2`, `~1`, `>=1` are requirements.
fn is_exact_cargo_version(v: &str) -> bool {
    let v = v.strip_prefix('=').unwrap_or(v);
    let core = v.split(['-', '+']).next().unwrap_or(v);
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}
