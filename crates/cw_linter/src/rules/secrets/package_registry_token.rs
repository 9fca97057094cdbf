use super::scan::Scan;
use super::support::{
    distinct, has_crc32_suffix, is_base64url, is_placeholder, mask, run, starts_word,
};
use super::{Detector, TextInput};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags package registry tokens: npm access tokens (`npm_` + 36 base62 characters whose last
    /// six are a CRC-32 checksum, which must hold), PyPI API tokens (macaroons for pypi.org or
    /// test.pypi.org: `pypi-AgEIcHlwaS5vcmc...`), RubyGems API keys (`rubygems_` + 48 hex digits),
    /// NuGet API keys (`oy2` + 43 lower-case characters) and Docker Hub personal access tokens
    /// (`dckr_pat_` + 27 characters).
    ///
    /// ## Why is this bad?
    /// A publish token lets anyone release a new version of your packages: a supply-chain attack
    /// on everyone who installs them. Read tokens expose private packages.
    ///
    /// ## Example
    /// ```ini
    /// //registry.npmjs.org/:_authToken=npm_cloudwrightFakeTokenForTests0zzzzzz
    /// ```
    ///
    /// Use instead: an environment variable set from a CI secret, or trusted publishing (OIDC)
    /// where the registry supports it.
    /// ```ini
    /// //registry.npmjs.org/:_authToken=${NPM_TOKEN}
    /// ```
    ///
    /// ## References
    /// - [npm: About access tokens](https://docs.npmjs.com/about-access-tokens)
    /// - [PyPI: Trusted publishers](https://docs.pypi.org/trusted-publishers/)
    /// - [NuGet: API keys](https://learn.microsoft.com/en-us/nuget/nuget-org/scoped-api-keys)
    pub struct PackageRegistryToken {
        code: "SEC010",
        name: "package-registry-token",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Checkov("CKV_SECRET_12"),
            Trivy("npm-access-token"),
            Trivy("pypi-upload-token"),
        ],
    }
}

impl Rule for PackageRegistryToken {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        input.report(
            Detector::PackageRegistryToken,
            ctx,
            "revoke the token in the registry and read it from a CI secret or use trusted publishing",
        );
    }
}

pub(super) fn detect(scan: &mut Scan, start: usize, end: usize) {
    let b = scan.b;
    if !starts_word(b, start) || (start > 0 && matches!(b[start - 1], b'_' | b'-')) {
        return;
    }
    let prefix = &b[start..end];
    let (what, token_end) = match prefix {
        b"npm_" => {
            let e = run(b, end, 64, |c| c.is_ascii_alphanumeric());
            let body = &b[end..e];
            if body.len() != 36 || b.get(e) == Some(&b'_') || !has_crc32_suffix(body) {
                return;
            }
            ("npm access token", e)
        }
        b"rubygems_" => {
            let e = run(b, end, 64, |c| c.is_ascii_alphanumeric());
            let body = &b[end..e];
            if body.len() != 48 || !body.iter().all(u8::is_ascii_hexdigit) {
                return;
            }
            ("RubyGems API key", e)
        }
        b"oy2" => {
            let e = run(b, end, 64, |c| c.is_ascii_alphanumeric());
            let body = &b[end..e];
            let lower = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
            if body.len() != 43 || !body.iter().all(lower) || distinct(body) < 15 {
                return;
            }
            ("NuGet API key", e)
        }
        b"dckr_pat_" => {
            let e = run(b, end, 64, is_base64url);
            let body = &b[end..e];
            if body.len() != 27 || distinct(body) < 12 {
                return;
            }
            ("Docker Hub personal access token", e)
        }
        _ => {
            let e = run(b, end, 1024, is_base64url);
            if e - end < 50 || distinct(&b[end..e]) < 20 {
                return;
            }
            ("PyPI API token", e)
        }
    };
    if is_placeholder(&b[end..token_end]) {
        return;
    }
    let message = format!("{what} `{}`", mask(scan.str(start..token_end)));
    scan.push(
        Detector::PackageRegistryToken,
        start..token_end,
        start..token_end,
        message,
    );
}
