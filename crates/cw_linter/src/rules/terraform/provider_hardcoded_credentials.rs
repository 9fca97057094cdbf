use std::collections::HashSet;

use cw_model::terraform::Value;

use crate::prelude::*;
use crate::rules::dockerfile::secret_in_arg_or_env::redact;

declare_rule! {
    /// ## What it does
    /// Flags credentials written as literals in a `provider` block: AWS `access_key`,
    /// `secret_key` and `token`; Azure `client_secret` and `client_certificate_password`; Google
    /// `credentials` and `access_token`; and any other argument of a provider whose name says it
    /// holds a secret. Values from variables without a literal default, from data sources, from
    /// `file()` of a path, placeholders, AWS's documented example keys (`...EXAMPLE...`) and empty
    /// strings are not reported.
    ///
    /// ## Why is this bad?
    /// Cloud credentials in the configuration give whoever reads the repository the deploy
    /// pipeline's access to the whole account, and long-lived keys are rarely rotated. Providers
    /// read credentials from the environment, shared profiles, instance roles and OIDC federation
    /// instead.
    ///
    /// ## Example
    /// ```hcl
    /// provider "aws" {
    ///   region     = "eu-west-1"
    ///   access_key = "AKIAIOSFODNN7EXAMPLE"
    ///   secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// provider "aws" {
    ///   region = "eu-west-1"
    ///   # credentials from the environment, a profile, or `assume_role_with_web_identity`
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS provider: authentication and configuration](https://registry.terraform.io/providers/hashicorp/aws/latest/docs#authentication-and-configuration)
    /// - [Checkov CKV_AWS_41](https://docs.prismacloud.io/en/enterprise-edition/policy-reference/aws-policies/secrets-policies/bc-aws-secrets-5)
    pub struct ProviderHardcodedCredentials {
        code: "TF009",
        name: "provider-hardcoded-credentials",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_AWS_41"), Kics("Passwords And Secrets")],
    }
}

/// Provider arguments that hold credentials whatever their value looks like.
const CREDENTIAL_ARGUMENTS: [&str; 7] = [
    "access_key",
    "secret_key",
    "token",
    "client_secret",
    "client_certificate_password",
    "credentials",
    "access_token",
];

impl Rule for ProviderHardcodedCredentials {
    type Input = TerraformInput;
    type Options = NoOptions;

    fn check(&self, input: &TerraformInput, ctx: &mut RuleCtx) {
        let mut seen = HashSet::new();
        for m in input.eval.modules() {
            for p in &m.providers {
                for a in &p.body.attrs {
                    let name = a.name.value.as_str();
                    let Value::String(s) = &a.value.value else {
                        continue;
                    };
                    let literal = ctx.text(a.value.range).trim_start().starts_with(['"', '<']);
                    let credential = CREDENTIAL_ARGUMENTS.contains(&name)
                        && literal
                        && !crate::rules::dockerfile::secret_in_arg_or_env::is_placeholder(s)
                        && s.len() >= 8
                        && !s.contains("EXAMPLE")
                        && (name != "credentials" || s.trim_start().starts_with('{'));
                    if credential {
                        if seen.insert((a.value.range.start, a.value.range.end)) {
                            ctx.report(
                                a.value.range,
                                format!("provider `{}` has a literal `{name}` (`{}`)", p.name.value, redact(s)),
                            )
                            .help("remove it and let the provider read credentials from the environment, a profile, or OIDC federation")
                            .redact(a.value.range);
                        }
                    } else if !CREDENTIAL_ARGUMENTS.contains(&name) {
                        super::hardcoded_secret::report_secrets(
                            ctx,
                            &mut seen,
                            name,
                            &a.value,
                            "provider argument",
                        );
                    }
                }
            }
        }
    }
}
