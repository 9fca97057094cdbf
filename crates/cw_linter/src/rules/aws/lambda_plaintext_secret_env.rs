use super::helpers::display;
use crate::prelude::*;
use crate::rules::dockerfile::secret_in_arg_or_env::redact;
use crate::rules::kubernetes::helpers::literal_secret;

declare_rule! {
    /// ## What it does
    /// Flags a Lambda function environment variable whose name says it holds a secret
    /// (`DB_PASSWORD`, `API_TOKEN`, `STRIPE_SECRET_KEY`) and whose value is a literal, or a URL with
    /// a password. Values from other resources, data sources, unset variables, placeholders and
    /// secret-store references are not reported. (TF008 leaves Lambda environments to this rule.)
    ///
    /// ## Why is this bad?
    /// Environment variables are shown to anyone with `lambda:GetFunctionConfiguration`, stored in
    /// the state and in the repository, and end up in error reports and logs.
    ///
    /// ## Example
    /// ```hcl
    /// environment {
    ///   variables = {
    ///     API_TOKEN = "tok_9f8e7d6c5b4a39281706"
    ///   }
    /// }
    /// ```
    ///
    /// Use instead: store the secret in Secrets Manager or SSM Parameter Store and read it at
    /// runtime (the Parameters and Secrets Lambda extension caches it), passing only its name.
    ///
    /// ## References
    /// - [AWS Lambda: securing environment variables](https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html)
    pub struct LambdaPlaintextSecretEnv {
        code: "AWS076",
        name: "lambda-plaintext-secret-env",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_AWS_45")],
    }
}

impl Rule for LambdaPlaintextSecretEnv {
    type Input = AwsInput;
    type Options = NoOptions;

    fn check(&self, input: &AwsInput, ctx: &mut RuleCtx) {
        for f in &input.model.lambda_functions {
            for (name, value) in &f.environment {
                if literal_secret(name, &value.value).is_none() {
                    continue;
                }
                ctx.report(value.range, format!("`{}` sets `{name}` to a literal secret (`{}`)", display(&f.origin), redact(&value.value)))
                    .help("keep the secret in Secrets Manager or SSM and pass its name; read it at runtime")
                    .redact(value.range)
                    .resource(f.origin.address.clone());
            }
        }
    }
}
