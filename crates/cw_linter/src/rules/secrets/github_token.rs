use super::scan::Scan;
use super::support::{distinct, has_crc32_suffix, is_placeholder, mask, run, starts_word};
use super::{Detector, TextInput};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags GitHub tokens: personal access tokens (`ghp_`), OAuth tokens (`gho_`), user-to-server
    /// (`ghu_`) and installation (`ghs_`) tokens of GitHub Apps, refresh tokens (`ghr_`), and
    /// fine-grained personal access tokens (`github_pat_` + 22 + `_` + 59 characters). The
    /// `gh*_` tokens end with a CRC-32 checksum of their body in six base62 characters; only
    /// tokens whose checksum holds are reported, so made-up strings that merely look like tokens
    /// are not.
    ///
    /// ## Why is this bad?
    /// A token acts as its user or app on GitHub: it can read private repositories, push code,
    /// change workflows or publish packages, depending on its scopes. GitHub revokes classic
    /// tokens it finds in public repositories, but private repositories, forks, CI logs and
    /// images keep them working.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   GH_TOKEN: ghp_cloudwrightFakeTokenForTests00zzzzzz
    /// ```
    ///
    /// Use instead: the workflow's own token or a repository secret.
    /// ```yaml
    /// env:
    ///   GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}
    /// ```
    ///
    /// ## References
    /// - [Behind GitHub's new authentication token formats](https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/)
    /// - [Managing your personal access tokens](https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens)
    pub struct GithubToken {
        code: "SEC004",
        name: "github-token",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Trivy("github-pat"),
            Trivy("github-fine-grained-pat"),
            Trivy("github-oauth"),
            Trivy("github-app-token"),
        ],
    }
}

impl Rule for GithubToken {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        input.report(
            Detector::GithubToken,
            ctx,
            "revoke the token on GitHub and read it from a secret at run time",
        );
    }
}

pub(super) fn detect(scan: &mut Scan, start: usize, end: usize) {
    let b = scan.b;
    if !starts_word(b, start) || (start > 0 && b[start - 1] == b'_') {
        return;
    }
    let prefix = &b[start..end];
    let token_end;
    let what = if prefix == b"github_pat_" {
        token_end = run(b, end, 256, |c| c.is_ascii_alphanumeric() || c == b'_');
        let body = &b[end..token_end];
        let ok = body.len() == 82
            && body[22] == b'_'
            && body[..22].iter().all(u8::is_ascii_alphanumeric)
            && body[23..].iter().all(u8::is_ascii_alphanumeric)
            && distinct(body) >= 20
            && !is_placeholder(body);
        if !ok {
            return;
        }
        "GitHub fine-grained personal access token"
    } else {
        token_end = run(b, end, 256, |c| c.is_ascii_alphanumeric());
        let body = &b[end..token_end];
        if body.len() < 36 || b.get(token_end) == Some(&b'_') || !has_crc32_suffix(body) {
            return;
        }
        match prefix {
            b"ghp_" => "GitHub personal access token",
            b"gho_" => "GitHub OAuth access token",
            b"ghu_" => "GitHub App user access token",
            b"ghs_" => "GitHub App installation token",
            _ => "GitHub refresh token",
        }
    };
    let message = format!("{what} `{}`", mask(scan.str(start..token_end)));
    scan.push(
        Detector::GithubToken,
        start..token_end,
        start..token_end,
        message,
    );
}
