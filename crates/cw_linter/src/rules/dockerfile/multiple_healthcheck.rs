use cw_syntax::dockerfile::Keyword;

use super::helpers::stages::{overridden, stage_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags every `HEALTHCHECK` that a later `HEALTHCHECK` of the same stage overrides (including a
    /// later `HEALTHCHECK NONE`). Each stage is judged on its own: a `HEALTHCHECK` in another stage, or
    /// one in a parent stage overridden by the child, is normal. `ONBUILD HEALTHCHECK` is not counted.
    ///
    /// ## Why is this bad?
    /// Only the last `HEALTHCHECK` of a stage ends up in the image. The earlier ones are dead code that
    /// misleads readers into thinking the container is probed the way they describe, and when someone
    /// edits the wrong one, nothing changes.
    ///
    /// ## Example
    /// ```dockerfile
    /// HEALTHCHECK CMD curl -f http://localhost/ || exit 1
    /// HEALTHCHECK --interval=30s CMD curl -f http://localhost/health || exit 1
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// HEALTHCHECK --interval=30s CMD curl -f http://localhost/health || exit 1
    /// ```
    ///
    /// ## Fix safety
    /// The fix deletes the overridden `HEALTHCHECK` (its whole lines). It is safe: that instruction has
    /// no effect on the built image.
    ///
    /// ## References
    /// - [Dockerfile reference: HEALTHCHECK](https://docs.docker.com/reference/dockerfile/#healthcheck)
    /// - [hadolint DL3012](https://github.com/hadolint/hadolint/wiki/DL3012)
    /// - [Trivy DS023](https://avd.aquasec.com/misconfig/ds023)
    pub struct MultipleHealthcheck {
        code: "DKR035",
        name: "multiple-healthcheck",
        category: Reliability,
        severity: Error,
        fix: Always,
        peers: [
            Hadolint("DL3012"),
            Trivy("DS023")
        ],
    }
}

impl Rule for MultipleHealthcheck {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for stage in &df.stages {
            for (dead, last) in overridden(df, stage, Keyword::Healthcheck) {
                let delete = whole_lines(ctx.source(), dead.range);
                ctx.report(
                    dead.keyword_range,
                    "this `HEALTHCHECK` is overridden by a later one in the same stage",
                )
                .label(last.keyword_range, "only this `HEALTHCHECK` applies")
                .help("delete the overridden `HEALTHCHECK`, or merge what it checks into the last one")
                .resource(stage_resource(stage))
                .fix(Fix::safe("Delete the overridden `HEALTHCHECK`", vec![Edit::delete(delete)]));
            }
        }
    }
}

/// `range` widened to whole lines (with the line break) when nothing else shares those lines.
fn whole_lines(source: &str, range: TextRange) -> TextRange {
    let (start, end) = (range.start as usize, range.end as usize);
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let rest = &source[end..];
    let line_end = rest.find('\n').map_or(source.len(), |i| end + i + 1);
    let before_blank = source[line_start..start].trim().is_empty();
    let after_blank = source[end..line_end].trim().is_empty();
    if before_blank && after_blank {
        TextRange::from_usize(line_start, line_end)
    } else {
        range
    }
}
