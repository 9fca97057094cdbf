use std::ops::Range;

use super::scan::Scan;
use super::support::{is_weak_value, looks_random, mask, run};
use super::{Detector, TextInput};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags passwords written into URLs: the userinfo of `scheme://user:password@host`
    /// (database, broker and Git remote URLs alike) and a `password=`, `passwd=` or `pwd=`
    /// parameter of a URL or JDBC connection string. The password must be a literal: references
    /// (`$DB_PASSWORD`, `${DB_PASSWORD}`, `{{ .Values.password }}`, `%(password)s`, `{password}`),
    /// placeholders (`<password>`, `****`, `changeme`), well-known defaults (`postgres:postgres`,
    /// `guest:guest`), a password equal to the user name, and URLs to `localhost` or documentation
    /// hosts (`example.com`) are not reported.
    ///
    /// ## Why is this bad?
    /// Connection strings are copied into logs, error messages, process listings and dashboards;
    /// a password inside travels with them. Committed, it is in every clone and in the Git
    /// history.
    ///
    /// ## Example
    /// ```sh
    /// DATABASE_URL=postgres://app:Zr7kq9Lm2x@db.internal:5432/app
    /// ```
    ///
    /// Use instead: keep the password in its own secret and let the client read it, or build the
    /// URL at run time.
    /// ```sh
    /// DATABASE_URL=postgres://app@db.internal:5432/app
    /// PGPASSWORD=${DB_PASSWORD}
    /// ```
    ///
    /// ## References
    /// - [OWASP: Use of hard-coded password](https://owasp.org/www-community/vulnerabilities/Use_of_hard-coded_password)
    /// - [RFC 3986 §3.2.1: "Use of the format user:password in the userinfo field is deprecated"](https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1)
    pub struct CredentialsInUrl {
        code: "SEC013",
        name: "credentials-in-url",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [Checkov("CKV_SECRET_4")],
    }
}

impl Rule for CredentialsInUrl {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        input.report(
            Detector::CredentialsInUrl,
            ctx,
            "read the password from a secret or the environment instead of writing it into the URL",
        );
    }
}

/// Where a URL ends (or its authority, with `/`, `?` and `#` added).
fn ends_url(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'`' | b'<' | b'>' | b'\\')
}

/// `scheme://user:password@host` and `password=` parameters, from the `://` at `start`.
pub(super) fn detect(scan: &mut Scan, start: usize, end: usize) {
    let b = scan.b;
    let mut s = start;
    while s > 0
        && start - s < 32
        && (b[s - 1].is_ascii_alphanumeric() || matches!(b[s - 1], b'+' | b'.' | b'-'))
    {
        s -= 1;
    }
    while s < start && !b[s].is_ascii_alphabetic() {
        s += 1;
    }
    if s == start {
        return;
    }
    let scheme = scan.str(s..start);
    if scheme.eq_ignore_ascii_case("file") {
        return;
    }
    let auth_end = run(b, end, 512, |c| {
        !ends_url(c) && !matches!(c, b'/' | b'?' | b'#')
    });
    let authority = &b[end..auth_end];
    let at = authority.iter().rposition(|&c| c == b'@');
    let host = at.map_or(authority, |at| &authority[at + 1..]);
    // JDBC-style parameters follow the host after `;` (`sqlserver://h:1433;password=...`).
    let host = host.split(|&c| c == b';').next().unwrap_or(host);
    if let Some(at) = at {
        let userinfo = &authority[..at];
        if let Some(colon) = userinfo.iter().position(|&c| c == b':') {
            let user = &userinfo[..colon];
            let password = end + colon + 1..end + at;
            if literal_password(user, &b[password.clone()]) && !quiet_host(host) {
                push(scan, scheme, host, password);
            }
        }
    }
    let url_end = run(b, auth_end, 2048, |c| !ends_url(c));
    let mut i = end + at.map_or(0, |at| at + 1);
    while i < url_end {
        let Some(next) = b[i..url_end]
            .iter()
            .position(|&c| matches!(c, b'?' | b'&' | b';'))
        else {
            break;
        };
        i += next;
        let name_start = i + 1;
        let name_end = run(b, name_start, 16, |c| c.is_ascii_alphabetic());
        i = name_end;
        let name = &b[name_start..name_end];
        let is_password = [&b"password"[..], b"passwd", b"pwd"]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n));
        if !is_password || b.get(name_end) != Some(&b'=') {
            continue;
        }
        let value = name_end + 1..run(b, name_end + 1, 256, |c| {
            !ends_url(c) && !matches!(c, b'&' | b';' | b'#')
        });
        if literal_password(b"", &b[value.clone()]) && !quiet_host(host) {
            push(scan, scheme, host, value);
        }
    }
}

fn push(scan: &mut Scan, scheme: &str, host: &[u8], password: Range<usize>) {
    let host = std::str::from_utf8(host).unwrap_or("");
    let message = format!(
        "`{scheme}` URL for `{host}` holds a literal password `{}`",
        mask(scan.str(password.clone()))
    );
    scan.push(
        Detector::CredentialsInUrl,
        password.clone(),
        password,
        message,
    );
}

/// A password worth reporting: a literal of at least 6 characters that is not the user name, not
/// a default, placeholder or reference, and is made like a password.
fn literal_password(user: &[u8], password: &[u8]) -> bool {
    password.len() >= 6
        && !password.eq_ignore_ascii_case(user)
        && !password.contains(&b'{')
        && looks_random(password)
        && !is_weak_value(password)
}

/// Hosts whose credentials are local or documentation: loopback, `example.*`, reserved names.
fn quiet_host(host: &[u8]) -> bool {
    if host.is_empty() {
        return true;
    }
    let host = host.to_ascii_lowercase();
    let name = match host.iter().rposition(|&c| c == b':') {
        Some(i) if !host.starts_with(b"[") || host[..i].ends_with(b"]") => &host[..i],
        _ => &host[..],
    };
    let ends = |s: &[u8]| name == s || name.ends_with(&[b".", s].concat());
    name.starts_with(b"127.")
        || name == b"0.0.0.0"
        || name == b"[::1]"
        || name == b"host.docker.internal"
        || [
            "localhost",
            "example.com",
            "example.org",
            "example.net",
            "example",
            "test",
            "invalid",
            "local",
        ]
        .iter()
        .any(|s| ends(s.as_bytes()))
        || name
            .iter()
            .any(|&c| matches!(c, b'$' | b'{' | b'}' | b'<' | b'>' | b'%'))
}
