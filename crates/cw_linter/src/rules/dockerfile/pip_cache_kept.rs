use cw_model::dockerfile::{Dockerfile, Run};
use cw_syntax::shell::{SimpleCommand, Word};

use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Call, Tool, basename, call, run_calls};
use crate::rules::dockerfile::helpers::layers::{
    add_option_fix, covers, deleted_paths, env_declared, shipped_runs,
};
use crate::rules::dockerfile::helpers::report::report_call;

declare_rule! {
    /// ## What it does
    /// Flags `pip install` without `--no-cache-dir` (and `uv pip install` without `--no-cache`) where the
    /// download cache ends up in the image.
    ///
    /// Not reported when the cache cannot reach the layer: `PIP_NO_CACHE_DIR` / `UV_NO_CACHE` is set (on
    /// the command, or by an ENV or ARG of the stage), a `--mount` covers the cache directory, the same RUN
    /// deletes the cache (`rm -rf /root/.cache`, `pip cache purge`, `uv cache clean`), the install reads
    /// only local wheels (`--no-index`), options come from a variable, or the stage is build-only (used
    /// only through `COPY --from` / `RUN --mount=from=`).
    ///
    /// ## Why is this bad?
    /// pip keeps every downloaded and built wheel under `~/.cache/pip`. In an image that cache is dead
    /// weight, often tens to hundreds of megabytes for data-science stacks, and since layers are
    /// additive a later `rm` cannot win the space back.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY requirements.txt .
    /// RUN pip install -r requirements.txt
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY requirements.txt .
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// ```
    ///
    /// With BuildKit, a cache mount keeps the cache between builds and out of the image:
    /// ```dockerfile
    /// RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix inserts `--no-cache-dir` (`--no-cache` for `uv pip`) right after `install`. The
    /// same packages are installed; only the download cache is no longer written.
    ///
    /// ## References
    /// - https://pip.pypa.io/en/stable/topics/caching/
    /// - https://docs.docker.com/build/cache/optimize/#use-cache-mounts
    /// - https://github.com/hadolint/hadolint/wiki/DL3042
    pub struct PipCacheKept {
        code: "DKR022",
        name: "pip-cache-kept",
        category: Efficiency,
        severity: Info,
        fix: Always,
        peers: [
            Hadolint("DL3042"),
            Kics("Pip install Keeping Cached Packages")
        ],
    }
}

impl Rule for PipCacheKept {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (run, call) in run_calls(shipped_runs(df)) {
            let uv = match call.tool {
                Tool::Pip => false,
                Tool::UvPip => true,
                _ => continue,
            };
            let Some(sub) = call.sub.filter(|_| call.sub_is(&["install"])) else {
                continue;
            };
            let (flag, env, cache) = if uv {
                ("--no-cache", "UV_NO_CACHE", "uv")
            } else {
                ("--no-cache-dir", "PIP_NO_CACHE_DIR", "pip")
            };
            let disabled = if uv {
                call.line.has(Some('n'), &["no-cache"])
            } else {
                call.line.has(None, &["no-cache-dir"])
            };
            if disabled
                || call.line.dynamic
                || call.line.has(None, &["no-index", "offline"])
                || call.env_set(env)
                || env_declared(df, run, env)
                || cache_mounted(df, run, &call, cache)
                || cache_cleared(run, cache)
            {
                continue;
            }
            let message = format!(
                "`{}` without `{flag}` keeps its download cache (`~/.cache/{cache}`) in the layer",
                call.display()
            );
            let help = format!(
                "add `{flag}`, or mount a cache: `RUN --mount=type=cache,target=/root/.cache/{cache} ...`"
            );
            report_call(ctx, df, run, &call, message)
                .help(help)
                .fix(add_option_fix(
                    df,
                    run,
                    &call,
                    sub,
                    flag,
                    Applicability::Safe,
                ));
        }
    }
}

/// A mount keeps the cache out of the layer: one over `~/.cache/pip` (`~/.cache/uv`), over the
/// `--cache-dir` of the call, or any cache/tmpfs mount when `PIP_CACHE_DIR` / `UV_CACHE_DIR` moves the
/// cache somewhere this rule cannot see.
fn cache_mounted(df: &Dockerfile, run: &Run, call: &Call<'_>, cache: &str) -> bool {
    let dir_env = if cache == "uv" {
        "UV_CACHE_DIR"
    } else {
        "PIP_CACHE_DIR"
    };
    let cache_dir = call.line.values(None, &["cache-dir"]);
    let moved = call.env_set(dir_env) || env_declared(df, run, dir_env);
    run.mounts.iter().any(|m| {
        let Some(target) = m.target.as_deref() else {
            return false;
        };
        let t = target.trim_end_matches('/');
        t.contains('$')
            || covers(t, &format!("/root/.cache/{cache}"))
            || t.ends_with("/.cache")
            || t.ends_with(&format!(".cache/{cache}"))
            || cache_dir.iter().any(|d| covers(t, d))
            || (moved && matches!(m.kind.as_str(), "cache" | "tmpfs"))
    })
}

/// The same RUN deletes the cache: `rm -rf /root/.cache[/pip]`, `pip cache purge`, `uv cache clean`.
fn cache_cleared(run: &Run, cache: &str) -> bool {
    run.script.commands().any(|c| {
        if call(c).is_some_and(|call| is_pip_cache_purge(&call)) || is_uv_cache_clean(c) {
            return true;
        }
        deleted_paths(c).into_iter().any(|w| clears_cache(w, cache))
    })
}

/// `pip cache purge`, `pip cache remove ...`.
fn is_pip_cache_purge(call: &Call<'_>) -> bool {
    let op = call.operands().first().map(|w| w.value.as_str());
    call.tool == Tool::Pip && call.sub_is(&["cache"]) && matches!(op, Some("purge" | "remove"))
}

/// `uv cache clean`, `uv cache prune`.
fn is_uv_cache_clean(cmd: &SimpleCommand) -> bool {
    cmd.name.literal
        && basename(&cmd.name) == "uv"
        && cmd.args.first().is_some_and(|w| w.value == "cache")
        && cmd
            .args
            .get(1)
            .is_some_and(|w| matches!(w.value.as_str(), "clean" | "prune"))
}

/// `rm -rf /root/.cache`, `~/.cache/pip`, `$HOME/.cache/pip/*`.
fn clears_cache(word: &Word, cache: &str) -> bool {
    let v = word.value.trim_end_matches('*').trim_end_matches('/');
    if !word.literal {
        return v.contains(".cache") || word.raw.trim_matches('"').starts_with('$');
    }
    v.ends_with("/.cache") || v == "~/.cache" || v.ends_with(&format!(".cache/{cache}"))
}
