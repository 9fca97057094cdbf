use super::scan::Scan;
use super::support::{distinct, is_base64url, is_placeholder, mask, run, starts_word};
use super::{Detector, TextInput};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags GitLab tokens by their prefixes: personal, project and group access tokens
    /// (`glpat-`), deploy tokens (`gldt-`), runner authentication and registration tokens
    /// (`glrt-`, `GR1348941`), CI/CD job tokens (`glcbt-`), pipeline trigger tokens (`glptt-`),
    /// feed tokens (`glft-`), incoming mail tokens (`glimt-`), agent tokens (`glagent-`), OAuth
    /// application secrets (`gloas-`), SCIM tokens (`glsoat-`) and feature flag client tokens
    /// (`glffct-`). Each must have its format's length and alphabet; routable tokens (a longer
    /// base64url payload with a `.`-separated version and checksum suffix) are recognised too.
    ///
    /// ## Why is this bad?
    /// An access token acts as its user, project or group on the GitLab API: it can read and push
    /// code, run pipelines or read the container registry, depending on its scopes. Runner tokens
    /// let anyone register a runner and receive your jobs, with their CI/CD variables.
    ///
    /// ## Example
    /// ```sh
    /// GITLAB_TOKEN=glpat-CloudwrightFake0x9Z
    /// ```
    ///
    /// Use instead: a masked, protected CI/CD variable, or `CI_JOB_TOKEN` inside pipelines.
    /// ```yaml
    /// script:
    ///   - curl --header "JOB-TOKEN: $CI_JOB_TOKEN" "$CI_API_V4_URL/projects"
    /// ```
    ///
    /// ## References
    /// - [Token prefixes](https://docs.gitlab.com/security/tokens/#token-prefixes)
    /// - [GitLab token overview](https://docs.gitlab.com/security/tokens/)
    pub struct GitlabToken {
        code: "SEC005",
        name: "gitlab-token",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Trivy("gitlab-pat")],
    }
}

impl Rule for GitlabToken {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        input.report(
            Detector::GitlabToken,
            ctx,
            "revoke the token in GitLab and use a masked, protected CI/CD variable instead",
        );
    }
}

pub(super) fn detect(scan: &mut Scan, start: usize, end: usize) {
    let b = scan.b;
    if !starts_word(b, start) {
        return;
    }
    let prefix = &b[start..end];
    let body_end = run(b, end, 320, is_base64url);
    let body = &b[end..body_end];
    let (what, fixed) = match prefix {
        b"glpat-" => ("GitLab access token", 20),
        b"gldt-" => ("GitLab deploy token", 20),
        b"glrt-" => ("GitLab runner authentication token", 20),
        b"GR1348941" => ("GitLab runner registration token", 20),
        b"glcbt-" => ("GitLab CI/CD job token", 0),
        b"glptt-" => ("GitLab pipeline trigger token", 40),
        b"glft-" => ("GitLab feed token", 20),
        b"glimt-" => ("GitLab incoming mail token", 25),
        b"glagent-" => ("GitLab agent token", 50),
        b"gloas-" => ("GitLab OAuth application secret", 64),
        b"glsoat-" => ("GitLab SCIM token", 20),
        _ => ("GitLab feature flags client token", 20),
    };
    let token_end = if let Some(e) = routable(b, end, body_end) {
        e
    } else {
        let ok = match prefix {
            b"glptt-" => body.len() == 40 && body.iter().all(u8::is_ascii_hexdigit),
            // `glcbt-` + a 1-5 character partition + `_` + 20 characters.
            b"glcbt-" => body.iter().position(|&c| c == b'_').is_some_and(|u| {
                (1..=5).contains(&u)
                    && body[..u].iter().all(u8::is_ascii_alphanumeric)
                    && body.len() - u - 1 == 20
            }),
            _ => body.len() == fixed,
        };
        if !ok {
            return;
        }
        body_end
    };
    let token = &b[end..token_end];
    if is_placeholder(token) || distinct(token) < 10 {
        return;
    }
    let message = format!("{what} `{}`", mask(scan.str(start..token_end)));
    scan.push(
        Detector::GitlabToken,
        start..token_end,
        start..token_end,
        message,
    );
}

/// A routable token: a base64url payload of 27 to 300 characters, then `.`, a 2-character version
/// and a 7-character checksum in lower-case base36, with or without a `.` between them.
fn routable(b: &[u8], start: usize, payload_end: usize) -> Option<usize> {
    let is36 = |c: u8| c.is_ascii_digit() || c.is_ascii_lowercase();
    if !(27..=300).contains(&(payload_end - start)) || b.get(payload_end) != Some(&b'.') {
        return None;
    }
    let v = payload_end + 1;
    let v_end = run(b, v, 10, is36);
    let end = match v_end - v {
        2 if b.get(v_end) == Some(&b'.') => {
            let e = run(b, v_end + 1, 8, is36);
            (e - v_end - 1 == 7).then_some(e)?
        }
        9 => v_end,
        _ => return None,
    };
    (end >= b.len() || !b[end].is_ascii_alphanumeric()).then_some(end)
}
