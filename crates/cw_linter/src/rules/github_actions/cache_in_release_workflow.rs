use cw_model::github_actions::{Job, Step, expr};
use cw_syntax::yaml::Node;

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags steps that restore a cache in a release workflow: one triggered by `release`, by
    /// pushing tags (`push: tags: [...]`) or by pushing to a release branch, or a job that publishes
    /// with a well-known action (`pypa/gh-action-pypi-publish`, `goreleaser/goreleaser-action`,
    /// `softprops/action-gh-release`, `docker/build-push-action` with `push: true`...).
    /// Cache-restoring steps are `actions/cache` (without `lookup-only: true`),
    /// `actions/cache/restore`, the `setup-*` actions with their cache enabled (`cache: npm`,
    /// `setup-go` v4 and later by default, `setup-uv` with `enable-cache: true`...), and caching
    /// actions such as `Swatinem/rust-cache` and `Mozilla-Actions/sccache-action`. Steps with an
    /// `if:` that looks at the ref or the event are not reported: they may skip the cache for
    /// releases. The finding points at the input that turns the cache on (`cache: npm`), or at
    /// the action when it caches by default.
    ///
    /// A continuous-integration workflow (one that also runs on `pull_request`,
    /// `pull_request_target` or `merge_group`) that builds tags or release branches as well is a
    /// release workflow only for the jobs that single out some runs: a job whose `if:`, or one of
    /// whose steps' `if:`, looks at the ref or the event (`if: startsWith(github.ref,
    /// 'refs/tags/')` before a publishing step), or a job with a publishing action. Its other jobs
    /// (lint, tests) run the same way for every change and publish nothing.
    ///
    /// ## Why is this bad?
    /// Caches are shared across the workflows of a repository: whoever gets code to run in any
    /// workflow on the default branch (a compromised dependency, an injection in an issue-triage
    /// workflow) can write a cache entry that the release build restores. The poisoned
    /// dependencies or build outputs then ship in the published artifact, signed and all.
    ///
    /// ## Example
    /// ```yaml
    /// on:
    ///   push:
    ///     tags: ["v*"]
    /// jobs:
    ///   publish:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - uses: actions/setup-node@v4
    ///         with:
    ///           cache: npm
    ///       - run: npm ci && npm publish
    /// ```
    ///
    /// Use instead: build releases from a clean slate.
    /// ```yaml
    ///       - uses: actions/setup-node@v4
    ///       - run: npm ci && npm publish
    /// ```
    ///
    /// ## References
    /// - [The Monsters in Your Build Cache: GitHub Actions cache poisoning](https://adnanthekhan.com/2024/05/06/the-monsters-in-your-build-cache-github-actions-cache-poisoning/)
    /// - [Caching dependencies: restrictions for accessing a cache](https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/caching-dependencies-to-speed-up-workflows#restrictions-for-accessing-a-cache)
    /// - [zizmor: cache-poisoning](https://docs.zizmor.sh/audits/#cache-poisoning)
    pub struct CacheInReleaseWorkflow {
        code: "GHA012",
        name: "cache-in-release-workflow",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Zizmor("cache-poisoning")],
    }
}

