use cw_syntax::dockerfile::Keyword;

use super::helpers::copy::{copy_args, expanded_arg, stage_of};
use super::helpers::stages::stage_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `ADD` instructions whose sources are all local files or directories of the build context that
    /// are not archives: no URL, no git repository, no `*.tar`, `*.tar.gz`, `*.tgz`, `*.tar.xz`, ... and no
    /// ADD-only flag (`--checksum`, `--keep-git-dir`, `--unpack`). Such an `ADD` does exactly what `COPY`
    /// does. The finding points at the `ADD` keyword.
    ///
    /// ## Why is this bad?
    /// `ADD` has implicit behaviours: it unpacks local tar archives (recognized by their content) and fetches
    /// URLs. Using it for plain files hides which of these the author meant, and a file that later turns
    /// into an archive is silently extracted. `COPY` does only what it says, so reviewers and tools can rely
    /// on it; keep `ADD` for the cases that need it.
    ///
    /// Archives meant to be extracted (`ADD rootfs.tar.xz /`), URLs and git sources are not reported (see
    /// DKR028 for unverified downloads), nor are sources that are variables we cannot resolve. Mixed
    /// `ADD` instructions with both an archive and a plain file are left alone.
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD requirements.txt /app/
    /// ADD src/ /app/src/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// COPY requirements.txt /app/
    /// COPY src/ /app/src/
    /// ```
    ///
    /// ## Fix safety
    /// The fix replaces the `ADD` keyword with `COPY` (in the keyword's case), keeping flags and arguments.
    /// It is safe when every source is a directory or a file whose name has an extension that is not an
    /// archive's: `COPY` then copies exactly what `ADD` copied. It is unsafe when a source has no extension
    /// (`ADD rootfs /`): `ADD` detects tar archives by content, so such a file could be an archive that
    /// `ADD` extracted and `COPY` would copy as is.
    ///
    /// ## References
    /// - [Dockerfile reference: ADD](https://docs.docker.com/reference/dockerfile/#add)
    /// - [Docker: Building best practices, ADD or COPY](https://docs.docker.com/build/building/best-practices/#add-or-copy)
    /// - [hadolint DL3020](https://github.com/hadolint/hadolint/wiki/DL3020)
    /// - [Checkov CKV_DOCKER_4](https://www.checkov.io/5.Policy%20Index/dockerfile.html)
    /// - [Trivy DS005](https://avd.aquasec.com/misconfig/ds005)
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
            let mut names = Vec::with_capacity(args.sources.len());
            for src in &args.sources {
                let resolved = expanded_arg(df, index, src, ctx.source());
                match resolved.as_deref().map_or(Source::Unknown, classify) {
                    Source::Remote | Source::Archive | Source::Unknown => plain = false,
                    Source::NoExtension => maybe_archive = true,
                    Source::Plain => {}
                }
                names.push(resolved.unwrap_or_default());
            }
            if !plain {
                continue;
            }
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
                f.resource(stage_resource(stage));
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

#[cfg(test)]
mod tests {
    use super::{Source, classify};

    #[test]
    fn sources() {
        let kind = |s| match classify(s) {
            Source::Remote => "remote",
            Source::Archive => "archive",
            Source::Unknown => "unknown",
            Source::NoExtension => "noext",
            Source::Plain => "plain",
        };
        assert_eq!(kind("app.py"), "plain");
        assert_eq!(kind("src/"), "plain");
        assert_eq!(kind("."), "plain");
        assert_eq!(kind(".bashrc"), "plain");
        assert_eq!(kind("bundle.zip"), "plain");
        assert_eq!(kind("rootfs.tar.xz"), "archive");
        assert_eq!(kind("x.TGZ"), "archive");
        assert_eq!(kind("https://example.com/a.sh"), "remote");
        assert_eq!(kind("git@github.com:a/b.git"), "remote");
        assert_eq!(kind("${SRC}"), "unknown");
        assert_eq!(kind("rootfs"), "noext");
        assert_eq!(kind("*"), "noext");
    }
}
