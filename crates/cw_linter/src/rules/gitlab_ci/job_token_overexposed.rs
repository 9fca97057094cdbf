use cw_model::gitlab_ci::{Expr, GitlabCiFile, ImageRef, Job, Refs, Rules, Tier, Tri, Val};
use cw_syntax::shell::{SimpleCommand, Word};

use super::helpers::parse_line;
use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::unwrapped;

declare_rule! {
    /// ## What it does
    /// Flags deploy jobs that nothing restricts to protected branches or tags, so that a push to
    /// any branch (or a merge request from one) runs them.
    ///
    /// A job deploys when its `environment:` has the production or staging tier (written as
    /// `deployment_tier:`, or guessed from the name as GitLab does: `production`, `prod-eu`,
    /// `staging`, `pre-prod`...), or when its script runs a deploy command (`kubectl apply`, `helm
    /// upgrade`, `terraform apply`, `pulumi up`, `aws cloudformation deploy`, `gcloud run deploy`,
    /// `serverless deploy`, ...), unless the environment is a development, test or review one
    /// (`review/$CI_COMMIT_REF_SLUG`), its `action:` is not `start` (`stop`, `prepare`,
    /// `verify`, `access`), the command is a dry run, or the job starts a throwaway cluster or
    /// cloud emulator first (`kind`, `k3d`, `minikube`, LocalStack).
    ///
    /// The job's `rules:` (or `only:`/`except:`, whose default is every branch and tag) and
    /// `workflow: rules:` are evaluated for two pipelines GitLab creates for anyone with push
    /// access: a push to an unprotected branch, and a merge request pipeline. Branch names and
    /// patterns written in the file (`$CI_COMMIT_BRANCH == "main"`, `=~ /^release\//`, `only:
    /// [main]`) are taken to be protected; `$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`,
    /// `$CI_COMMIT_TAG` and `$CI_COMMIT_REF_PROTECTED == "true"` restrict too. `changes:` and
    /// `exists:` select files, not refs, and restrict nothing. A condition on a variable the file
    /// cannot know (`$DEPLOY_ENABLED == "true"`) makes the job not reported, as do a template of
    /// `extends` or a `!reference` that is not defined in the pipeline.
    ///
    /// Manual jobs (`when: manual`) are reported only when they deploy to a production
    /// environment: deploying a branch to staging by hand is common and deliberate, and protected
    /// environments can decide who may press play.
    ///
    /// ## Why is this bad?
    /// A deploy job carries the credentials of its target (cloud keys, a kubeconfig, deploy
    /// tokens) and a `CI_JOB_TOKEN` with the project's permissions. If it runs for any branch,
    /// every developer, and every compromised dependency in a branch's build, can push unreviewed
    /// code to production or read those credentials. Restricting the job to protected refs means
    /// only reviewed and merged code deploys, and lets the credentials be protected variables that
    /// other branches never see.
    ///
    /// ## Example
    /// ```yaml
    /// deploy:
    ///   stage: deploy
    ///   environment: production
    ///   script:
    ///     - helm upgrade --install web ./chart
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// deploy:
    ///   stage: deploy
    ///   environment: production
    ///   script:
    ///     - helm upgrade --install web ./chart
    ///   rules:
    ///     - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    /// ```
    ///
    /// ## References
    /// - [GitLab: rules](https://docs.gitlab.com/ci/yaml/#rules)
    /// - [Protected branches](https://docs.gitlab.com/user/project/repository/branches/protected/)
    /// - [Protected environments](https://docs.gitlab.com/ci/environments/protected_environments/)
    /// - [CI/CD job token](https://docs.gitlab.com/ci/jobs/ci_job_token/)
    pub struct JobTokenOverexposed {
        code: "GLC006",
        name: "job-token-overexposed",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [],
    }
}

impl Rule for JobTokenOverexposed {
    type Input = GitlabCiInput;
    type Options = NoOptions;

