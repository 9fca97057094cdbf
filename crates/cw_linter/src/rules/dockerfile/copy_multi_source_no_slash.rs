use cw_syntax::dockerfile::Keyword;

use super::helpers::copy::{copy_args, expanded_arg};
use super::helpers::stages::{keyword_instructions, stage_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` or `ADD` with several sources (words, exec-form items or heredocs) whose
    /// destination does not end with `/`, in shell and exec form: `COPY package.json yarn.lock /app`.
    /// A destination that uses a variable is judged on its known value and not at all when the
    /// variable has none. A single source with a wildcard (`COPY *.json /app`) is not reported: whether
    /// it matches several files depends on the build context.
    ///
    /// ## Why is this bad?
    /// With several sources the destination must be a directory, and Docker only knows that from the
    /// trailing `/`. The classic builder fails (`When using COPY with more than one source file, the
    /// destination must be a directory and end with a /`); BuildKit accepts it but, when the directory
    /// does not exist yet, has been known to copy each source over the same file. The trailing slash
    /// makes the intent explicit and the result the same everywhere.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY package.json package-lock.json /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// COPY package.json package-lock.json /app/
    /// ```
    ///
    /// ## Fix safety
    /// The fix appends `/` to the destination. It is safe: it states what the instruction needs (a
    /// directory), and builds that succeed today copy into that same directory.
    ///
    /// ## References
    /// - [Dockerfile reference: COPY](https://docs.docker.com/reference/dockerfile/#copy)
    /// - [hadolint DL3021](https://github.com/hadolint/hadolint/wiki/DL3021)
    /// - [Trivy DS011](https://avd.aquasec.com/misconfig/ds011)
    /// - [moby/buildkit#1853](https://github.com/moby/buildkit/issues/1853)
    pub struct CopyMultiSourceNoSlash {
        code: "DKR047",
        name: "copy-multi-source-no-slash",
        category: Reliability,
        severity: Error,
        fix: Always,
        peers: [
            Hadolint("DL3021"),
            Trivy("DS011")
        ],
    }
}

impl Rule for CopyMultiSourceNoSlash {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (stage, index, ins) in keyword_instructions(df, &[Keyword::Copy, Keyword::Add]) {
            let Some(args) = copy_args(ins) else { continue };
            let Some(dest) = &args.dest else { continue };
            let count = args.sources.len()
                + if ins.is_exec_form() {
                    0
                } else {
                    ins.heredocs.len()
                };
            if count < 2 || dest.value.is_empty() {
                continue;
            }
            let Some(resolved) = expanded_arg(df, index, dest, ctx.source()) else {
                continue;
            };
            if resolved.ends_with(['/', '\\']) {
                continue;
            }
            let keyword = ins.keyword.as_str();
            let written = ctx.text(dest.range);
            // Inside the closing quote of `"/app"` (exec form or quoted word), else at the end.
            let at = if written.len() > 1 && written.ends_with(['"', '\'']) {
                dest.range.end - 1
            } else {
                dest.range.end
            };
            ctx.report(
                dest.range,
                format!("`{keyword}` has {count} sources, so its destination `{resolved}` must end with `/`"),
            )
            .help(format!("add a trailing slash: `{resolved}/`"))
            .resource(stage_resource(stage))
            .fix(Fix::safe("Add a trailing `/` to the destination", vec![Edit::insert(at, "/")]));
        }
    }
}
