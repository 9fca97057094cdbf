use cw_syntax::yaml::Node;

use super::helpers::{LiteralSecret, is_templated, literal_secret};
use crate::prelude::*;
use crate::rules::dockerfile::secret_in_arg_or_env::redact;

declare_rule! {
    /// ## What it does
    /// Flags credentials in a ConfigMap's `data`:
    /// - a key whose name says it holds a secret (`DB_PASSWORD`, `api-token`,
    ///   `client_secret`) with a literal one-line value;
    /// - a value holding a URL with a password (`postgres://app:pw@db/app`), or a private key
    ///   (`-----BEGIN ... PRIVATE KEY-----`);
    /// - in an embedded configuration file (`application.properties`, `.env`, YAML, TOML, INI,
    ///   JSON), a line that assigns a literal to a secret-named setting
    ///   (`spring.datasource.password=...`, `"apiKey": "..."`).
    ///
    /// Ordinary configuration is left alone: settings that only describe or locate a secret
    /// (`password_file`, `secret_name`, `token_ttl`), empty values, placeholders (`changeme`,
    /// `<token>`), paths, values filled in at run time (`${DB_PASSWORD}`, `{{ .password }}`,
    /// `$(VAR)`, `%(var)s`, `ENC(...)`) and references to secret stores (`vault:`, `arn:`). The
    /// finding points at the value (inside an embedded file, at the assigned value) and shows at
    /// most its first four characters.
    ///
    /// ## Why is this bad?
    /// ConfigMaps are meant for non-confidential data: they are not encrypted at rest even when
    /// Secrets are, RBAC roles commonly grant read access to them (`view` does), and they are
    /// printed freely by tools and in logs. The manifest is committed, so the credential is also in
    /// every clone and in the Git history.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: app
    /// data:
    ///   DB_PASSWORD: s3cr3t-passw0rd
    /// ```
    ///
    /// Use instead: a Secret (created from a vault or sealed, not committed in plain text).
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: app
    /// stringData:
    ///   DB_PASSWORD: s3cr3t-passw0rd
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: ConfigMaps](https://kubernetes.io/docs/concepts/configuration/configmap/)
    /// - [Kubernetes: Good practices for Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    pub struct SecretInConfigmap {
        code: "K8S023",
        name: "secret-in-configmap",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Trivy("KSV01010"),
            Trivy("KSV0109"),
            Polaris("sensitiveConfigmapContent"),
        ],
    }
}

/// A secret found in a ConfigMap value: where, and what to say.
struct Found {
    range: TextRange,
    setting: Option<String>,
    kind: Kind,
}

enum Kind {
    Literal(LiteralSecret, String),
    PrivateKey,
}

impl Rule for SecretInConfigmap {
    type Input = KubernetesInput;
    type Options = NoOptions;

    fn check(&self, input: &KubernetesInput, ctx: &mut RuleCtx) {
        let object = input.object();
        if object.kind_str() != "ConfigMap" || !object.group().is_empty() {
            return;
        }
        let Some(data) = object.get("data") else {
            return;
        };
        for (key, value) in data.pairs() {
            let Some(text) = value.as_str() else {
                continue;
            };
            for found in scan(ctx, key, value, text) {
                let what = match &found.setting {
                    Some(s) => format!("key `{key}` sets `{s}` to"),
                    None => format!("key `{key}` holds"),
                };
                let message = match &found.kind {
                    Kind::PrivateKey => format!("{} {what} a private key", object.display()),
                    Kind::Literal(LiteralSecret::UrlPassword, _) => {
                        format!("{} {what} a URL with a literal password", object.display())
                    }
                    Kind::Literal(LiteralSecret::Named, v) => format!(
                        "{} {what} a literal secret (`{}`)",
                        object.display(),
                        redact(v)
                    ),
                };
                ctx.report(found.range, message)
                    .redact(found.range)
                    .help("move the credential to a Secret and reference it from the workload")
                    .resource(format!("{} key {key}", object.display()))
                    .key(found.setting.as_deref().unwrap_or(key).to_string());
            }
        }
    }
}

