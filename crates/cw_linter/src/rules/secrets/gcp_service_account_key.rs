use std::ops::Range;

use super::private_key;
use super::scan::{Scan, find_in};
use super::support::mask;
use super::{Detector, TextInput};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Google Cloud service account key files: JSON with `"type": "service_account"` and a
    /// `"private_key"` that holds a real PEM key (also when the JSON is embedded, escaped, in
    /// another string). The finding points at the private key; the message names the account's
    /// `client_email` when the file has one. Key files whose private key is a placeholder or
    /// elided are not reported.
    ///
    /// ## Why is this bad?
    /// A service account key is a long-lived credential: anyone holding the file acts as the
    /// service account, with all its IAM roles, until the key is deleted. Keys do not expire by
    /// default and are the most common way Google Cloud projects are breached.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "type": "service_account",
    ///   "project_id": "demo",
    ///   "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\n-----END PRIVATE KEY-----\n",
    ///   "client_email": "deploy@demo.iam.gserviceaccount.com"
    /// }
    /// ```
    ///
    /// Use instead: workload identity (GKE, Cloud Run), Workload Identity Federation for CI (for
    /// example `google-github-actions/auth` with `workload_identity_provider`), or
    /// `gcloud auth application-default login` on workstations.
    ///
    /// ## References
    /// - [Best practices for managing service account keys](https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys)
    /// - [Workload Identity Federation](https://cloud.google.com/iam/docs/workload-identity-federation)
    pub struct GcpServiceAccountKey {
        code: "SEC006",
        name: "gcp-service-account-key",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Trivy("gcp-service-account")],
    }
}

impl Rule for GcpServiceAccountKey {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        input.report(
            Detector::GcpServiceAccountKey,
            ctx,
            "delete the key in IAM and use workload identity or Workload Identity Federation instead",
        );
    }
}

/// How far from `"type": "service_account"` the other fields of the key file may be.
const WINDOW: usize = 16 * 1024;

/// `"service_account"` as the value of `"type"`, with a `"private_key"` holding a key nearby.
pub(super) fn detect(scan: &mut Scan, start: usize, end: usize) {
    let b = scan.b;
    let escaped = start >= 2 && b[start - 1] == b'"' && b[start - 2] == b'\\';
    if !is_type_value(b, start) || !closes_string(b, end, escaped) {
        return;
    }
    let from = start.saturating_sub(WINDOW);
    let to = end + WINDOW;
    let Some(value) = string_field(b, from, to, b"private_key", escaped) else {
        return;
    };
    let v = &b[value.clone()];
    if !v.starts_with(b"-----BEGIN ") || private_key::block(v, 11).is_none() {
        return;
    }
    let owner = string_field(b, from, to, b"client_email", escaped)
        .map(|r| scan.str(r))
        .filter(|e| e.ends_with(".gserviceaccount.com"));
    let message = match owner {
        Some(email) => format!("GCP service account key for `{email}`"),
        None => format!(
            "GCP service account key `{}`",
            mask(scan.str(value.clone()))
        ),
    };
    scan.push(
        Detector::GcpServiceAccountKey,
        value.clone(),
        value,
        message,
    );
}

/// Whether the string starting at `start` (after its quote) is the value of a `"type"` key.
fn is_type_value(b: &[u8], start: usize) -> bool {
    let mut i = start;
    let step = |i: &mut usize, pred: &dyn Fn(u8) -> bool| -> bool {
        if *i > 0 && pred(b[*i - 1]) {
            *i -= 1;
            true
        } else {
            false
        }
    };
    if !step(&mut i, &|c| c == b'"') {
        return false;
    }
    step(&mut i, &|c| c == b'\\');
    while step(&mut i, &|c| c == b' ' || c == b'\t') {}
    if !step(&mut i, &|c| c == b':') {
        return false;
    }
    while step(&mut i, &|c| c == b' ' || c == b'\t') {}
    if !step(&mut i, &|c| c == b'"') {
        return false;
    }
    step(&mut i, &|c| c == b'\\');
    i >= 4 && &b[i - 4..i] == b"type" && i >= 5 && matches!(b[i - 5], b'"' | b'\\')
}

fn closes_string(b: &[u8], end: usize, escaped: bool) -> bool {
    if escaped {
        b.get(end) == Some(&b'\\') && b.get(end + 1) == Some(&b'"')
    } else {
        b.get(end) == Some(&b'"')
    }
}

/// The content of the JSON string field `"name": "..."` in `b[from..to]`.
fn string_field(
    b: &[u8],
    from: usize,
    to: usize,
    name: &[u8],
    escaped: bool,
) -> Option<Range<usize>> {
    let mut at = from;
    while let Some(i) = find_in(b, at, to, name) {
        at = i + name.len();
        let quote_before = i > 0 && b[i - 1] == b'"';
        let mut p = i + name.len();
        if escaped {
            if !(quote_before && b.get(p) == Some(&b'\\') && b.get(p + 1) == Some(&b'"')) {
                continue;
            }
            p += 2;
        } else {
            if !(quote_before && b.get(p) == Some(&b'"')) {
                continue;
            }
            p += 1;
        }
        while matches!(b.get(p), Some(b' ' | b'\t')) {
            p += 1;
        }
        if b.get(p) != Some(&b':') {
            continue;
        }
        p += 1;
        while matches!(b.get(p), Some(b' ' | b'\t')) {
            p += 1;
        }
        if escaped {
            if b.get(p) != Some(&b'\\') || b.get(p + 1) != Some(&b'"') {
                continue;
            }
            p += 2;
        } else {
            if b.get(p) != Some(&b'"') {
                continue;
            }
            p += 1;
        }
        let start = p;
        let limit = b.len().min(start + 2 * WINDOW);
        while p < limit {
            match b[p] {
                b'\\' if escaped && b.get(p + 1) == Some(&b'"') => return Some(start..p),
                b'\\' => p += 2,
                b'"' if !escaped => return Some(start..p),
                b'\n' => break,
                _ => p += 1,
            }
        }
    }
    None
}
