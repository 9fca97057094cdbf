use super::scan::Scan;
use super::support::{base64_decode, distinct, find, is_base64, is_placeholder, mask, run};
use super::{Detector, TextInput};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Azure storage and messaging credentials: a storage account key in a connection string
    /// (`AccountKey=` + 88 base64 characters), a Service Bus / Event Hubs key
    /// (`SharedAccessKey=` + 44 base64 characters), and the signature of a shared access
    /// signature (`sig=` in a SAS token, a SAS URL or a `SharedAccessSignature=` connection
    /// string, next to its `sv=` version). The well-known Azurite development key and
    /// placeholders are not reported.
    ///
    /// ## Why is this bad?
    /// An account key grants full control of the storage account: every blob, queue, table and
    /// file share, and the right to mint SAS tokens for them. A SAS carries its own permissions
    /// until it expires (often years ahead) and cannot be revoked on its own without rotating the
    /// key that signed it.
    ///
    /// ## Example
    /// ```sh
    /// AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=<88 base64 characters>;EndpointSuffix=core.windows.net"
    /// ```
    ///
    /// Use instead: a managed identity with an Azure RBAC role (`DefaultAzureCredential`), or a
    /// Key Vault reference.
    /// ```sh
    /// AZURE_STORAGE_ACCOUNT_URL=https://demo.blob.core.windows.net
    /// ```
    ///
    /// ## References
    /// - [Manage storage account access keys](https://learn.microsoft.com/en-us/azure/storage/common/storage-account-keys-manage)
    /// - [Grant limited access with shared access signatures](https://learn.microsoft.com/en-us/azure/storage/common/storage-sas-overview)
    pub struct AzureStorageKeyOrConnectionString {
        code: "SEC007",
        name: "azure-storage-key-or-connection-string",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Checkov("CKV_SECRET_3"),
            Trivy("azure-storage-account-key"),
            Trivy("azure-sas-token"),
        ],
    }
}

impl Rule for AzureStorageKeyOrConnectionString {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        input.report(
            Detector::AzureStorageKey,
            ctx,
            "rotate the key and use a managed identity or a Key Vault reference instead",
        );
    }
}

/// Azurite's (the local emulator's) documented account key: public, never a secret.
const AZURITE_KEY: &[u8] =
    b"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// `AccountKey=` (88 characters: 64 bytes) or `SharedAccessKey=` (44 characters: 32 bytes).
pub(super) fn detect(scan: &mut Scan, start: usize, end: usize) {
    let b = scan.b;
    let account = b[start].eq_ignore_ascii_case(&b'A');
    let (len, what) = if account {
        (88, "Azure storage account key")
    } else {
        (44, "Azure shared access key")
    };
    let value_end = run(b, end, len + 1, |c| is_base64(c) || c == b'=');
    let v = &b[end..value_end];
    if v.len() != len || !v.ends_with(b"=") || v == AZURITE_KEY || !key_ok(v) {
        return;
    }
    if start > 0 && b[start - 1].is_ascii_alphanumeric() {
        return;
    }
    let message = format!("{what} `{}`", mask(scan.str(end..value_end)));
    scan.push(
        Detector::AzureStorageKey,
        end..value_end,
        end..value_end,
        message,
    );
}

fn key_ok(v: &[u8]) -> bool {
    let body = v
        .strip_suffix(b"==")
        .or_else(|| v.strip_suffix(b"="))
        .unwrap_or(v);
    body.iter().all(|&c| is_base64(c)) && distinct(body) >= 20 && !is_placeholder(body)
}

/// The `sig=` parameter of a shared access signature: in a token that also has `sv=`, the
/// percent-decoded value is base64 of a 32-byte HMAC.
pub(super) fn detect_sas(scan: &mut Scan, start: usize, end: usize) {
    let b = scan.b;
    if start == 0 || !matches!(b[start - 1], b'&' | b'?' | b';') {
        return;
    }
    let stop = |c: u8| c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'`' | b'<' | b'>');
    let mut from = start;
    while from > 0 && start - from < 2048 && !stop(b[from - 1]) {
        from -= 1;
    }
    let to = run(b, start, 4096, |c| !stop(c));
    if find(&b[from..to], b"sv=").is_none() {
        return;
    }
    let value_end = run(b, end, 128, |c| {
        !stop(c) && !matches!(c, b'&' | b';' | b'#')
    });
    let raw = &b[end..value_end];
    let Some(decoded) = percent_decode(raw) else {
        return;
    };
    let Some(mac) = base64_decode(&decoded) else {
        return;
    };
    if mac.len() != 32 || is_placeholder(raw) || distinct(&decoded) < 20 {
        return;
    }
    let message = format!(
        "Azure shared access signature `{}`",
        mask(scan.str(end..value_end))
    );
    scan.push(
        Detector::AzureStorageKey,
        end..value_end,
        end..value_end,
        message,
    );
}

fn percent_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            let v = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            out.push(v);
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    Some(out)
}