    fn check(&self, input: &GitlabCiInput, ctx: &mut RuleCtx) {
        let pipeline = &input.pipeline;
        for job in pipeline.visible_jobs() {
            if !job.is_complete() || job.trigger().is_some() {
                continue;
            }
            let Some(deploy) = deploy_of(&job, ctx) else {
                continue;
            };
            for scenario in [Scenario::Push, Scenario::MergeRequest] {
                let Some(run) = runs(pipeline, &job, scenario) else {
                    continue;
                };
                if run.manual && deploy.tier != Some(Tier::Production) {
                    continue;
                }
                let pipelines = match scenario {
                    Scenario::Push => "for a push to any branch",
                    Scenario::MergeRequest => "in merge request pipelines from any branch",
                };
                let message = if run.manual {
                    format!(
                        "manual deploy job `{}` can be started {pipelines}: nothing restricts it to protected branches or tags",
                        job.name.value
                    )
                } else {
                    format!(
                        "deploy job `{}` runs {pipelines}: nothing restricts it to protected branches or tags",
                        job.name.value
                    )
                };
                ctx.report(run.site.unwrap_or_else(|| job.site()), message)
                .label(deploy.site, deploy.what)
                .help("add a rule such as `- if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH` (or `$CI_COMMIT_TAG`) so that only protected refs deploy")
                .resource(job.display());
                break;
            }
        }
    }
}

/// Why a job deploys.
struct Deploy {
    site: TextRange,
    what: String,
    tier: Option<Tier>,
}

fn deploy_of(job: &Job<'_>, ctx: &RuleCtx) -> Option<Deploy> {
    let env = job.environment();
    let tier = env
        .as_ref()
        .and_then(cw_model::gitlab_ci::Environment::tier);
    if let Some(env) = &env
        && (!env.starts() || matches!(tier, Some(Tier::Development | Tier::Testing)))
    {
        return None;
    }
    if local_target_service(job) {
        return None;
    }
    let mut command: Option<(TextRange, String)> = None;
    for line in job.main_shell() {
        let script = parse_line(&line, ctx);
        for cmd in script.commands() {
            if is_local_target(cmd) {
                return None;
            }
            if command.is_none()
                && let Some(what) = deploy_command(cmd)
            {
                command = Some((cmd.range, what));
            }
        }
    }
    if let Some(env) = &env
        && matches!(tier, Some(Tier::Production | Tier::Staging))
        && let Some(name) = &env.name
    {
        return Some(Deploy {
            site: name.range,
            what: format!(
                "deploys to the {} environment `{}`",
                tier.map_or("", Tier::as_str),
                name.value
            ),
            tier,
        });
    }
    let (site, what) = command?;
    Some(Deploy {
        site,
        what: format!("deploys with `{what}`"),
        tier,
    })
}

/// The deploy command a simple command runs (`kubectl apply`), if any.
fn deploy_command(cmd: &SimpleCommand) -> Option<String> {
    let (name, args) = unwrapped(cmd)?;
    if !name.literal {
        return None;
    }
    let program = name.value.rsplit('/').next().unwrap_or(&name.value);
    let words: Vec<&str> = args.iter().map(|w| w.value.as_str()).collect();
    let operands: Vec<&str> = operands(program, args);
    let first = operands.first().copied().unwrap_or("");
    let second = operands.get(1).copied().unwrap_or("");
    let dry_run = words.iter().any(|w| {
        (w.starts_with("--dry-run") && *w != "--dry-run=none")
            || *w == "--server-dry-run"
            || *w == "--preview"
    });
    if dry_run {
        return None;
    }
    let sub = |list: &[&str]| list.contains(&first).then(|| format!("{program} {first}"));
    let sub2 = |a: &str, list: &[&str]| {
        (first == a && list.contains(&second)).then(|| format!("{program} {first} {second}"))
    };
    match program {
        "kubectl" | "oc" => sub(&[
            "apply", "create", "replace", "delete", "patch", "set", "rollout", "scale",
        ]),
        "helm" => sub(&["install", "upgrade", "uninstall", "delete", "rollback"]),
        "helmfile" => sub(&["apply", "sync", "destroy", "deploy"]),
        "terraform" | "tofu" | "gitlab-terraform" | "terragrunt" => words
            .iter()
            .find(|w| matches!(**w, "apply" | "destroy"))
            .map(|w| format!("{program} {w}")),
        "pulumi" => sub(&["up", "destroy"]),
        "cdk" | "serverless" | "sls" | "firebase" | "flyctl" | "fly" | "kamal" | "eb"
        | "copilot" | "skaffold" => sub(&["deploy", "run", "destroy"])
            .filter(|s| program == "skaffold" || !s.ends_with(" run")),
        "sam" => sub(&["deploy"]),
        "vercel" | "netlify" if words.contains(&"--prod") => Some(format!("{program} --prod")),
        "aws" => sub2(
            "cloudformation",
            &["deploy", "create-stack", "update-stack"],
        )
        .or_else(|| sub2("ecs", &["update-service"]))
        .or_else(|| sub2("lambda", &["update-function-code"]))
        .or_else(|| sub2("deploy", &["create-deployment"])),
        "gcloud" => sub2("run", &["deploy"])
            .or_else(|| sub2("app", &["deploy"]))
            .or_else(|| sub2("functions", &["deploy"])),
        "az" => sub2("webapp", &["deploy", "up"])
            .or_else(|| sub2("deployment", &["group", "sub"]))
            .or_else(|| sub2("containerapp", &["update", "up"])),
        "argocd" => sub2("app", &["sync"]),
        "docker" => sub2("stack", &["deploy"]),
        _ => None,
    }
}

