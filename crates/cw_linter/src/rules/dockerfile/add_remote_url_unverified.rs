use cw_syntax::dockerfile::Keyword;

use super::helpers::copy::{copy_args, stage_of};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P1): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// `ADD https://…` without `--checksum` downloads unverified content.
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
                let url = if src.value.contains('$') {
                    match df.vars_at(index).expand(ctx.text(src.range)) {
                        Some(url) => url,
                        None => continue,
                    }
                } else {
                    src.value.clone()
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
                    f.resource(format!("stage {}", stage.display_name()));
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
    !(path.ends_with(".git") || path.ends_with(".git/"))
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
