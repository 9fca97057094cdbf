use cw_syntax::yaml::Node;

use super::helpers::{LiteralSecret, container_label, literal_secret};
use crate::prelude::*;
use crate::rules::dockerfile::secret_in_arg_or_env::redact;

declare_rule! {
    /// ## What it does
    /// Flags `env` entries of containers (app, init and ephemeral) that hold a secret as a literal
    /// `value`: a variable whose name says it holds a secret (`DB_PASSWORD`, `API_TOKEN`,
    /// `AWS_SECRET_ACCESS_KEY`, `stripeSecretKey`) set to a literal, or any variable holding a URL
    /// with a password (`postgres://app:pw@db/app`). Values from `valueFrom` (`secretKeyRef`...),
    /// empty values, templated values (`{{ .Values.password }}`, `${PASSWORD}`), references to
    /// other variables (`$(DB_PASSWORD)`), placeholders (`changeme`, `<token>`), paths
    /// (`/run/secrets/db`) and references to secret stores (`vault:`, `arn:`, `op://`) are not
    /// reported. Names that only describe or locate a secret (`*_FILE`, `*_PATH`, `*_NAME`,
    /// `TOKEN_TTL`) are not secrets. Messages and code frames show at most the first four
    /// characters of the value.
    ///
    /// ## Why is this bad?
    /// The manifest is committed: every clone, fork and CI log has the secret, and it stays in the
    /// Git history after it is removed. In the cluster the value is part of the workload's spec,
    /// readable by everyone who can `get` the Deployment (far more people than can read Secrets),
    /// and it shows up in `kubectl describe`.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     value: s3cr3t-passw0rd
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     valueFrom:
    ///       secretKeyRef:
    ///         name: db
    ///         key: password
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Secrets as environment variables](https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables)
    /// - [Kubernetes: Good practices for Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    pub struct SecretLiteralInEnv {
        code: "K8S022",
        name: "secret-literal-in-env",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            KubeLinter("env-var-secret"),
            Polaris("sensitiveContainerEnvVar"),
        ],
    }
}

impl Rule for SecretLiteralInEnv {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        let Some(pod) = object.pod_spec() else {
            return;
        };
        for container in pod.all_containers() {
            for var in container.env() {
                let Some(name) = var.get("name").and_then(Node::as_str) else {
                    continue;
                };
                let Some(value_node) = var.get("value") else {
                    continue;
                };
                let Some(value) = value_node.as_str() else {
                    continue;
                };
                let Some(kind) = literal_secret(name, value) else {
                    continue;
                };
                let label = container_label(&container);
                let message = match kind {
                    LiteralSecret::Named => format!(
                        "{label} sets `{name}` to a literal secret (`{}`)",
                        redact(value.trim())
                    ),
                    LiteralSecret::UrlPassword => {
                        format!("{label} sets `{name}` to a URL with a literal password")
                    }
                };
                let range = value_node.site_range();
                ctx.report(range, message)
                    .redact(range)
                    .help("keep the value in a Secret and use `valueFrom.secretKeyRef`")
                    .resource(container.display())
                    .key(name);
            }
        }
    }
}
