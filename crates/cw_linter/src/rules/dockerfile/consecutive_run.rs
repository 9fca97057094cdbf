use cw_syntax::dockerfile::{Instruction, Keyword};

use super::helpers::stages::stage_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags groups of RUN instructions that directly follow each other in a stage (comments in between do
    /// not separate them) and could be joined: all shell form, without heredocs, and with the same flags
    /// (`--mount`, `--network`, `--security`). One finding per group, on the second RUN, with the first
    /// labelled.
    ///
    /// ## Why is this bad?
    /// Each RUN creates a layer. Several adjacent RUNs make the image larger when later ones delete what
    /// earlier ones wrote (the files stay in the earlier layer), and add layers to pull and store. Joining
    /// them with `&&` also keeps related steps together, such as `apt-get update` and `apt-get install`.
    /// This is advice (info): splitting can be deliberate, to keep a slow, rarely changing step in its own
    /// cached layer.
    ///
    /// RUNs with different `--mount` or other flags, exec-form RUNs (the image may have no shell) and
    /// heredoc RUNs are not considered mergeable.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update
    /// RUN apt-get install -y --no-install-recommends curl
    /// RUN rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update \
    ///  && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## References
    /// - [Docker: Building best practices, RUN](https://docs.docker.com/build/building/best-practices/#run)
    /// - [hadolint DL3059](https://github.com/hadolint/hadolint/wiki/DL3059)
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
                        .resource(stage_resource(stage));
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
