use cw_syntax::dockerfile::Keyword;

use super::helpers::stages::{overridden, stage_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags every `CMD` that a later `CMD` of the same stage overrides. Each stage is judged on its
    /// own: one `CMD` per stage in a multi-stage build, or a child stage replacing its parent's `CMD`,
    /// is normal. `ONBUILD CMD` is not counted.
    ///
    /// ## Why is this bad?
    /// Only the last `CMD` of a stage ends up in the image. An earlier one is dead code: readers
    /// believe the container starts that command, and edits to it change nothing. It is often a
    /// leftover of a merge or an attempt to run two processes, which needs a script or a process
    /// supervisor instead.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ["python", "manage.py", "migrate"]
    /// CMD ["gunicorn", "app.wsgi"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// CMD ["gunicorn", "app.wsgi"]
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: CMD](https://docs.docker.com/reference/dockerfile/#cmd)
    /// - [hadolint DL4003](https://github.com/hadolint/hadolint/wiki/DL4003)
    /// - [Trivy DS016](https://avd.aquasec.com/misconfig/ds016)
    pub struct MultipleCmd {
        code: "DKR036",
        name: "multiple-cmd",
        category: Maintainability,
        severity: Warning,
        fix: None,
        peers: [
            Hadolint("DL4003"),
            Trivy("DS016")
        ],
    }
}

impl Rule for MultipleCmd {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for stage in &df.stages {
            for (dead, last) in overridden(df, stage, Keyword::Cmd) {
                ctx.report(dead.keyword_range, "this `CMD` is overridden by a later one in the same stage")
                    .label(last.keyword_range, "only this `CMD` applies")
                    .help("delete the overridden `CMD`; to run several commands, start them from one script")
                    .resource(stage_resource(stage));
            }
        }
    }
}
