use super::aws_secret_access_key;
use super::scan::Scan;
use super::support::{distinct, is_base64, is_placeholder, mask, run, starts_word};
use super::{Detector, TextInput};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags AWS access key IDs: `AKIA` (long-term IAM user keys) or `ASIA` (temporary STS keys)
    /// followed by 16 characters of the base32 alphabet (`A`-`Z`, `2`-`7`). When the file also
    /// holds the matching secret access key, the message says so and the secret is shown as a
    /// label. AWS's documented example (`AKIAIOSFODNN7EXAMPLE`) and placeholders
    /// (`AKIAXXXXXXXXXXXXXXXX`) are not reported.
    ///
    /// ## Why is this bad?
    /// A key ID identifies an IAM user or session; next to its secret access key it is a working
    /// credential for the account. Alone it still names the account (`aws sts
    /// get-access-key-info`) and usually travels with its secret: committed files stay in the Git
    /// history, in every clone and fork, and automated scanners harvest public repositories
    /// within minutes.
    ///
    /// ## Example
    /// ```ini
    /// [default]
    /// aws_access_key_id = AKIA2OGYBAH6CLOUDWRT
    /// ```
    ///
    /// Use instead: roles (instance profiles, IRSA, OIDC federation in CI), `aws sso login`, or a
    /// credentials file outside the repository.
    /// ```ini
    /// [profile deploy]
    /// role_arn = arn:aws:iam::123456789012:role/deploy
    /// credential_source = Ec2InstanceMetadata
    /// ```
    ///
    /// ## References
    /// - [Manage access keys for IAM users](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html)
    /// - [Unique identifier prefixes](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids)
    pub struct AwsAccessKeyId {
        code: "SEC001",
        name: "aws-access-key-id",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_SECRET_2"), Trivy("aws-access-key-id")],
    }
}

impl Rule for AwsAccessKeyId {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        input.report(
            Detector::AwsAccessKeyId,
            ctx,
            "deactivate the key in IAM and use roles, SSO or a credentials file outside the repository",
        );
    }
}

fn is_base32(b: u8) -> bool {
    b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)
}

/// `AKIA`/`ASIA` + 16 base32 characters, as a whole word. A 40-character secret on the same line
/// (a downloaded `accessKeys.csv`, `aws configure set`) is the key's secret access key.
pub(super) fn detect(scan: &mut Scan, start: usize, end: usize) {
    let b = scan.b;
    if !starts_word(b, start) || (start > 0 && b[start - 1] == b'_') {
        return;
    }
    let body_end = run(b, end, 17, |c| c.is_ascii_alphanumeric());
    let body = &b[end..body_end];
    if body.len() != 16 || !body.iter().all(|&c| is_base32(c)) {
        return;
    }
    let token = &b[start..body_end];
    if is_placeholder(token) || distinct(body) < 6 {
        return;
    }
    let message = format!("AWS access key ID `{}`", mask(scan.str(start..body_end)));
    scan.push(
        Detector::AwsAccessKeyId,
        start..body_end,
        start..body_end,
        message,
    );
    let line_end = run(b, body_end, 512, |c| c != b'\n');
    let mut i = body_end;
    while i < line_end {
        if !is_base64(b[i]) {
            i += 1;
            continue;
        }
        let e = run(b, i, 41, is_base64);
        let bounded = b[i - 1] != b'=' && (e >= b.len() || b[e] != b'=');
        if e - i == 40 && bounded && aws_secret_access_key::is_secret_key(&b[i..e]) {
            aws_secret_access_key::push(scan, i..e);
        }
        i = run(b, e, usize::MAX, is_base64);
    }
}
