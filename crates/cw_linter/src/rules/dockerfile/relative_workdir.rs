use cw_model::dockerfile::{BaseKind, Dockerfile, Stage};
use cw_syntax::dockerfile::{Instruction, Keyword};

use super::helpers::stages::{ancestors, keyword_instructions, stage_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `WORKDIR` whose path is relative (`WORKDIR app`), in any stage. A path that starts with
    /// a variable is judged on its resolved value (`ARG APP_DIR=/srv/app` then `WORKDIR $APP_DIR` is
    /// absolute) and is not judged when the variable has no known value (`WORKDIR $HOME/app`: `HOME`
    /// comes from the base image). Windows paths with a drive letter (`C:\app`) count as absolute.
    ///
    /// ## Why is this bad?
    /// A relative `WORKDIR` is resolved against the previous `WORKDIR`, which may be in another stage
    /// or in the base image's configuration: moving an instruction, adding a stage or changing the base
    /// image silently changes where files are copied and where commands run. An absolute path says
    /// where the directory is.
    ///
    /// ## Example
    /// ```dockerfile
    /// WORKDIR /srv
    /// WORKDIR app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// WORKDIR /srv/app
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: WORKDIR](https://docs.docker.com/reference/dockerfile/#workdir)
    /// - [Docker build best practices: WORKDIR](https://docs.docker.com/build/building/best-practices/#workdir)
    /// - [hadolint DL3000](https://github.com/hadolint/hadolint/wiki/DL3000)
    /// - [Trivy DS009](https://avd.aquasec.com/misconfig/ds009)
    pub struct RelativeWorkdir {
        code: "DKR040",
        name: "relative-workdir",
        category: Reliability,
        severity: Error,
        fix: None,
        peers: [
            Hadolint("DL3000"),
            Checkov("CKV_DOCKER_10"),
            Trivy("DS009")
        ],
    }
}

impl Rule for RelativeWorkdir {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (stage, index, ins) in keyword_instructions(df, &[Keyword::Workdir]) {
            let Some((path, range)) = workdir_path(df, index, ins, ctx.source()) else {
                continue;
            };
            if is_absolute(&path) {
                continue;
            }
            let help = match previous_dir(df, stage, index, ctx.source()) {
                Some(prev) => {
                    format!("write the absolute path: `WORKDIR {}`", join(&prev, &path))
                }
                None => format!(
                    "write the absolute path (for example `WORKDIR /{}`)",
                    path.trim_start_matches("./")
                ),
            };
            ctx.report(
                range,
                format!("`WORKDIR {path}` is relative: it depends on the WORKDIR before it"),
            )
            .help(help)
            .resource(stage_resource(stage));
        }
    }
}

/// The path of a WORKDIR (variables expanded) and the range of its word; `None` when unknown.
fn workdir_path(
    df: &Dockerfile,
    index: usize,
    ins: &Instruction,
    source: &str,
) -> Option<(String, TextRange)> {
    let word = ins.shell_text()?.words().into_iter().next()?;
    if !word.value.starts_with('$') {
        return Some((word.value, word.range));
    }
    let resolved = df.vars_at(index).expand(word.range.slice(source))?;
    Some((resolved, word.range))
}

fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with(['/', '\\']) || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// The absolute directory the WORKDIR at `index` resolves against, when the Dockerfile says it: the
/// WORKDIRs of the stage and the stages it is built `FROM`, applied in order, starting from `/` when
/// the chain starts at `scratch` (a registry image may set its own WORKDIR).
fn previous_dir(df: &Dockerfile, stage: &Stage, index: usize, source: &str) -> Option<String> {
    let chain: Vec<&Stage> = ancestors(df, stage).collect();
    let root = chain.last()?;
    let mut dir = matches!(root.base.kind, BaseKind::Scratch).then(|| "/".to_string());
    for s in chain.iter().rev() {
        for (i, ins) in df.stage_instructions(s) {
            if s.index == stage.index && i >= index {
                break;
            }
            if ins.keyword != Keyword::Workdir {
                continue;
            }
            dir = match workdir_path(df, i, ins, source) {
                Some((path, _)) if is_absolute(&path) => Some(path),
                Some((path, _)) => dir.map(|d| join(&d, &path)),
                None => None,
            };
        }
    }
    dir
}

/// `dir/path`, without a `./` prefix on `path`.
fn join(dir: &str, path: &str) -> String {
    format!(
        "{}/{}",
        dir.trim_end_matches('/'),
        path.trim_start_matches("./")
    )
}
