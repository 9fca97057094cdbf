use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags the top-level `version:` key.
    ///
    /// ## Why is this bad?
    /// Compose v2 implements the Compose Specification, which has no versions: the key is ignored
    /// (and `docker compose` warns that it is obsolete). Keeping it suggests that features are
    /// limited to a file format version, which misleads readers.
    ///
    /// ## Example
    /// ```yaml
    /// version: "3.8"
    /// services:
    ///   api:
    ///     image: example/api:1.0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.0
    /// ```
    ///
    /// ## Fix safety
    /// The fix deletes the `version:` line when it is written on one line of its own. Compose v2
    /// ignores the key, so behaviour does not change; the legacy `docker-compose` v1 needs it.
    ///
    /// ## References
    /// - [Compose file reference: version and name](https://docs.docker.com/reference/compose-file/version-and-name/)
    pub struct ObsoleteVersionKey {
        code: "CMP022",
        name: "obsolete-version-key",
        category: Maintainability,
        severity: Info,
        fix: Sometimes,
        peers: [],
    }
}

impl Rule for ObsoleteVersionKey {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        let Some(entry) = input.compose.version() else {
            return;
        };
        let source = ctx.source();
        let range = entry.range();
        let fix = delete_line(source, range);
        let finding = ctx
            .report(
                entry.key.site_range(),
                "the top-level `version` is obsolete and ignored",
            )
            .help("remove the `version:` line");
        if let Some(edit) = fix {
            finding.fix(Fix::safe("Remove the obsolete `version` key", vec![edit]));
        }
    }
}

/// Deletes the line of `range` (with its line break) when the range is alone on one line.
fn delete_line(source: &str, range: TextRange) -> Option<Edit> {
    let start = range.start as usize;
    let end = range.end as usize;
    let line_start = source.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    if !source.get(line_start..start)?.trim().is_empty() {
        return None;
    }
    let rest = source.get(end..)?;
    let line_end = rest.find('\n').map_or(source.len(), |i| end + i + 1);
    let tail = source.get(end..line_end)?.trim();
    if !(tail.is_empty() || tail.starts_with('#')) || source.get(start..end)?.contains('\n') {
        return None;
    }
    Some(Edit::delete(TextRange::from_usize(line_start, line_end)))
}
