use super::helpers::copy::{
    ContextCopy, context_copies, normalize, removes, run_deletions, secret_file_kind,
};
use super::helpers::layers::{covers, image_stages, is_shipped};
use super::helpers::stages::stage_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `rm` (or `find -delete`) in a `RUN` that deletes a secret an earlier `COPY`/`ADD` of the
    /// same stage put into the image: a credential file copied by name (see DKR007), a directory of them,
    /// or a credential-named file (`.env`, `id_rsa`, ...) inside a directory copied from the build context
    /// (`COPY . /app` then `RUN rm /app/.env`). Paths are compared once resolved against `WORKDIR`.
    ///
    /// ## Why is this bad?
    /// Deleting a file in a later layer only hides it: the layer written by the `COPY` still holds it, and
    /// anyone with the image can extract that layer (`docker save`, `crane export`). The deletion gives a
    /// false sense of safety. Give the step a secret mount instead, or use the file in a build stage and
    /// copy only the result into the final stage.
    ///
    /// Only stages whose layers can ship are checked (a builder stage that only feeds `COPY --from` never
    /// ships). When a `.dockerignore` applies, a deletion inside a whole-directory copy is not reported:
    /// the file may have been excluded from the context. Relative paths are not judged in a RUN that
    /// changes directory, and paths with variables are skipped.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR /srv
    /// COPY .npmrc package.json ./
    /// RUN npm ci --omit=dev
    /// RUN rm -f /srv/.npmrc
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR /srv
    /// COPY package.json ./
    /// RUN --mount=type=secret,id=npmrc,target=/srv/.npmrc npm ci --omit=dev
    /// ```
    ///
    /// ## References
    /// - [Docker: Build secrets](https://docs.docker.com/build/building/secrets/)
    /// - [Docker: Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
    pub struct SecretDeletedInLaterLayer {
        code: "DKR008",
        name: "secret-deleted-in-later-layer",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [

        ],
    }
}

impl Rule for SecretDeletedInLaterLayer {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        let shipped = image_stages(df);
        for stage in &df.stages {
            if !is_shipped(&shipped, stage.index) {
                continue;
            }
            let copies = context_copies(df, stage);
            if copies.is_empty() {
                continue;
            }
            for run in df.stage_runs(stage) {
                for (word, target) in run_deletions(df, stage, run) {
                    let hit = copies
                        .iter()
                        .rev()
                        .filter(|c| c.index < run.instruction)
                        .find_map(|c| {
                            matched(c, &target, input.dockerignore).map(|kind| (c, kind))
                        });
                    let Some((copy, kind)) = hit else {
                        continue;
                    };
                    ctx.report(
                        word.range,
                        format!(
                            "`{}` ({kind}) came in with an earlier {}: deleting it in a later layer \
                             leaves it in the image",
                            word.value, copy.keyword
                        ),
                    )
                    .label(
                        copy.source.range,
                        if copy.directory {
                            "copied with this directory, into its own layer"
                        } else {
                            "copied into its own layer here"
                        },
                    )
                    .help(
                        "do not copy the file: use `RUN --mount=type=secret` for the step that needs it, \
                         or use it in a build stage and copy only the result",
                    )
                    .resource(stage_resource(stage));
                }
            }
        }
    }
}

/// Whether deleting `target` removes a secret `copy` added: the secret itself (or a directory holding
/// it), or a secret-named file inside a copied directory. Returns what the secret is.
fn matched(copy: &ContextCopy, target: &str, dockerignore: Option<bool>) -> Option<&'static str> {
    if let Some(kind) = copy.secret
        && removes(target, &copy.path, copy.directory)
    {
        return Some(kind);
    }
    let glob = target.contains(['*', '?', '[']);
    if copy.directory && !glob && dockerignore != Some(true) {
        let t = normalize(target);
        if t != copy.path && covers(&copy.path, &t) {
            return secret_file_kind(&t);
        }
    }
    None
}
