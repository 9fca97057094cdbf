use cw_syntax::dockerfile::Keyword;

use super::helpers::copy::{copy_args, expanded_arg, stage_of};
use super::helpers::stages::stage_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `ADD` instructions that download an `http://` or `https://` file without `--checksum`. URLs
    /// built from variables are judged after resolving ARG defaults; unresolvable ones are skipped. Git
    /// sources (`https://host/repo.git#ref`) are not reported: they are pinned by their ref.
    ///
    /// ## Why is this bad?
    /// The content behind a URL can change at any time: a compromised server, a hijacked domain, or a
    /// re-uploaded release puts different bytes into the image while the Dockerfile stays the same. TLS only
    /// proves who served the file, not that it is the file you reviewed. `ADD --checksum=sha256:...`
    /// (Dockerfile syntax 1.6+) makes the build fail when the content differs.
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD https://example.com/tool-1.4.2.tar.gz /opt/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// # syntax=docker/dockerfile:1
    /// ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \
    ///     https://example.com/tool-1.4.2.tar.gz /opt/
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: ADD --checksum](https://docs.docker.com/reference/dockerfile/#add---checksum)
    /// - [Docker: Building best practices, ADD or COPY](https://docs.docker.com/build/building/best-practices/#add-or-copy)
    pub struct AddRemoteUrlUnverified {
        code: "DKR028",
        name: "add-remote-url-unverified",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [

        ],
    }
}

impl Rule for AddRemoteUrlUnverified {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (index, ins) in df.ast.instructions.iter().enumerate() {
            if ins.keyword != Keyword::Add || ins.flag("checksum").is_some() {
                continue;
            }
            let Some(args) = copy_args(ins) else {
                continue;
            };
            for src in &args.sources {
                let Some(url) = expanded_arg(df, index, src, ctx.source()) else {
                    continue;
                };
                if !is_http_file(&url) {
                    continue;
                }
                let f = ctx
                    .report(src.range, format!("`ADD` downloads `{}` without verifying a checksum", without_userinfo(&url)))
                    .help(
                        "add `--checksum=sha256:<digest>` (Dockerfile syntax 1.6+), or download with curl and check `sha256sum -c`",
                    );
                if let Some(stage) = stage_of(df, index) {
                    f.resource(stage_resource(stage));
                }
            }
        }
    }
}

/// An `http(s)://` URL of a file; git repositories (`.git`, `.git#ref`) are pinned by ref instead.
fn is_http_file(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return false;
    }
    let path = lower.split(['?', '#']).next().unwrap_or(&lower);
    let path = path.trim_end_matches('/');
    !std::path::Path::new(path)
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("git"))
}

/// The URL with any `user:password@` hidden, for messages.
fn without_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://****@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}
