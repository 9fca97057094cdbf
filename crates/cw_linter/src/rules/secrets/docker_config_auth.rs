use std::ops::Range;

use super::scan::Scan;
use super::support::{base64_decode, is_base64, is_placeholder, is_reference, mask, run};
use super::{Detector, TextInput};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags registry credentials in Docker configuration: an `"auth"` entry of a `config.json` /
    /// `.dockerconfigjson` whose base64 value decodes to `user:password`, and a
    /// `.dockerconfigjson` (or legacy `.dockercfg`) value of a Kubernetes Secret's `data`, which is
    /// base64 of the whole JSON: it is decoded and its `auths` looked at. Entries whose password
    /// is empty, a placeholder or a reference (`${TOKEN}`) are not reported.
    ///
    /// ## Why is this bad?
    /// `auth` is only base64, not encryption: anyone who reads the file can log in to the registry
    /// as that user and pull private images, or push over them. A Kubernetes `Secret` manifest
    /// committed with its `data` publishes the same credentials.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "auths": {
    ///     "registry.example.com": { "auth": "Y2xvdWR3cmlnaHQ6RmFrZVBhc3N3MHJkIQ==" }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead: a credential helper (`credsStore`, `credHelpers`), `docker login` on the
    /// machine that needs it, or an image pull secret created from a secret store (External
    /// Secrets, Sealed Secrets) rather than committed.
    ///
    /// ## References
    /// - [docker login: credential stores](https://docs.docker.com/reference/cli/docker/login/#credential-stores)
    /// - [Pull an image from a private registry](https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/)
    pub struct DockerConfigAuth {
        code: "SEC011",
        name: "docker-config-auth",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Trivy("dockerconfig-secret")],
    }
}

impl Rule for DockerConfigAuth {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        input.report(
            Detector::DockerConfigAuth,
            ctx,
            "change the registry password and use a credential helper or a pull secret from a secret store",
        );
    }
}

/// `"auth": "<base64 of user:password>"`, also escaped inside a string (`\"auth\": \"...\"`).
pub(super) fn detect(scan: &mut Scan, start: usize, end: usize) {
    if let Some(value) = auth_value(scan.b, start, end) {
        let message = format!(
            "Docker config `auth` entry holds registry credentials `{}`",
            mask(scan.str(value.clone()))
        );
        scan.push(Detector::DockerConfigAuth, value.clone(), value, message);
    }
}

/// The value of an `"auth"` entry starting at `start` (its opening quote) if it decodes to
/// credentials.
fn auth_value(b: &[u8], start: usize, end: usize) -> Option<Range<usize>> {
    let escaped = start > 0 && b[start - 1] == b'\\';
    let mut p = end;
    if escaped {
        if b.get(p) != Some(&b'\\') {
            return None;
        }
        p += 1;
    }
    if b.get(p) != Some(&b'"') {
        return None;
    }
    p = run(b, p + 1, 16, |c| c == b' ' || c == b'\t');
    if b.get(p) != Some(&b':') {
        return None;
    }
    p = run(b, p + 1, 16, |c| c == b' ' || c == b'\t');
    if escaped {
        if b.get(p) != Some(&b'\\') {
            return None;
        }
        p += 1;
    }
    if b.get(p) != Some(&b'"') {
        return None;
    }
    let value_start = p + 1;
    let value_end = run(b, value_start, 2048, |c| {
        is_base64(c) || c == b'=' || c == b'-' || c == b'_'
    });
    let closes = if escaped {
        b.get(value_end) == Some(&b'\\') && b.get(value_end + 1) == Some(&b'"')
    } else {
        b.get(value_end) == Some(&b'"')
    };
    (closes && credentials(&b[value_start..value_end])).then_some(value_start..value_end)
}

/// Whether base64 `v` decodes to `user:password` with a real password.
fn credentials(v: &[u8]) -> bool {
    let Some(decoded) = base64_decode(v) else {
        return false;
    };
    if !decoded.iter().all(|c| c.is_ascii_graphic() || *c == b' ') {
        return false;
    }
    let Some(colon) = decoded.iter().position(|&c| c == b':') else {
        return false;
    };
    let (user, password) = (&decoded[..colon], &decoded[colon + 1..]);
    !user.is_empty()
        && password.len() >= 4
        && !is_placeholder(password)
        && !is_reference(password)
        && !password.eq_ignore_ascii_case(b"password")
        && !password.eq_ignore_ascii_case(user)
}

/// `.dockerconfigjson: <base64 of a Docker config>` (a Kubernetes Secret's `data`, YAML or JSON).
pub(super) fn detect_encoded(scan: &mut Scan, _start: usize, end: usize) {
    let b = scan.b;
    let mut p = end;
    if b.get(p) == Some(&b'"') {
        p += 1;
    }
    if b.get(p) != Some(&b':') {
        return;
    }
    p = run(b, p + 1, 16, |c| c == b' ' || c == b'\t');
    if matches!(b.get(p), Some(b'"' | b'\'')) {
        p += 1;
    }
    let value_end = run(b, p, 256 * 1024, |c| is_base64(c) || c == b'=');
    if value_end - p < 16 {
        return;
    }
    let Some(json) = base64_decode(&b[p..value_end]) else {
        return;
    };
    let found = json
        .windows(5)
        .enumerate()
        .filter(|(_, w)| w == b"\"auth")
        .any(|(i, _)| auth_value(&json, i, i + 5).is_some());
    if !found {
        return;
    }
    let message = format!(
        "`.dockerconfigjson` holds registry credentials (base64-encoded) `{}`",
        mask(scan.str(p..value_end))
    );
    scan.push(
        Detector::DockerConfigAuth,
        p..value_end,
        p..value_end,
        message,
    );
}
