use super::helpers::copy::{copy_args, stage_of};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P0): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// `COPY .`/`ADD .` with no `.dockerignore` sends `.git`, local env files and build output into the context and image.
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
    pub struct MissingDockerignore {
        code: "DKR011",
        name: "missing-dockerignore",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [

        ],
    }
}

impl Rule for MissingDockerignore {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        // Only when the walk knows that no `.dockerignore` applies (not for text from stdin).
        if input.dockerignore != Some(false) {
            return;
        }
        let df = &input.dockerfile;
        for (index, ins) in df.ast.instructions.iter().enumerate() {
            if ins.flag("from").is_some() {
                continue;
            }
            let Some(args) = copy_args(ins) else {
                continue;
            };
            for src in args.sources.iter().filter(|s| is_whole_context(&s.value)) {
                let f = ctx
                    .report(
                        src.range,
                        format!(
                            "{} `{}` sends the whole build context into the image, and no `.dockerignore` applies",
                            ins.keyword.as_str(),
                            src.value
                        ),
                    )
                    .help("add a `.dockerignore` next to the Dockerfile that excludes `.git`, `.env*`, credentials and build output");
                if let Some(stage) = stage_of(df, index) {
                    f.resource(format!("stage {}", stage.display_name()));
                }
            }
        }
    }
}

/// `.`, `./`, `*`, `./*`: the root of the build context or everything in it.
fn is_whole_context(source: &str) -> bool {
    matches!(source, "." | "./" | "*" | "./*" | "./." | "/")
}