/// The secrets in one `data` value.
fn scan(ctx: &RuleCtx<'_>, key: &str, node: &Node, text: &str) -> Vec<Found> {
    let range = node.site_range();
    if text.contains("-----BEGIN") && text.contains("PRIVATE KEY-----") {
        return vec![Found {
            range,
            setting: None,
            kind: Kind::PrivateKey,
        }];
    }
    if !text.trim_end().contains('\n') {
        return literal_secret(key, text)
            .map(|k| Found {
                range,
                setting: None,
                kind: Kind::Literal(k, text.trim().to_string()),
            })
            .into_iter()
            .collect();
    }
    if is_templated(text) {
        return Vec::new();
    }
    // An embedded file: find each assignment's value in the source to point at it. Values that
    // cannot be found as written (folded or escaped scalars) are not reported.
    let source = ctx.text(range);
    let mut cursor = 0;
    let mut out = Vec::new();
    for line in text.lines() {
        let Some((setting, value)) = assignment(line) else {
            continue;
        };
        let Some(kind) = literal_secret(setting, value) else {
            continue;
        };
        let Some(line_at) = source.get(cursor..).and_then(|s| s.find(line.trim())) else {
            continue;
        };
        let line_at = cursor + line_at;
        // Search after the setting's name, so that `token=token1` points at the value.
        let after_key = line_at + line.trim().find(setting).map_or(0, |i| i + setting.len());
        let Some(value_at) = source
            .get(after_key..)
            .and_then(|s| s.find(value))
            .map(|i| after_key + i)
        else {
            continue;
        };
        cursor = value_at + value.len();
        let start = range.start + u32::try_from(value_at).unwrap_or(0);
        out.push(Found {
            range: TextRange::new(start, start + u32::try_from(value.len()).unwrap_or(0)),
            setting: Some(setting.to_string()),
            kind: Kind::Literal(kind, value.to_string()),
        });
    }
    out
}

/// `key = value`, `key: value`, `export KEY=value`, `"key": "value",` in a configuration file:
/// the setting's name and the value as written between its quotes.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with(['#', ';', '!', '/', '<', '[', '-']) {
        return None;
    }
    let line = line.strip_prefix("export ").unwrap_or(line);
    let (key, rest) = if let Some(quoted) = line.strip_prefix(['"', '\'']) {
        let quote = line.as_bytes()[0] as char;
        let end = quoted.find(quote)?;
        (&quoted[..end], &quoted[end + 1..])
    } else {
        let end = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
            .unwrap_or(line.len());
        (&line[..end], &line[end..])
    };
    if key.is_empty() {
        return None;
    }
    let rest = rest.trim_start();
    let rest = if let Some(r) = rest.strip_prefix('=') {
        r
    } else {
        let r = rest.strip_prefix(':')?;
        // `key: value` (YAML), `"key": "value"` (JSON); not `host:port` or a URL.
        if !(r.is_empty() || r.starts_with([' ', '\t', '"', '\''])) {
            return None;
        }
        r
    };
    let rest = rest.trim();
    let value = if let Some(quoted) = rest.strip_prefix(['"', '\'']) {
        let quote = rest.as_bytes()[0] as char;
        let end = quoted.find(quote)?;
        let inner = &quoted[..end];
        if inner.contains('\\') {
            return None;
        }
        inner
    } else {
        let rest = rest.trim_end_matches(',');
        // A ` #` starts a comment in YAML, TOML, INI and .env files.
        rest.split(" #").next().unwrap_or(rest).trim_end()
    };
    // Block scalars, anchors, aliases, tags and nested collections of an embedded YAML file hold
    // no literal on this line.
    if value.is_empty() || value == "~" || value.starts_with(['|', '>', '&', '*', '!', '{', '[']) {
        return None;
    }
    Some((key, value))
}

#[cfg(test)]
mod tests {
    use super::assignment;

    #[test]
    fn assignments() {
        assert_eq!(
            assignment("spring.datasource.password=s3cr3t"),
            Some(("spring.datasource.password", "s3cr3t"))
        );
        assert_eq!(
            assignment("  \"apiKey\": \"abc123\","),
            Some(("apiKey", "abc123"))
        );
        assert_eq!(
            assignment("export DB_PASSWORD='pw' "),
            Some(("DB_PASSWORD", "pw"))
        );
        assert_eq!(
            assignment("password: hunter2 # old"),
            Some(("password", "hunter2"))
        );
        assert_eq!(assignment("token = \"x1\""), Some(("token", "x1")));
        assert_eq!(assignment("# password=x"), None);
        assert_eq!(
            assignment("url: http://x:8080"),
            Some(("url", "http://x:8080"))
        );
        assert_eq!(assignment("host:8080"), None);
        assert_eq!(assignment("password:"), None);
        assert_eq!(assignment("- password"), None);
        assert_eq!(assignment("password: |"), None);
        assert_eq!(assignment("token: *default"), None);
    }
}
