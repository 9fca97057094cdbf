use super::helpers::copy::{copy_args, stage_of};
use super::helpers::stages::stage_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `COPY`/`ADD` instructions that copy the whole build context (`.`, `./`, `*`, `/`) when no
    /// `.dockerignore` applies to the Dockerfile: none beside it, no `<Dockerfile>.dockerignore`, and none in
    /// a parent directory up to the scan root. The finding points at the source word.
    ///
    /// ## Why is this bad?
    /// Without a `.dockerignore`, the whole directory is sent to the builder and `COPY . .` writes all of
    /// it into a layer: the `.git` directory with its history, local `.env` files and credentials, editor
    /// and OS files, `node_modules` or build output from the host. Besides leaking secrets into the image,
    /// it makes every change anywhere in the repository bust the build cache.
    ///
    /// Nothing is reported when it is unknown whether a `.dockerignore` applies (a Dockerfile read from
    /// standard input), for `COPY --from=<stage>`, or for copies of named files and subdirectories.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR /app
    /// COPY . .
    /// RUN npm ci && npm run build
    /// ```
    ///
    /// Use instead: keep the `COPY`, and add a `.dockerignore` beside the Dockerfile:
    /// ```text
    /// .git
    /// .env*
    /// !.env.example
    /// node_modules
    /// dist
    /// *.pem
    /// ```
    ///
    /// ## References
    /// - [Docker: .dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
    /// - [Docker: Building best practices](https://docs.docker.com/build/building/best-practices/#exclude-with-dockerignore)
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
                    f.resource(stage_resource(stage));
                }
            }
        }
    }
}

/// `.`, `./`, `*`, `./*`: the root of the build context or everything in it.
fn is_whole_context(source: &str) -> bool {
    matches!(source, "." | "./" | "*" | "./*" | "./." | "/")
}
