use cw_model::gitlab_ci::{GitlabCiFile, ImageRef, Variable};

use super::helpers::{Seen, jobs_in_order};
use crate::prelude::*;
use crate::rules::dockerfile::secret_in_arg_or_env::{
    has_url_password, is_placeholder, is_secret_name, redact,
};

declare_rule! {
    /// ## What it does
    /// Flags literal credentials in `variables:` (global, per job, per service): a variable whose
    /// name says it holds a secret (`*_TOKEN`, `*_PASSWORD`, `*_SECRET`, `API_KEY`,
    /// `AWS_SECRET_ACCESS_KEY`) set to a literal value, any variable holding a URL with a password
    /// (`https://user:pw@host`), and a literal `DOCKER_AUTH_CONFIG` with registry credentials. The
    /// message shows at most the first four characters of the value.
    ///
    /// Not reported: references to other variables (`$DEPLOY_TOKEN`, `${VAULT_TOKEN}`), empty
    /// values (the prefilled `{value: "", description: ...}` form), placeholders (`changeme`,
    /// `<token>`, `xxxx`), file paths, and the throwaway credentials of the service containers the
    /// pipeline starts for its tests: `POSTGRES_PASSWORD`, `MYSQL_ROOT_PASSWORD`, `DB_PASSWORD` and
    /// the like when a matching database service runs, URLs to `localhost` or to a service, and
    /// trivial values such as `password`, `secret`, `test` or `postgres`.
    ///
    /// ## Why is this bad?
    /// `.gitlab-ci.yml` is in the repository: everyone who can read the code (every fork, every
    /// clone, the whole Git history after it is removed) has the secret. Values in the file are
    /// neither masked in job logs nor limited to protected branches.
    ///
    /// ## Example
    /// ```yaml
    /// variables:
    ///   SONAR_TOKEN: squ_3f1a9c0d27b84e5f9a6c1d2e3f4a5b6c7d8e9f0a
    /// ```
    ///
    /// Use instead: define `SONAR_TOKEN` as a masked, protected CI/CD variable in the project's
    /// settings (or fetch it with `secrets:` from a vault), and keep it out of the file.
    ///
    /// ## References
    /// - [GitLab: CI/CD variable security](https://docs.gitlab.com/ci/variables/#cicd-variable-security)
    /// - [Mask a CI/CD variable](https://docs.gitlab.com/ci/variables/#mask-a-cicd-variable)
    /// - [Use external secrets in CI](https://docs.gitlab.com/ci/secrets/)
    pub struct SecretInVariables {
        code: "GLC003",
        name: "secret-in-variables",
        category: Security,
        severity: Error,
        fix: None,
        peers: [],
    }
}

impl Rule for SecretInVariables {
    type Input = GitlabCiInput;
    type Options = NoOptions;

    fn check(&self, input: &GitlabCiInput, ctx: &mut RuleCtx) {
        let pipeline = &input.pipeline;
        let services = Services::of(pipeline);
        let mut seen = Seen::default();
        let mut check = |var: &Variable<'_>, resource: &str, ctx: &mut RuleCtx| {
            let Some(value) = &var.value else { return };
            if var.expand && value.value.contains('$') {
                return;
            }
            let Some(message) = judge(var.name.value, value.value, &services) else {
                return;
            };
            if !seen.first(value.range) {
                return;
            }
            ctx.report(value.range, message)
                .label(var.name.range, "set here")
                .help("store it as a masked, protected CI/CD variable in the project settings (or use `secrets:`) and remove it from the file")
                .resource(resource)
                .redact(value.range)
                .key(var.name.value);
        };
        for var in pipeline.variables() {
            check(&var, "variables", ctx);
        }
        for job in jobs_in_order(pipeline) {
            let resource = job.display();
            for var in job.own_variables() {
                check(&var, &resource, ctx);
            }
            for service in job.services() {
                let resource = format!("{resource} service {}", service.name.value);
                for var in service.variables() {
                    check(&var, &resource, ctx);
                }
            }
        }
        for service in pipeline.defaults().services() {
            let resource = format!("default service {}", service.name.value);
            for var in service.variables() {
                check(&var, &resource, ctx);
            }
        }
    }
}

