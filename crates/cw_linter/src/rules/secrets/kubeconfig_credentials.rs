use super::assign::{Assignment, Sep};
use super::scan::Scan;
use super::support::{base64_decode, is_base64, is_weak_value, mask, run};
use super::{Detector, TextInput};
use super::{generic_secret_assignment, private_key};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags credentials in kubeconfig files (`kind: Config` with `users:` or `clusters:`): a
    /// client key (`client-key-data`, base64 of a PEM private key), a bearer `token:`, a basic-auth
    /// `password:`, and the `client-secret`, `id-token`, `refresh-token` and `access-token` of an
    /// `auth-provider`. Placeholders, including what `kubectl config view` prints instead of the
    /// data (`DATA+OMITTED`, `REDACTED`), and references are not reported.
    ///
    /// ## Why is this bad?
    /// A kubeconfig with embedded credentials is a working login to the cluster, often as
    /// `cluster-admin` (the file `kubeadm` and managed services hand out first). Client
    /// certificates cannot be revoked before they expire without rotating the cluster's CA.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Config
    /// users:
    ///   - name: admin
    ///     user:
    ///       token: eyJhbGciOiJSUzI1NiIsImtpZCI6IkNsb3Vkd3JpZ2h0RmFrZSJ9.fake.signature
    /// ```
    ///
    /// Use instead: an exec credential plugin (`aws eks get-token`, `gke-gcloud-auth-plugin`,
    /// `kubelogin`) so the file holds no secret, and keep kubeconfig files out of the repository.
    /// ```yaml
    /// users:
    ///   - name: admin
    ///     user:
    ///       exec:
    ///         apiVersion: client.authentication.k8s.io/v1beta1
    ///         command: kubelogin
    /// ```
    ///
    /// ## References
    /// - [Organizing cluster access using kubeconfig files](https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/)
    /// - [client-go credential plugins](https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins)
    pub struct KubeconfigCredentials {
        code: "SEC012",
        name: "kubeconfig-credentials",
        category: Security,
        severity: Error,
        fix: None,
        peers: [],
    }
}

impl Rule for KubeconfigCredentials {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        input.report(
            Detector::KubeconfigCredentials,
            ctx,
            "rotate the credentials, use an exec credential plugin, and keep kubeconfig files out of the repository",
        );
    }
}

/// `client-key-data: <base64 of a PEM private key>`.
pub(super) fn detect_key_data(scan: &mut Scan, start: usize, end: usize) {
    let b = scan.b;
    if start > 0 && !matches!(b[start - 1], b' ' | b'\t' | b'\n' | b'"') {
        return;
    }
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
    let value_end = run(b, p, 128 * 1024, |c| is_base64(c) || c == b'=');
    let Some(pem) = base64_decode(&b[p..value_end]) else {
        return;
    };
    if !pem.starts_with(b"-----BEGIN ")
        || private_key::block(&pem, 11).is_none()
        || !scan.is_kubeconfig()
    {
        return;
    }
    let message = format!("kubeconfig client key `{}`", mask(scan.str(p..value_end)));
    scan.push(
        Detector::KubeconfigCredentials,
        p..value_end,
        p..value_end,
        message,
    );
}

/// `token:`, `password:` and auth-provider secrets of a kubeconfig's users. Returns whether the
/// assignment was one (then no other detector looks at it).
pub(super) fn judge(scan: &mut Scan, a: &Assignment) -> bool {
    if a.sep != Sep::Colon {
        return false;
    }
    let what = match &scan.b[a.key.clone()] {
        b"token" => "kubeconfig bearer token",
        b"password" => "kubeconfig password",
        b"client-secret" => "kubeconfig auth-provider client secret",
        b"id-token" => "kubeconfig auth-provider ID token",
        b"refresh-token" => "kubeconfig auth-provider refresh token",
        b"access-token" => "kubeconfig auth-provider access token",
        _ => return false,
    };
    let v = &scan.b[a.value.clone()];
    let min = if what == "kubeconfig password" { 8 } else { 16 };
    let literal = (a.quoted || generic_secret_assignment::ends_line(scan.b, a.value.end))
        && v.len() >= min
        && !v.iter().any(u8::is_ascii_whitespace)
        && !is_weak_value(v);
    if !scan.is_kubeconfig() {
        return false;
    }
    if literal {
        let message = format!("{what} `{}`", mask(scan.str(a.value.clone())));
        scan.push(
            Detector::KubeconfigCredentials,
            a.value.clone(),
            a.value.clone(),
            message,
        );
    }
    true
}
