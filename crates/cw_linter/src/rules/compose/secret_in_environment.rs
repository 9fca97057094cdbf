use super::helpers::{is_interpolated, resource};
use crate::prelude::*;
use crate::rules::dockerfile::secret_in_arg_or_env::{
    has_url_password, is_placeholder, is_secret_name, redact,
};

declare_rule! {
    /// ## What it does
    /// Flags literal secrets under a service's `environment:` (list or mapping syntax): a variable
    /// whose name says it holds a secret (`DB_PASSWORD`, `API_TOKEN`, `AWS_SECRET_ACCESS_KEY`) set
    /// to a literal value, or any variable holding a URL with a password (`postgres://u:pw@db/app`).
    /// Interpolations (`${DB_PASSWORD}`), values taken from the shell (`DB_PASSWORD` alone),
    /// placeholders (`changeme`, `<token>`) and file paths (`/run/secrets/db`) are not reported. The
    /// message shows at most the first four characters of the value.
    ///
    /// ## Why is this bad?
    /// The Compose file is committed: every clone, fork and CI log has the secret, and it stays in
    /// the Git history after it is removed. `docker inspect` shows it to anyone with access to the
    /// Docker API.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     environment:
    ///       POSTGRES_PASSWORD: s3cr3t-passw0rd
    /// ```
    ///
    /// Use instead: a Compose secret (mounted as a file), or a value from an untracked `.env` file.
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     environment:
    ///       POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    ///     secrets: [db_password]
    /// secrets:
    ///   db_password:
    ///     file: ./db_password.txt
    /// ```
    ///
    /// ## References
    /// - [Manage secrets securely in Docker Compose](https://docs.docker.com/compose/how-tos/use-secrets/)
    /// - [Interpolation](https://docs.docker.com/reference/compose-file/interpolation/)
    pub struct SecretInEnvironment {
        code: "CMP005",
        name: "secret-in-environment",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Kics("Passwords And Secrets")],
    }
}

impl Rule for SecretInEnvironment {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            for var in service.environment() {
                let Some(value) = var.value else {
                    continue;
                };
                let Some(message) = judge(var.name.value, value.value) else {
                    continue;
                };
                ctx.report(value.range, message)
                    .label(var.name.range, "set here")
                    .help("use `secrets:` or `${VAR}` from an untracked env file")
                    .resource(resource(&service))
                    .key(var.name.value);
            }
        }
    }
}

/// The message for a literal secret, if `value` is one.
pub(super) fn judge(name: &str, value: &str) -> Option<String> {
    if value.is_empty() || is_interpolated(value) {
        return None;
    }
    if has_url_password(value) {
        return Some(format!("`{name}` holds a URL with a literal password"));
    }
    if !is_secret_name(name) || is_placeholder(value) {
        return None;
    }
    Some(format!(
        "`{name}` is set to a literal secret (`{}`)",
        redact(value)
    ))
}