/// The message for a literal credential, if `value` is one.
fn judge(name: &str, value: &str, services: &Services) -> Option<String> {
    let value = value.trim();
    if value.is_empty() || (value.len() > 2 && value.starts_with('%') && value.ends_with('%')) {
        return None;
    }
    if has_url_password(value) {
        if services.is_local_url(value) {
            return None;
        }
        return Some(format!("`{name}` holds a URL with a literal password"));
    }
    if name == "DOCKER_AUTH_CONFIG" {
        return has_registry_auth(value)
            .then(|| "`DOCKER_AUTH_CONFIG` holds literal registry credentials".to_string());
    }
    if !is_secret_name(name)
        || is_placeholder(value)
        || is_trivial(value)
        || services.owns_credential(name)
    {
        return None;
    }
    Some(format!(
        "`{name}` is set to a literal secret (`{}`)",
        redact(value)
    ))
}

/// `{"auths": {"registry": {"auth": "dXNlcjpwYXNz"}}}` with a non-empty literal `auth`.
fn has_registry_auth(value: &str) -> bool {
    value.match_indices("\"auth\"").any(|(at, m)| {
        let rest = value[at + m.len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            return false;
        };
        let rest = rest.trim_start().strip_prefix('"').unwrap_or("");
        let token = rest.split('"').next().unwrap_or("");
        !token.is_empty() && !token.contains('$') && !is_placeholder(token)
    })
}

/// Values of test fixtures, never real secrets.
const TRIVIAL: [&str; 22] = [
    "password", "passw0rd", "pass", "secret", "test", "testing", "tester", "postgres", "mysql",
    "root", "admin", "runner", "guest", "user", "example", "sample", "local", "ci", "gitlab",
    "masked", "[masked]", "redacted",
];

fn is_trivial(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    TRIVIAL.contains(&v.as_str())
}

/// Database and broker images, and the prefixes of the variables that configure them.
const SERVICE_PREFIXES: [(&str, &[&str]); 17] = [
    ("postgres", &["POSTGRES_", "PGPASS"]),
    ("postgis", &["POSTGRES_", "PGPASS"]),
    ("timescale", &["POSTGRES_", "PGPASS"]),
    ("mysql", &["MYSQL_"]),
    ("mariadb", &["MARIADB_", "MYSQL_"]),
    ("mongo", &["MONGO_", "MONGODB_"]),
    ("rabbitmq", &["RABBITMQ_"]),
    ("redis", &["REDIS_"]),
    ("valkey", &["VALKEY_", "REDIS_"]),
    ("minio", &["MINIO_"]),
    ("mssql", &["MSSQL_", "SA_PASSWORD"]),
    ("sql-edge", &["MSSQL_", "SA_PASSWORD"]),
    ("elasticsearch", &["ELASTIC_"]),
    ("opensearch", &["OPENSEARCH_"]),
    ("keycloak", &["KEYCLOAK_", "KC_"]),
    ("neo4j", &["NEO4J_"]),
    ("oracle", &["ORACLE_", "APP_USER_PASSWORD"]),
];

/// What the pipeline's service containers tell about its variables.
struct Services {
    /// Prefixes of variables that configure a service the pipeline runs.
    prefixes: Vec<&'static str>,
    /// Host names the jobs reach services at.
    hosts: Vec<String>,
}

impl Services {
    fn of(pipeline: &GitlabCiFile) -> Self {
        let mut prefixes: Vec<&'static str> = Vec::new();
        let mut hosts = Vec::new();
        let all = pipeline
            .jobs()
            .flat_map(|j| j.services())
            .chain(pipeline.defaults().services());
        for service in all {
            let short = ImageRef::parse(service.name.value)
                .short_name
                .to_ascii_lowercase();
            let repo = ImageRef::parse(service.name.value)
                .repository
                .to_ascii_lowercase();
            for (image, list) in SERVICE_PREFIXES {
                if short.contains(image) || repo.contains(image) {
                    prefixes.extend(list.iter().copied());
                    // Applications under test reach the database with generic names.
                    prefixes.extend(["DB_", "DATABASE_", "TEST_DB", "TEST_DATABASE"]);
                }
            }
            hosts.extend(service.hostnames());
        }
        Self { prefixes, hosts }
    }

    fn owns_credential(&self, name: &str) -> bool {
        let upper = name.to_ascii_uppercase();
        self.prefixes.iter().any(|p| upper.starts_with(p))
    }

    /// Whether the URL's host is this machine or a service container.
    fn is_local_url(&self, url: &str) -> bool {
        let Some((_, rest)) = url.split_once("://") else {
            return false;
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = if host_port.starts_with('[') {
            host_port.split(']').next().map_or("", |h| &h[1..])
        } else {
            host_port.split(':').next().unwrap_or("")
        };
        let host = host.to_ascii_lowercase();
        matches!(host.as_str(), "localhost" | "127.0.0.1" | "::1" | "0.0.0.0")
            || self.hosts.iter().any(|h| h.eq_ignore_ascii_case(&host))
    }
}
