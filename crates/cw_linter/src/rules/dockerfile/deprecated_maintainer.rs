use cw_syntax::dockerfile::Keyword;

use super::helpers::stages::{keyword_instructions, stage_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags the `MAINTAINER` instruction, deprecated since Docker 1.13, in any stage.
    ///
    /// ## Why is this bad?
    /// `MAINTAINER` sets the legacy `Author` field of the image configuration, which registries,
    /// scanners and SBOM tools do not read. The OCI annotation `org.opencontainers.image.authors`, set
    /// with `LABEL`, is the standard place for it, and BuildKit's `MaintainerDeprecated` check warns
    /// about the old instruction.
    ///
    /// ## Example
    /// ```dockerfile
    /// MAINTAINER Jane Doe <jane@example.com>
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    /// ```
    ///
    /// ## Fix safety
    /// The fix replaces the instruction with the equivalent `LABEL`, quoting the value and escaping
    /// `"`, `$` and the escape character so that it is taken literally, as `MAINTAINER` took it. It is
    /// safe; the only difference is that the image's legacy `Author` field is no longer set.
    ///
    /// ## References
    /// - [Dockerfile reference: MAINTAINER (deprecated)](https://docs.docker.com/reference/dockerfile/#maintainer-deprecated)
    /// - [BuildKit check MaintainerDeprecated](https://docs.docker.com/reference/build-checks/maintainer-deprecated/)
    /// - [OCI image annotations](https://github.com/opencontainers/image-spec/blob/main/annotations.md)
    /// - [hadolint DL4000](https://github.com/hadolint/hadolint/wiki/DL4000)
    /// - [Trivy DS022](https://avd.aquasec.com/misconfig/ds022)
    pub struct DeprecatedMaintainer {
        code: "DKR049",
        name: "deprecated-maintainer",
        category: Maintainability,
        severity: Info,
        fix: Always,
        peers: [
            Hadolint("DL4000"),
            Checkov("CKV_DOCKER_6"),
            Trivy("DS022")
        ],
    }
}

impl Rule for DeprecatedMaintainer {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        let escape = if df.ast.escape == '`' { '`' } else { '\\' };
        let source = ctx.source();
        for (stage, _, ins) in keyword_instructions(df, &[Keyword::Maintainer]) {
            let finding = ctx
                .report(ins.keyword_range, "`MAINTAINER` is deprecated")
                .help("use `LABEL org.opencontainers.image.authors=\"...\"` instead")
                .resource(stage_resource(stage));
            let Some(value) = ins
                .shell_text()
                .map(|t| t.text.trim())
                .filter(|v| !v.is_empty())
            else {
                continue;
            };
            let written = ins.keyword_range.slice(source);
            let label = if written.bytes().all(|b| b.is_ascii_lowercase()) {
                "label"
            } else {
                "LABEL"
            };
            let mut quoted = String::with_capacity(value.len() + 2);
            for c in value.chars() {
                if c == '"' || c == '$' || c == escape {
                    quoted.push(escape);
                }
                quoted.push(c);
            }
            let replacement = format!("{label} org.opencontainers.image.authors=\"{quoted}\"");
            let range = TextRange::new(ins.keyword_range.start, ins.args_range().end);
            finding.fix(Fix::safe(
                "Replace with `LABEL org.opencontainers.image.authors`",
                vec![Edit::replace(range, replacement)],
            ));
        }
    }
}
