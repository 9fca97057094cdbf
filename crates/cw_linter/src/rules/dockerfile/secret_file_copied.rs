use super::helpers::copy::{copy_args, secret_file_kind};
use super::helpers::layers::image_stages;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P0): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// COPY/ADD of `.env`, `id_rsa`, `*.pem`, `.npmrc`, `.aws/credentials` bakes the secret into a layer.
    ///
    /// ## Example
    /// ```dockerfile
    /// FIXME
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FIXME
    /// ```
    ///
    /// ## References
    /// - FIXME
    pub struct SecretFileCopied {
        code: "DKR007",
        name: "secret-file-copied",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Trivy("DS031")
        ],
    }
}

impl Rule for SecretFileCopied {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        let shipped = image_stages(df);
        for stage in &df.stages {
            if !shipped.get(stage.index).copied().unwrap_or(true) {
                continue;
            }
            for (_, ins) in df.stage_instructions(stage) {
                if ins.flag("from").is_some() {
                    continue;
                }
                let Some(args) = copy_args(ins) else {
                    continue;
                };
                for src in &args.sources {
                    if src.value.contains('$') {
                        continue;
                    }
                    let Some(kind) = secret_file_kind(&src.value) else {
                        continue;
                    };
                    ctx.report(
                        src.range,
                        format!(
                            "{} copies `{}` ({kind}) into an image layer",
                            ins.keyword.as_str(),
                            src.value
                        ),
                    )
                    .help(
                        "use `RUN --mount=type=secret,id=...` for build-time credentials, or exclude the file in `.dockerignore`",
                    )
                    .resource(format!("stage {}", stage.display_name()));
                }
            }
        }
    }
}
