use std::ops::Range;

use super::assign::{Assignment, Sep, normalized};
use super::scan::Scan;
use super::support::{distinct, is_base64, is_placeholder, mask};
use super::{Detector, TextInput};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags AWS secret access keys: 40 characters of base64 (`A`-`Z`, `a`-`z`, `0`-`9`, `/`,
    /// `+`) assigned to an AWS secret key name (`aws_secret_access_key`, `AWS_SECRET_ACCESS_KEY`,
    /// `SecretAccessKey`, `aws_secret_key`; `secret_key` when the surrounding lines mention AWS),
    /// or on the same line as an access key ID. The format has no checksum, so a 40-character
    /// value elsewhere is not reported; AWS's documented example
    /// (`wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`), hex digests and placeholders are not either.
    ///
    /// ## Why is this bad?
    /// The secret access key signs every API request: with its key ID it gives whatever the IAM
    /// user or role may do, from reading S3 buckets to starting instances on your bill. A
    /// committed key stays in the Git history after it is removed; rotate it, do not just delete
    /// the line.
    ///
    /// ## Example
    /// ```sh
    /// AWS_ACCESS_KEY_ID=AKIA2OGYBAH6CLOUDWRT
    /// AWS_SECRET_ACCESS_KEY=Cl0udWr1ghtFake/SecretKey+ForTests9zQxYw
    /// ```
    ///
    /// Use instead: a role (instance profile, IRSA, OIDC federation in CI) or SSO, so no
    /// long-term key exists; or credentials injected at run time from a secret store.
    /// ```yaml
    /// permissions:
    ///   id-token: write
    /// steps:
    ///   - uses: aws-actions/configure-aws-credentials@v4
    ///     with:
    ///       role-to-assume: arn:aws:iam::123456789012:role/deploy
    ///       aws-region: eu-west-1
    /// ```
    ///
    /// ## References
    /// - [Manage access keys for IAM users](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html)
    /// - [What to do if you inadvertently expose an AWS access key](https://aws.amazon.com/blogs/security/what-to-do-if-you-inadvertently-expose-an-aws-access-key/)
    pub struct AwsSecretAccessKey {
        code: "SEC002",
        name: "aws-secret-access-key",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Trivy("aws-secret-access-key")],
    }
}

impl Rule for AwsSecretAccessKey {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        input.report(
            Detector::AwsSecretAccessKey,
            ctx,
            "rotate the key in IAM and load credentials from a role or a secret store at run time",
        );
    }
}

/// Whether `v` has the make-up of a secret access key: 40 base64 characters, mixed case, digits or
/// symbols, varied, not a placeholder and not a hex digest.
pub(super) fn is_secret_key(v: &[u8]) -> bool {
    if v.len() != 40 || !v.iter().all(|&c| is_base64(c)) {
        return false;
    }
    let upper = v.iter().any(u8::is_ascii_uppercase);
    let lower = v.iter().any(u8::is_ascii_lowercase);
    let other = v.iter().any(|c| !c.is_ascii_alphabetic());
    upper && lower && other && distinct(v) >= 15 && !is_placeholder(v)
}

pub(super) fn push(scan: &mut Scan, range: Range<usize>) {
    let message = format!("AWS secret access key `{}`", mask(scan.str(range.clone())));
    scan.push(Detector::AwsSecretAccessKey, range.clone(), range, message);
}

/// An assignment to an AWS secret key name. Returns whether it was one (with a 40-character
/// secret); other values of such keys are left to the generic detector.
pub(super) fn judge(scan: &mut Scan, a: &Assignment) -> bool {
    let key = normalized(&scan.b[a.key.clone()]);
    let strong = contains(&key, b"secretaccesskey")
        || contains(&key, b"awssecretkey")
        || key.ends_with(b"awssecret");
    let weak = key.ends_with(b"secretkey");
    if !(strong || (weak && a.sep != Sep::Space)) {
        return false;
    }
    if !is_secret_key(&scan.b[a.value.clone()]) {
        return false;
    }
    if !strong && !aws_context(scan.b, a.key.start) {
        return false;
    }
    push(scan, a.value.clone());
    true
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Whether the lines around `at` mention AWS (`aws` as a word or a word's start, an
/// `AKIA`/`ASIA` key ID).
fn aws_context(b: &[u8], at: usize) -> bool {
    let from = at.saturating_sub(512);
    let to = (at + 512).min(b.len());
    let window = &b[from..to];
    let aws_word = window
        .windows(4)
        .any(|w| !w[0].is_ascii_alphabetic() && w[1..].eq_ignore_ascii_case(b"aws"))
        || window.len() >= 3 && window[..3].eq_ignore_ascii_case(b"aws");
    aws_word || contains(window, b"AKIA") || contains(window, b"ASIA")
}
