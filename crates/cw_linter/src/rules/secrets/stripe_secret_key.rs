use super::scan::Scan;
use super::support::{distinct, is_placeholder, mask, run, starts_word};
use super::{Detector, TextInput};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Stripe live-mode secret keys (`sk_live_`) and restricted keys (`rk_live_`) followed
    /// by at least 24 alphanumeric characters. Test-mode keys (`sk_test_`) and publishable keys
    /// (`pk_live_`) are not secrets of the same kind and are not reported; neither are
    /// placeholders (`sk_live_xxxxxxxx`).
    ///
    /// ## Why is this bad?
    /// A live secret key moves real money: it can create charges and refunds, read customers'
    /// details and payment methods, and change the account's settings. Restricted keys carry
    /// whatever permissions they were given.
    ///
    /// ## Example
    /// ```sh
    /// STRIPE_SECRET_KEY=sk_live_CloudwrightFakeKey0123xyzAbc
    /// ```
    ///
    /// Use instead: a secret of the platform the application runs on, read at start-up.
    ///
    /// ## References
    /// - [Stripe API keys](https://docs.stripe.com/keys)
    /// - [Best practices for managing secret API keys](https://docs.stripe.com/keys-best-practices)
    pub struct StripeSecretKey {
        code: "SEC009",
        name: "stripe-secret-key",
        category: Security,
        severity: Error,
        fix: None,
        peers: [Checkov("CKV_SECRET_17"), Trivy("stripe-secret-token")],
    }
}

impl Rule for StripeSecretKey {
    type Input = TextInput;
    type Options = NoOptions;

    fn check(&self, input: &TextInput, ctx: &mut RuleCtx) {
        input.report(
            Detector::StripeSecretKey,
            ctx,
            "roll the key in the Stripe dashboard and read it from a secret at run time",
        );
    }
}

pub(super) fn detect(scan: &mut Scan, start: usize, end: usize) {
    let b = scan.b;
    if !starts_word(b, start) || (start > 0 && b[start - 1] == b'_') {
        return;
    }
    let key_end = run(b, end, 256, |c| c.is_ascii_alphanumeric());
    let body = &b[end..key_end];
    if body.len() < 24 || b.get(key_end) == Some(&b'_') {
        return;
    }
    if distinct(body) < 10 || is_placeholder(body) {
        return;
    }
    let what = if b[start] == b's' {
        "Stripe live secret key"
    } else {
        "Stripe live restricted key"
    };
    let message = format!("{what} `{}`", mask(scan.str(start..key_end)));
    scan.push(
        Detector::StripeSecretKey,
        start..key_end,
        start..key_end,
        message,
    );
}
