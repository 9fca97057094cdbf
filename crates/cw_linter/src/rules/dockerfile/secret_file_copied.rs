use cw_model::dockerfile::{Dockerfile, Stage};
use cw_syntax::dockerfile::Keyword;

use super::helpers::copy::{
    ContextCopy, context_copies, copy_args, expanded_arg, normalize, removes, run_deletions,
    secret_file_kind,
};
use super::helpers::layers::{image_stages, is_shipped};
use super::helpers::stages::stage_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `COPY` and `ADD` sources from the build context whose names mark them as credentials:
    /// `.env` and `.env.<environment>` files (not `.env.example`, `.env.sample`, `.env.template`, `.env.dist`),
    /// SSH private keys (`id_rsa`, `id_ed25519`, `.ssh/`), private keys (`*.key`, `*.pem` named like a key,
    /// `*.p12`, `*.pfx`, key stores), `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`,
    /// `.aws/credentials`, `.docker/config.json`, kubeconfigs, `credentials.json` and cloud service
    /// account keys, in stages whose layers can ship (the final stage, the stages it is built `FROM`,
    /// and stages nothing refers to, which may be `--target`s). In a build stage, a secret is reported
    /// when a shipped stage copies it out (`COPY --from=build /app /app`) and the build stage did not
    /// delete it first.
    ///
    /// ## Why is this bad?
    /// Every `COPY` writes a layer, and layers are part of the image: whoever pulls it can extract the file,
    /// even when a later instruction deletes it or overwrites it. Secrets needed during the build belong in a
    /// secret mount; secrets needed at run time belong to the runtime (orchestrator secrets, environment).
    ///
    /// Certificates (`*.crt`, `ca.pem`, `*-bundle.pem`) and public keys (`*.pub`, `*.gpg.key`) are public
    /// and never reported. Files copied with `COPY --from=<stage>` are build outputs, and a build stage
    /// that only feeds `COPY --from` never ships its own layers: its secrets are reported only when
    /// a `COPY --from` source covers them. Sources that are variables we cannot resolve are skipped.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR /app
    /// COPY .npmrc package.json package-lock.json ./
    /// RUN npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// WORKDIR /app
    /// COPY package.json package-lock.json ./
    /// RUN --mount=type=secret,id=npmrc,target=/app/.npmrc npm ci
    /// ```
    ///
    /// ## References
    /// - [Docker: Build secrets](https://docs.docker.com/build/building/secrets/)
    /// - [Docker: .dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
    /// - [Trivy DS031](https://avd.aquasec.com/misconfig/ds031)
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
            if !is_shipped(&shipped, stage.index) {
                builder_leaks(df, stage, &shipped, ctx);
                continue;
            }
            for (index, ins) in df.stage_instructions(stage) {
                if ins.flag("from").is_some() {
                    continue;
                }
                let Some(args) = copy_args(ins) else {
                    continue;
                };
                for src in &args.sources {
                    let Some(path) = expanded_arg(df, index, src, ctx.source()) else {
                        continue;
                    };
                    // Remote sources come from a server, not from the build context.
                    if path.contains("://") || path.starts_with("git@") {
                        continue;
                    }
                    let Some(kind) = secret_file_kind(&path) else {
                        continue;
                    };
                    ctx.report(
                        src.range,
                        format!(
                            "{} copies `{path}` ({kind}) into an image layer",
                            ins.keyword.as_str(),
                        ),
                    )
                    .help(
                        "use `RUN --mount=type=secret,id=...` for build-time credentials, or exclude the file in `.dockerignore`",
                    )
                    .resource(stage_resource(stage));
                }
            }
        }
    }
}

/// In a build stage, whose own layers never ship: secrets that a shipped stage copies out with
/// `COPY --from=<stage> <dir>` and that the build stage did not delete first.
fn builder_leaks(df: &Dockerfile, stage: &Stage, shipped: &[bool], ctx: &mut RuleCtx) {
    for copy in context_copies(df, stage) {
        let Some(kind) = copy.secret else {
            continue;
        };
        if deleted_later(df, stage, &copy) {
            continue;
        }
        let Some((out, into)) = copied_out(df, stage, &copy, shipped) else {
            continue;
        };
        ctx.report(
            copy.source.range,
            format!(
                "{} copies `{}` ({kind}) into build stage `{}`, and `COPY --from` carries it into stage `{}`",
                copy.keyword,
                copy.source.value,
                stage.display_name(),
                into.display_name()
            ),
        )
        .label(out, "copied into a shipped stage here")
        .help("use `RUN --mount=type=secret,id=...` in the build stage, or copy only the build output out of it")
        .resource(stage_resource(stage));
    }
}

/// Whether a RUN of `stage` after the copy deletes what it copied.
fn deleted_later(df: &Dockerfile, stage: &Stage, copy: &ContextCopy) -> bool {
    df.stage_runs(stage)
        .filter(|run| run.instruction > copy.index)
        .any(|run| {
            run_deletions(df, stage, run)
                .iter()
                .any(|(_, target)| removes(target, &copy.path, copy.directory))
        })
}

/// The source word of a `COPY --from=<stage>` in a shipped stage whose (absolute) source covers the
/// copied path, with the stage it is in.
fn copied_out<'a>(
    df: &'a Dockerfile,
    stage: &Stage,
    copy: &ContextCopy,
    shipped: &[bool],
) -> Option<(TextRange, &'a Stage)> {
    df.stages
        .iter()
        .filter(|t| t.index > stage.index && is_shipped(shipped, t.index))
        .find_map(|t| {
            df.stage_instructions(t).find_map(|(_, ins)| {
                if ins.keyword != Keyword::Copy {
                    return None;
                }
                let from = ins.flag("from")?.value.as_ref()?;
                if df.stage_by_ref(&from.value, t.index)?.index != stage.index {
                    return None;
                }
                let args = copy_args(ins)?;
                args.sources
                    .iter()
                    .find(|s| {
                        s.value.starts_with('/')
                            && !s.value.contains('$')
                            && (normalize(&s.value) == "/"
                                || removes(&s.value, &copy.path, copy.directory))
                    })
                    .map(|s| (s.range, t))
            })
        })
}
