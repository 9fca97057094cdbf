use cw_syntax::dockerfile::Keyword;

use super::helpers::copy::{copy_args, stage_of};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P0): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// ADD silently extracts archives and fetches URLs; COPY does only what it says.
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
    pub struct AddInsteadOfCopy {
        code: "DKR027",
        name: "add-instead-of-copy",
        category: Security,
        severity: Warning,
        fix: Always,
        peers: [
            Hadolint("DL3020"),
            Checkov("CKV_DOCKER_4"),
            Trivy("DS005"),
            Kics("Add Instead of Copy")
        ],
    }
}

impl Rule for AddInsteadOfCopy {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (index, ins) in df.ast.instructions.iter().enumerate() {
            if ins.keyword != Keyword::Add {
                continue;
            }
            // Flags only ADD understands mean its extra behaviour is wanted.
            if ins.flags.iter().any(|f| {
                matches!(
                    f.name.value.as_str(),
                    "checksum" | "keep-git-dir" | "unpack"
                )
            }) {
                continue;
            }
            let Some(args) = copy_args(ins) else {
                continue;
            };
            if args.heredoc || args.sources.is_empty() {
                continue;
            }
            let mut plain = true;
            let mut maybe_archive = false;
            for src in &args.sources {
                match classify(&src.value) {
                    Source::Remote | Source::Archive | Source::Unknown => plain = false,
                    Source::NoExtension => maybe_archive = true,
                    Source::Plain => {}
                }
            }
            if !plain {
                continue;
            }
            let names: Vec<&str> = args.sources.iter().map(|s| s.value.as_str()).collect();
            let copy = if ctx.text(ins.keyword_range) == "add" {
                "copy"
            } else {
                "COPY"
            };
            let edit = vec![Edit::replace(ins.keyword_range, copy)];
            let fix = if maybe_archive {
                Fix::unsafe_edit("Replace `ADD` with `COPY`", edit)
            } else {
                Fix::safe("Replace `ADD` with `COPY`", edit)
            };
            let f = ctx
                .report(
                    ins.keyword_range,
                    format!(
                        "`ADD` copies local {} `{}`: `COPY` does the same without extracting archives or fetching URLs",
                        if names.len() == 1 { "path" } else { "paths" },
                        names.join("`, `")
                    ),
                )
                .help("use `COPY` for files and directories of the build context")
                .fix(fix);
            if let Some(stage) = stage_of(df, index) {
                f.resource(format!("stage {}", stage.display_name()));
            }
        }
    }
}

/// What an ADD source is, as far as its text tells.
enum Source {
    /// A URL or a git repository: ADD fetches it.
    Remote,
    /// A local tar archive by name: ADD extracts it.
    Archive,
    /// A variable we cannot resolve.
    Unknown,
    /// A file name without extension: it could be a tar archive by content.
    NoExtension,
    /// A directory or a file whose extension is not an archive's.
    Plain,
}

/// Extensions of the archives ADD may extract (tar, possibly compressed), as hadolint lists them.
const ARCHIVE_EXTENSIONS: [&str; 20] = [
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz",
    ".tbz2",
    ".tb2",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tzst",
    ".tar.lz",
    ".tlz",
    ".tar.lzma",
    ".tar.z",
    ".taz",
    ".gz",
    ".bz2",
    ".xz",
    ".zst",
];

fn classify(source: &str) -> Source {
    if source.contains('$') {
        return Source::Unknown;
    }
    let lower = source.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("git@") {
        return Source::Remote;
    }
    if ARCHIVE_EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
        return Source::Archive;
    }
    if lower.ends_with('/') || lower == "." || lower.ends_with("/.") {
        return Source::Plain;
    }
    let base = lower.rsplit('/').next().unwrap_or(&lower);
    match base.rfind('.') {
        // `*` may match an archive; `.bashrc` has no extension but is not an archive either.
        Some(dot) if dot > 0 && !base.ends_with('*') => Source::Plain,
        Some(0) => Source::Plain,
        _ => Source::NoExtension,
    }
}