/// How an action's cache is turned on.
#[derive(Clone, Copy)]
enum Control {
    /// It always restores.
    Always,
    /// It restores unless this input is `true`.
    OffWhenTrue(&'static str),
    /// It restores when this input is set to a non-empty value other than `false`.
    OnWhenSet(&'static str),
    /// It restores when this input is `true`.
    OnWhenTrue(&'static str),
    /// It restores unless this input is `false`.
    OnUnlessFalse(&'static str),
    /// From this major version on it restores unless the input is `false`; before, when `true`.
    OnFromMajor(&'static str, u64),
}

const CACHING_ACTIONS: &[(&str, Control)] = &[
    ("actions/cache", Control::OffWhenTrue("lookup-only")),
    ("actions/cache/restore", Control::Always),
    ("actions/setup-java", Control::OnWhenSet("cache")),
    ("actions/setup-python", Control::OnWhenSet("cache")),
    ("actions/setup-node", Control::OnWhenSet("cache")),
    ("actions/setup-go", Control::OnFromMajor("cache", 4)),
    ("actions/setup-dotnet", Control::OnWhenTrue("cache")),
    ("astral-sh/setup-uv", Control::OnWhenTrue("enable-cache")),
    ("Swatinem/rust-cache", Control::OffWhenTrue("lookup-only")),
    ("ruby/setup-ruby", Control::OnWhenTrue("bundler-cache")),
    (
        "gradle/actions/setup-gradle",
        Control::OffWhenTrue("cache-disabled"),
    ),
    (
        "gradle/gradle-build-action",
        Control::OffWhenTrue("cache-disabled"),
    ),
    ("graalvm/setup-graalvm", Control::OnWhenSet("cache")),
    (
        "actions-rust-lang/setup-rust-toolchain",
        Control::OnUnlessFalse("cache"),
    ),
    ("jdx/mise-action", Control::OnUnlessFalse("cache")),
    ("oven-sh/setup-bun", Control::OffWhenTrue("no-cache")),
    ("PyO3/maturin-action", Control::OnWhenTrue("sccache")),
    ("Mozilla-Actions/sccache-action", Control::Always),
    ("nix-community/cache-nix-action", Control::Always),
    ("awalsh128/cache-apt-pkgs-action", Control::Always),
];

/// Actions that publish what the job built.
const PUBLISHING_ACTIONS: &[&str] = &[
    "pypa/gh-action-pypi-publish",
    "rubygems/release-gem",
    "jreleaser/release-action",
    "goreleaser/goreleaser-action",
    "softprops/action-gh-release",
    "ncipollo/release-action",
    "redhat-actions/push-to-registry",
    "aws-actions/amazon-ecs-deploy-task-definition",
    "cloudflare/wrangler-action",
    "google-github-actions/deploy-cloudrun",
    "google-github-actions/deploy-appengine",
    "google-github-actions/deploy-cloud-functions",
    "Azure/functions-action",
    "Azure/container-apps-deploy-action",
];

/// An input of a step as far as the file tells.
enum Input<'a> {
    Absent,
    /// Computed by an expression: not known.
    Dynamic,
    Literal(&'a str),
}

fn input<'a>(step: &Step<'a>, name: &str) -> Input<'a> {
    match step.input(name).and_then(Node::as_str) {
        None => Input::Absent,
        Some(text) if text.contains("${{") => Input::Dynamic,
        Some(text) => Input::Literal(text.trim()),
    }
}

fn is_true(v: &str) -> bool {
    v.eq_ignore_ascii_case("true")
}

/// Whether the step restores a cache (`None` when that is not known): the action's pattern, and
/// the input that turns the cache on when one does (`cache: npm`, `enable-cache: true`).
fn restores_cache<'a>(step: &Step<'a>) -> Option<(&'static str, Option<&'a Node>)> {
    let (uses, _) = step.uses()?;
    let repo = uses.as_repository()?;
    let (pattern, control) = CACHING_ACTIONS.iter().find(|(p, _)| repo.is(p))?;
    let (on, by) = match *control {
        Control::Always => (true, None),
        Control::OffWhenTrue(name) => match input(step, name) {
            Input::Absent => (true, None),
            Input::Literal(v) => (!is_true(v), step.input(name)),
            Input::Dynamic => (false, None),
        },
        Control::OnWhenSet(name) => (
            matches!(input(step, name), Input::Literal(v) if !v.is_empty() && !v.eq_ignore_ascii_case("false")),
            step.input(name),
        ),
        Control::OnWhenTrue(name) => (
            matches!(input(step, name), Input::Literal(v) if is_true(v)),
            step.input(name),
        ),
        Control::OnUnlessFalse(name) => match input(step, name) {
            Input::Absent => (true, None),
            Input::Literal(v) => (!v.eq_ignore_ascii_case("false"), step.input(name)),
            Input::Dynamic => (false, None),
        },
        Control::OnFromMajor(name, major) => match input(step, name) {
            Input::Literal(v) => (is_true(v), step.input(name)),
            Input::Dynamic => (false, None),
            Input::Absent => (repo.major_version().is_some_and(|m| m >= major), None),
        },
    };
    on.then_some((*pattern, by))
}

/// Events that make a workflow continuous integration: it runs for every proposed change, not
/// only for releases.
const CI_EVENTS: &[&str] = &["pull_request", "pull_request_target", "merge_group"];

/// Whether a step's `if:` looks at the ref or the event (and so may skip the cache for releases).
fn conditional_on_ref(step: &Step<'_>) -> bool {
    looks_at_ref(step.condition())
}

/// Whether an `if:` looks at the ref or the event; an `if:` that does not parse may.
fn looks_at_ref(condition: Option<&Node>) -> bool {
    let Some(condition) = condition.and_then(|c| c.as_str()) else {
        return false;
    };
    let Some(e) = expr::parse_condition(condition) else {
        return true;
    };
    e.contexts().iter().any(|c| {
        c.matches("github.ref")
            || c.matches("github.ref_type")
            || c.matches("github.ref_name")
            || c.matches("github.event_name")
    })
}

/// Why the job releases: a trigger of the workflow, or a publishing step. In a CI workflow the
/// triggers count only for a job that singles out some runs by the ref or the event.
fn release_reason(job: &Job<'_>) -> Option<(TextRange, String)> {
    if let Some(on) = job.workflow.on()
        && (on.any_of(CI_EVENTS).is_none() || singles_out_runs(job))
    {
        for t in &on.list {
            let reason = match t.name.value {
                "release" => Some("`release` events"),
                "push" if t.has_filter("tags") => Some("pushing tags"),
                "push"
                    if t.branches()
                        .iter()
                        .any(|b| b.value.to_ascii_lowercase().contains("release")) =>
                {
                    Some("pushing to a release branch")
                }
                _ => None,
            };
            if let Some(reason) = reason {
                return Some((t.name.range, reason.to_string()));
            }
        }
    }
    job.steps().into_iter().find_map(|s| {
        let publishes = PUBLISHING_ACTIONS.iter().any(|a| s.uses_action(a))
            || (s.uses_action("docker/build-push-action")
                && s.input("push").and_then(Node::as_bool) == Some(true));
        publishes.then(|| {
            let (_, node) = s.uses()?;
            Some((
                node.site_range(),
                format!("`{}`", node.as_str().unwrap_or("").trim()),
            ))
        })?
    })
}

/// Whether the job, or one of its steps, runs only for some refs or events.
fn singles_out_runs(job: &Job<'_>) -> bool {
    looks_at_ref(job.condition()) || job.steps().iter().any(conditional_on_ref)
}

impl Rule for CacheInReleaseWorkflow {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let Some(workflow) = input.file.workflow() else {
            return;
        };
        for job in workflow.jobs() {
            let Some((reason_range, reason)) = release_reason(&job) else {
                continue;
            };
            for step in job.steps() {
                let Some((action, enabled_by)) = restores_cache(&step) else {
                    continue;
                };
                if conditional_on_ref(&step) {
                    continue;
                }
                let Some((_, node)) = step.uses() else {
                    continue;
                };
                // At the input that turns the cache on when there is one: that is the value to
                // change (and where a `# zizmor: ignore[cache-poisoning]` comment sits).
                let at = enabled_by.map_or_else(|| node.site_range(), Node::site_range);
                let finding = ctx
                    .report(
                        at,
                        format!("`{action}` restores a cache in a job that publishes a release (through {reason})"),
                    )
                    .label(reason_range, "this makes the job a release")
                    .help("build releases without restoring caches, so that a poisoned cache entry cannot reach a published artifact")
                    .resource(step.display());
                if enabled_by.is_some() {
                    finding.label(node.site_range(), "this action restores the cache");
                }
            }
        }
    }
}