/// The operands of a command, its options (and, for `kubectl`/`helm`, their values) left out.
fn operands<'a>(program: &str, args: &'a [Word]) -> Vec<&'a str> {
    let with_value: &[&str] = match program {
        "kubectl" | "oc" => &[
            "-n",
            "--namespace",
            "--context",
            "--kubeconfig",
            "--cluster",
            "--user",
            "-s",
            "--server",
            "--token",
        ],
        "helm" | "helmfile" => &[
            "-n",
            "--namespace",
            "--kube-context",
            "--kubeconfig",
            "-f",
            "-e",
            "--environment",
        ],
        "aws" => &["--region", "--profile", "--output", "--endpoint-url"],
        "gcloud" | "az" => &["--project", "--subscription"],
        _ => &[],
    };
    let mut out = Vec::new();
    let mut iter = args.iter();
    while let Some(w) = iter.next() {
        let v = w.value.as_str();
        if v.starts_with('-') {
            if with_value.contains(&v) {
                iter.next();
            }
            continue;
        }
        out.push(v);
    }
    out
}

/// A command that starts a throwaway cluster or emulator: what follows deploys to it.
fn is_local_target(cmd: &SimpleCommand) -> bool {
    matches!(
        cmd.program(),
        "kind"
            | "k3d"
            | "minikube"
            | "microk8s"
            | "k3s"
            | "tflocal"
            | "awslocal"
            | "cdklocal"
            | "samlocal"
    )
}

/// A service that is a throwaway cluster or cloud emulator.
fn local_target_service(job: &Job<'_>) -> bool {
    job.services().iter().any(|s| {
        let name = ImageRef::parse(s.name.value)
            .repository
            .to_ascii_lowercase();
        ["localstack", "k3s", "kindest", "minikube", "moto"]
            .iter()
            .any(|k| name.contains(k))
    })
}

/// The pipelines anyone with push access creates.
#[derive(Clone, Copy)]
enum Scenario {
    Push,
    MergeRequest,
}

/// An unprotected branch nobody wrote down, and the default branch.
const BRANCH: u32 = 1;
const DEFAULT_BRANCH: u32 = 2;
const SLUG: u32 = 3;
const MR: u32 = 4;

impl Scenario {
    fn var(self, name: &str) -> Val {
        let mr = matches!(self, Scenario::MergeRequest);
        match name {
            "CI_PIPELINE_SOURCE" => {
                Val::Known(if mr { "merge_request_event" } else { "push" }.into())
            }
            "CI_COMMIT_BRANCH" if mr => Val::Null,
            "CI_COMMIT_BRANCH" | "CI_COMMIT_REF_NAME" => Val::Opaque(BRANCH),
            "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME" if mr => Val::Opaque(BRANCH),
            "CI_MERGE_REQUEST_IID" | "CI_MERGE_REQUEST_ID" if mr => Val::Opaque(MR),
            "CI_COMMIT_REF_SLUG" => Val::Opaque(SLUG),
            "CI_DEFAULT_BRANCH" => Val::Opaque(DEFAULT_BRANCH),
            "CI_COMMIT_TAG" | "CI_COMMIT_TAG_MESSAGE" | "CI_EXTERNAL_PULL_REQUEST_IID" => Val::Null,
            "CI_COMMIT_REF_PROTECTED" => Val::Known("false".into()),
            n if !mr && n.starts_with("CI_MERGE_REQUEST_") => Val::Null,
            _ => Val::Unknown,
        }
    }

