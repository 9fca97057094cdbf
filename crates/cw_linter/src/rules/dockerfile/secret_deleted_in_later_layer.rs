use cw_model::dockerfile::{Dockerfile, Stage};
use cw_syntax::shell::Word;

use super::helpers::copy::{copy_args, join, normalize, secret_file_kind, workdir_before};
use super::helpers::layers::{covers, deleted_paths, image_stages};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P1): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// `RUN rm` after a COPY hides the file but the earlier layer still contains it.
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
            if !shipped.get(stage.index).copied().unwrap_or(true) {
                continue;
            }
            let copies = copied_paths(df, stage);
            if copies.is_empty() {
                continue;
            }
            for run in df.stage_runs(stage) {
                let has_cd = run
                    .script
                    .commands()
                    .any(|c| matches!(c.name.value.as_str(), "cd" | "pushd"));
                let workdir = workdir_before(df, stage, run.instruction);
                for cmd in run.script.commands() {
                    for word in deleted_paths(cmd) {
                        let Some(target) = absolute(word, has_cd, workdir.as_deref()) else {
                            continue;
                        };
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
                                "`{}` ({kind}) was added by an earlier {}: deleting it in a later layer \
                                 leaves it in the image",
                                word.value, copy.keyword
                            ),
                        )
                        .label(copy.source.range, "the file is stored in this layer")
                        .help(
                            "do not copy the file: use `RUN --mount=type=secret` for the step that needs it, \
                             or use it in a build stage and copy only the result",
                        )
                        .resource(format!("stage {}", stage.display_name()));
                    }
                }
            }
        }
    }
}

/// A path a COPY/ADD from the build context put into the stage.
struct Copied {
    /// Index of the COPY/ADD instruction.
    index: usize,
    keyword: &'static str,
    source: Spanned<String>,
    /// Where the source lands, absolute.
    path: String,
    /// The source is a directory (`.`, `dir/`): its files land under `path`.
    directory: bool,
    /// What the source holds when its own name says it is a secret.
    secret: Option<&'static str>,
}

/// The paths the COPY and ADD instructions of `stage` (not `--from` another stage) write.
fn copied_paths(df: &Dockerfile, stage: &Stage) -> Vec<Copied> {
    let mut out = Vec::new();
    for (index, ins) in df.stage_instructions(stage) {
        if ins.flag("from").is_some() {
            continue;
        }
        let Some(args) = copy_args(ins) else {
            continue;
        };
        let Some(dest) = &args.dest else {
            continue;
        };
        if dest.value.contains('$') {
            continue;
        }
        let dest_path = if dest.value.starts_with('/') {
            normalize(&dest.value)
        } else {
            match workdir_before(df, stage, index) {
                Some(dir) => join(&dir, &dest.value),
                None => continue,
            }
        };
        let into_dir = dest.value.ends_with('/') || dest.value == "." || args.sources.len() > 1;
        for source in args.sources {
            if source.value.contains('$') || source.value.contains("://") {
                continue;
            }
            let directory = is_directory(&source.value);
            let path = if into_dir && !directory {
                let base = source.value.rsplit('/').next().unwrap_or(&source.value);
                join(&dest_path, base)
            } else {
                dest_path.clone()
            };
            out.push(Copied {
                index,
                keyword: ins.keyword.as_str(),
                secret: secret_file_kind(&source.value),
                source,
                path,
                directory,
            });
        }
    }
    out
}

/// `.`, `./`, `dir/`: a source whose contents, not itself, are copied.
fn is_directory(source: &str) -> bool {
    source == "." || source.ends_with('/') || source.ends_with("/.")
}

/// The absolute path an `rm` operand names: relative ones against the working directory, unless the
/// script changes directory.
fn absolute(word: &Word, has_cd: bool, workdir: Option<&str>) -> Option<String> {
    if !word.literal || word.value.starts_with('~') {
        return None;
    }
    if word.value.starts_with('/') {
        return Some(word.value.clone());
    }
    if has_cd {
        return None;
    }
    workdir.map(|dir| format!("{}/{}", dir.trim_end_matches('/'), word.value))
}

/// Whether deleting `target` removes a secret `copy` added: the secret itself (or a directory holding
/// it), or a secret-named file inside a copied directory. Returns what the secret is.
fn matched(copy: &Copied, target: &str, dockerignore: Option<bool>) -> Option<&'static str> {
    let glob = target.find(['*', '?', '[']);
    let removes = |path: &str| match glob {
        Some(g) => {
            let base = target[..g].rsplit_once('/').map_or("", |(b, _)| b);
            // `rm -rf dir/*` empties `dir`: a copied directory, or a file inside it.
            !base.is_empty() && covers(base, path) && (copy.directory || normalize(base) != path)
        }
        None => {
            let t = normalize(target);
            t != "/" && covers(&t, path)
        }
    };
    if let Some(kind) = copy.secret {
        if removes(&copy.path) {
            return Some(kind);
        }
    }
    if copy.directory && glob.is_none() && dockerignore != Some(true) {
        let t = normalize(target);
        if t != copy.path && covers(&copy.path, &t) {
            return secret_file_kind(&t);
        }
    }
    None
}
