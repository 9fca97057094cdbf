use cw_model::github_actions::{ActionsFile, EnvLevel, Expression, Step};
use cw_syntax::yaml::Node;

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags long-lived cloud and package-registry credentials taken from secrets where the
    /// service accepts GitHub's OIDC tokens instead:
    /// - `aws-actions/configure-aws-credentials` with `aws-access-key-id` /
    ///   `aws-secret-access-key`;
    /// - `google-github-actions/auth` with `credentials_json`;
    /// - `azure/login` with `creds` (a service principal's client secret);
    /// - `docker/login-action` to Amazon ECR with access keys, or to Google Artifact Registry /
    ///   Container Registry with a `_json_key`;
    /// - `pypa/gh-action-pypi-publish` with a `password` (an API token) for PyPI or TestPyPI,
    ///   and `rubygems/configure-rubygems-credentials` with an `api-token`;
    /// - `AWS_SECRET_ACCESS_KEY`, `AZURE_CLIENT_SECRET` or `ARM_CLIENT_SECRET` set from a secret in
    ///   an `env:`; AWS-style keys for another S3-compatible service (an `env:` that also sets
    ///   `AWS_ENDPOINT_URL`, or a script that passes `--endpoint-url`) are not reported.
    ///
    /// Only values read from `secrets.*` are reported: a literal credential is a leaked secret
    /// (see the `SEC` rules), and a value computed by an earlier step may well be short-lived.
    ///
    /// ## Why is this bad?
    /// A stored access key or client secret works from anywhere until someone rotates it, and
    /// every workflow (and every injection in one) that can read the secret can copy it out. An
    /// OIDC federation issues a token that lives for minutes, only to this repository's workflows,
    /// restricted by branch or environment, with nothing to leak or rotate.
    ///
    /// ## Example
    /// ```yaml
    /// - uses: aws-actions/configure-aws-credentials@v4
    ///   with:
    ///     aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
    ///     aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
    ///     aws-region: eu-west-1
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// permissions:
    ///   id-token: write
    /// steps:
    ///   - uses: aws-actions/configure-aws-credentials@v4
    ///     with:
    ///       role-to-assume: arn:aws:iam::123456789012:role/deploy
    ///       aws-region: eu-west-1
    /// ```
    ///
    /// ## References
    /// - [Security hardening with OpenID Connect](https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect)
    /// - [configure-aws-credentials: OIDC](https://github.com/aws-actions/configure-aws-credentials#oidc)
    /// - [PyPI trusted publishers](https://docs.pypi.org/trusted-publishers/)
    /// - [zizmor: use-trusted-publishing](https://docs.zizmor.sh/audits/#use-trusted-publishing)
    pub struct StaticCloudCredentials {
        code: "GHA013",
        name: "static-cloud-credentials",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Zizmor("use-trusted-publishing")],
    }
}

/// Whether a value reads a secret.
fn from_secret(file: &ActionsFile, node: &Node) -> bool {
    file.expressions(node).iter().any(Expression::reads_secret)
}

/// The credential input of a step, what it is, and what to use instead.
fn credential_input<'a>(
    file: &ActionsFile,
    step: &Step<'a>,
) -> Option<(&'a Node, &'static str, &'static str)> {
    let secret_input = |name: &str| step.input(name).filter(|n| from_secret(file, n));
    if step.uses_action("aws-actions/configure-aws-credentials") {
        let key =
            secret_input("aws-access-key-id").or_else(|| secret_input("aws-secret-access-key"))?;
        return Some((
            key,
            "an AWS access key",
            "assume a role through OIDC (`role-to-assume`, `permissions: id-token: write`)",
        ));
    }
    if step.uses_action("google-github-actions/auth") {
        return Some((
            secret_input("credentials_json")?,
            "a Google Cloud service account key",
            "use Workload Identity Federation (`workload_identity_provider`, `service_account`)",
        ));
    }
    if step.uses_action("azure/login") {
        return Some((
            secret_input("creds")?,
            "an Azure service principal secret",
            "use OIDC federated credentials (`client-id`, `tenant-id`, `subscription-id`)",
        ));
    }
    if step.uses_action("docker/login-action") {
        let registry = step.input("registry").and_then(Node::as_str).unwrap_or("");
        let password = secret_input("password")?;
        if registry.contains(".dkr.ecr.") || registry.contains("public.ecr.aws") {
            return Some((
                password,
                "an AWS access key",
                "log in with `aws-actions/amazon-ecr-login` after assuming a role through OIDC",
            ));
        }
        let username = step.input("username").and_then(Node::as_str).unwrap_or("");
        if (registry.ends_with("gcr.io") || registry.ends_with("-docker.pkg.dev"))
            && username.trim().starts_with("_json_key")
        {
            return Some((
                password,
                "a Google Cloud service account key",
                "use Workload Identity Federation with `google-github-actions/auth` and `token_format: access_token`",
            ));
        }
        return None;
    }
    if step.uses_action("pypa/gh-action-pypi-publish") {
        let url = step
            .input("repository-url")
            .or_else(|| step.input("repository_url"))
            .and_then(Node::as_str)
            .map(str::trim);
        let pypi = url.is_none_or(|u| {
            matches!(
                u.trim_end_matches('/'),
                "https://upload.pypi.org/legacy" | "https://test.pypi.org/legacy"
            )
        });
        if !pypi {
            return None;
        }
        return Some((
            secret_input("password")?,
            "a PyPI API token",
            "use trusted publishing (`permissions: id-token: write`, no `password`)",
        ));
    }
    if step.uses_action("rubygems/configure-rubygems-credentials") {
        return Some((
            secret_input("api-token")?,
            "a RubyGems API key",
            "use trusted publishing (`role-to-assume`)",
        ));
    }
    None
}