    fn eval(self, condition: Option<Expr>) -> Tri {
        match condition {
            Some(e) => e.eval(&|n| self.var(n)),
            None => Tri::Unknown,
        }
    }
}

/// How a job runs in a scenario.
struct Run {
    manual: bool,
    /// The rule (or `only:`) that lets it run; `None` when nothing is written.
    site: Option<TextRange>,
}

/// Whether the job certainly runs in `scenario`; `None` when it does not or it cannot be told.
fn runs(pipeline: &GitlabCiFile, job: &Job<'_>, scenario: Scenario) -> Option<Run> {
    if let Some(workflow) = pipeline.workflow_rules() {
        first_match(&workflow, scenario)?;
    }
    let job_manual = job.when().is_some_and(|w| w.value == "manual");
    if job.when().is_some_and(|w| w.value == "never") {
        return None;
    }
    if let Some(rules) = job.rules() {
        let (clause_when, site) = first_match(&rules, scenario)?;
        let manual = match clause_when {
            Some(w) => w == "manual",
            None => job_manual,
        };
        return Some(Run {
            manual,
            site: Some(site),
        });
    }
    let only = job.only();
    let except = job.except();
    let included = match &only {
        Some(only) => refs_match(only, scenario),
        None => match scenario {
            // The default `only: [branches, tags]`.
            Scenario::Push => Tri::True,
            Scenario::MergeRequest => Tri::False,
        },
    };
    if included != Tri::True {
        return None;
    }
    if let Some(except) = &except
        && refs_match(except, scenario) != Tri::False
    {
        return None;
    }
    Some(Run {
        manual: job_manual,
        site: only.map(|o| o.node.site_range()),
    })
}

/// The `when:` and site of the first rule that certainly matches, when it is not `never` and
/// every rule before it certainly does not match; `None` otherwise.
fn first_match<'a>(rules: &Rules<'a>, scenario: Scenario) -> Option<(Option<&'a str>, TextRange)> {
    for clause in &rules.clauses {
        let matched = if clause.has_condition() {
            scenario.eval(clause.expr())
        } else {
            Tri::True
        };
        match matched {
            Tri::False => {}
            Tri::Unknown => return None,
            Tri::True => {
                if clause.is_never() {
                    return None;
                }
                let site = clause
                    .node
                    .get("if")
                    .map_or(clause.node.site_range(), cw_syntax::yaml::Node::site_range);
                return Some((clause.when().map(|w| w.value), site));
            }
        }
    }
    // No rule matched (or some rule was not known): the job is not added.
    None
}

/// Whether `only:`/`except:` matches the scenario's pipeline.
fn refs_match(refs: &Refs<'_>, scenario: Scenario) -> Tri {
    let refs_ok = if refs.has_refs() {
        let mut any = Tri::False;
        for r in &refs.refs {
            let m = match (r.value, scenario) {
                ("branches" | "pushes", Scenario::Push)
                | ("merge_requests", Scenario::MergeRequest) => Tri::True,
                // Branch names and patterns written here are taken to be protected; the other
                // keywords name other pipeline sources.
                _ => Tri::False,
            };
            if m == Tri::True {
                any = Tri::True;
            }
        }
        any
    } else {
        Tri::True
    };
    let vars_ok = if refs.variables.is_empty() {
        Tri::True
    } else {
        let mut any = Tri::False;
        for v in &refs.variables {
            match scenario.eval(Expr::parse(v.value)) {
                Tri::True => any = Tri::True,
                Tri::Unknown if any == Tri::False => any = Tri::Unknown,
                _ => {}
            }
        }
        any
    };
    let kubernetes = if refs.kubernetes.is_some() {
        Tri::Unknown
    } else {
        Tri::True
    };
    [refs_ok, vars_ok, kubernetes]
        .into_iter()
        .fold(Tri::True, |acc, t| match (acc, t) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => Tri::True,
        })
}
