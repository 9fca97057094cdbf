use cw_syntax::dockerfile::{Instruction, Keyword};

use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P1): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// Adjacent RUNs that could be merged add layers (checklist: minimal layers).
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
    pub struct ConsecutiveRun {
        code: "DKR048",
        name: "consecutive-run",
        category: Efficiency,
        severity: Info,
        fix: None,
        peers: [
            Hadolint("DL3059")
        ],
    }
}

impl Rule for ConsecutiveRun {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for stage in &df.stages {
            let body: Vec<&Instruction> =
                df.stage_instructions(stage).map(|(_, ins)| ins).collect();
            let mut i = 0;
            while i < body.len() {
                // The longest group of mergeable RUNs starting at `i`.
                let mut end = i + 1;
                while end < body.len() && mergeable(ctx.source(), body[end - 1], body[end]) {
                    end += 1;
                }
                if end - i > 1 {
                    let (first, second) = (body[i], body[i + 1]);
                    let count = end - i;
                    let message = if count == 2 {
                        "this RUN directly follows another RUN with the same flags: they could be one layer".to_string()
                    } else {
                        format!(
                            "{count} consecutive RUN instructions with the same flags could be one layer"
                        )
                    };
                    ctx.report(second.keyword_range, message)
                        .label(first.keyword_range, "the previous RUN")
                        .help("join the commands with `&&` in one RUN, unless the split is for build caching")
                        .resource(format!("stage {}", stage.display_name()));
                }
                i = end;
            }
        }
    }
}

/// Whether `b` directly follows `a` and both are plain RUNs (no heredoc) with the same flags.
fn mergeable(source: &str, a: &Instruction, b: &Instruction) -> bool {
    // Exec-form RUNs may target an image without a shell: they cannot simply be joined.
    let plain = |ins: &Instruction| {
        ins.keyword == Keyword::Run && ins.heredocs.is_empty() && !ins.is_exec_form()
    };
    if !plain(a) || !plain(b) {
        return false;
    }
    let flags = |ins: &Instruction| {
        let mut f: Vec<&str> = ins.flags.iter().map(|f| f.range.slice(source)).collect();
        f.sort_unstable();
        f
    };
    flags(a) == flags(b)
}