/// Environment variables that hold long-lived cloud credentials.
const CREDENTIAL_VARIABLES: &[(&str, &str, &str)] = &[
    (
        "AWS_SECRET_ACCESS_KEY",
        "an AWS access key",
        "assume a role through OIDC with `aws-actions/configure-aws-credentials`",
    ),
    (
        "AZURE_CLIENT_SECRET",
        "an Azure client secret",
        "use OIDC federated credentials (`azure/login` with `client-id`)",
    ),
    (
        "ARM_CLIENT_SECRET",
        "an Azure client secret",
        "use OIDC federated credentials (`ARM_USE_OIDC: true`)",
    ),
];

impl Rule for StaticCloudCredentials {
    type Input = GithubActionsInput;
    type Options = NoOptions;

    fn check(&self, input: &GithubActionsInput, ctx: &mut RuleCtx) {
        let file = &input.file;
        let mut found: Vec<(TextRange, String, &str, String)> = Vec::new();
        let mut envs = Vec::new();
        if let Some(w) = file.workflow() {
            if let Some(env) = w.env() {
                envs.push((env, EnvLevel::Workflow, w.display().replace('`', "")));
            }
            for job in w.jobs() {
                if let Some(env) = job.env() {
                    envs.push((env, EnvLevel::Job, job.display()));
                }
            }
        }
        for step in file.steps() {
            if let Some(env) = step.env() {
                // An S3-compatible service elsewhere (R2, MinIO) takes AWS-style keys without
                // offering AWS's OIDC federation.
                let other_endpoint = step
                    .run()
                    .and_then(Node::as_str)
                    .is_some_and(|t| t.contains("--endpoint-url"));
                if !other_endpoint {
                    envs.push((env, EnvLevel::Step, step.display()));
                }
            }
            if let Some((node, what, instead)) = credential_input(file, &step) {
                let action = step
                    .uses()
                    .and_then(|(u, _)| {
                        u.as_repository()
                            .map(cw_model::github_actions::RepositoryUses::action)
                    })
                    .unwrap_or_default();
                found.push((
                    node.site_range(),
                    format!("`{action}` is given {what} from a secret, a long-lived credential"),
                    instead,
                    step.display(),
                ));
            }
        }
        for (env, level, resource) in envs {
            if env
                .vars(level)
                .any(|v| v.name.value.starts_with("AWS_ENDPOINT_URL"))
            {
                continue;
            }
            for var in env.vars(level) {
                let Some((name, what, instead)) = CREDENTIAL_VARIABLES
                    .iter()
                    .find(|(n, _, _)| *n == var.name.value)
                else {
                    continue;
                };
                if from_secret(file, var.value) {
                    found.push((
                        var.value.site_range(),
                        format!("`{name}` holds {what} from a secret, a long-lived credential"),
                        instead,
                        resource.clone(),
                    ));
                }
            }
        }
        found.sort_by_key(|f| f.0.start);
        for (range, message, instead, resource) in found {
            ctx.report(range, message).help(instead).resource(resource);
        }
    }
}
