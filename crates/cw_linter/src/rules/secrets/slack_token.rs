use super::scan::Scan;
use super::support::{distinct, is_placeholder, mask, run, starts_word};
use super::{Detector, TextInput};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Slack tokens and webhooks: bot (`xoxb-`), user (`xoxp-`), legacy workspace and app
    /// (`xoxa-`, `xoxo-`, `xoxs-`, `xoxr-`) tokens with their numeric team and user IDs and
    /// secret part, rotating tokens (`xoxe.xoxp-1-...`, `xoxe-1-...`), and incoming webhook or
    /// workflow URLs (`https://hooks.slack.com/services/T.../B.../...`). Slack's documented
    /// example webhook (`T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`) and placeholders such as
    /// `xoxb-your-token` are not reported.
    ///
    /// ## Why is this bad?
    /// A token reads and posts messages, lists users and channels and downloads files as its bot
    /// or user; a webhook URL lets anyone post into the channel, a favourite for phishing inside
    /// a company's own workspace. Slack revokes tokens it finds in public repositories, private
    /// ones keep working.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   SLACK_WEBHOOK_URL: https://hooks.slack.com/services/T0CLOUDWR/B0FAKEHOOK/cloudwrightFakeWebhook42
    /// ```
    ///
    /// Use instead: a secret of the CI system or a secret store.
    /// ```yaml
    /// env:
    ///   SLACK_WEBHOOK_URL: ${{ secrets.SLACK_WEBHOOK_URL }}
    /// ```
    ///
    /// ## References
    /// - [Slack token types](https://api.slack.com/concepts/token-types)
    /// - [Sending messages using incoming webhooks](https://api.slack.com/messaging/webhooks)
    pub struct SlackTokenOrWebhook {
        code: "SEC008",
        name: "slack-token-or-webhook",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Checkov("CKV_SECRET_14"),
            Trivy("slack-access-token"),
            Trivy("slack-web-hook"),
        ],
    }
}

impl Rule for SlackTokenOrWebhook {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        input.report(
            Detector::SlackToken,
            ctx,
            "revoke the token or webhook in Slack and read it from a secret at run time",
        );
    }
}

fn is_token_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

/// `xox?-` tokens: numeric IDs then a secret, or a rotating token (`xoxe.xoxp-1-`, `xoxe-1-`).
pub(super) fn detect(scan: &mut Scan, start: usize, end: usize) {
    let b = scan.b;
    if !starts_word(b, start) {
        return;
    }
    let kind = b[start + 3];
    let mut body_start = end;
    if &b[start..end] == b"xoxe." {
        if !b[end..].starts_with(b"xoxp-") && !b[end..].starts_with(b"xoxb-") {
            return;
        }
        body_start = end + 5;
    }
    let token_end = run(b, body_start, 512, is_token_byte);
    if token_end < b.len() && b[token_end] == b'.' {
        return;
    }
    let body = &b[body_start..token_end];
    let parts: Vec<&[u8]> = body.split(|&c| c == b'-').collect();
    let rotating = kind == b'e' || body_start > end;
    let ok = if rotating {
        parts.len() == 2 && parts[0] == b"1" && long_secret(parts[1], 40)
    } else {
        let ids = parts.len().saturating_sub(1);
        parts.len() >= 3
            && parts[..ids]
                .iter()
                .all(|p| (8..=14).contains(&p.len()) && p.iter().all(u8::is_ascii_digit))
            && parts[..ids].iter().any(|p| p.iter().any(|&c| c != b'0'))
            && long_secret(parts[ids], 20)
    };
    if !ok {
        return;
    }
    let what = match (rotating, kind) {
        (true, _) => "Slack rotating token",
        (_, b'b') => "Slack bot token",
        (_, b'p') => "Slack user token",
        (_, b'a') => "Slack app token",
        (_, b'r') => "Slack refresh token",
        _ => "Slack legacy token",
    };
    let message = format!("{what} `{}`", mask(scan.str(start..token_end)));
    scan.push(
        Detector::SlackToken,
        start..token_end,
        start..token_end,
        message,
    );
}

/// An alphanumeric secret of at least `min` characters that is not a placeholder.
fn long_secret(s: &[u8], min: usize) -> bool {
    s.len() >= min
        && s.iter().all(u8::is_ascii_alphanumeric)
        && distinct(s) >= 10
        && !is_placeholder(s)
}

/// `hooks.slack.com/services/T.../B.../secret` (also `/workflows/` and `/triggers/`).
pub(super) fn detect_webhook(scan: &mut Scan, _start: usize, end: usize) {
    let b = scan.b;
    let rest = &b[end..];
    let kind = [&b"services/"[..], b"workflows/", b"triggers/"]
        .into_iter()
        .find(|k| rest.starts_with(k));
    let Some(kind) = kind else {
        return;
    };
    let path_start = end + kind.len();
    let path_end = run(b, path_start, 256, |c| {
        c.is_ascii_alphanumeric() || c == b'/'
    });
    let path = &b[path_start..path_end];
    let parts: Vec<&[u8]> = path.split(|&c| c == b'/').collect();
    let id = |p: &[u8], lead: u8| {
        p.first() == Some(&lead)
            && (8..=14).contains(&p.len())
            && p.iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && p[1..].iter().any(|&c| c != b'0')
    };
    let ok = match kind {
        b"services/" => {
            parts.len() == 3
                && id(parts[0], b'T')
                && id(parts[1], b'B')
                && long_secret(parts[2], 24)
        }
        _ => {
            parts.len() >= 3
                && id(parts[0], b'T')
                && parts[1..parts.len() - 1]
                    .iter()
                    .all(|p| !p.is_empty() && p.iter().all(u8::is_ascii_alphanumeric))
                && long_secret(parts[parts.len() - 1], 24)
        }
    };
    if !ok {
        return;
    }
    let message = format!(
        "Slack webhook URL `hooks.slack.com/{}{}`",
        scan.str(end..path_start),
        mask(scan.str(path_start..path_end))
    );
    scan.push(
        Detector::SlackToken,
        path_start..path_end,
        path_start..path_end,
        message,
    );
}
