/// Declares a rule: a unit struct plus its static [`RuleMeta`](cw_diagnostics::RuleMeta).
/// The doc comment becomes the rule's documentation (`cloudwright rule CODE`, `docs/rules/`).
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub struct FinalUserRoot {
///         code: "DKR004",
///         name: "final-user-root",
///         category: Security,
///         severity: Error,
///         fix: None,
///         peers: [Hadolint("DL3002"), Checkov("CKV_DOCKER_8"), Trivy("DS002")],
///     }
/// }
/// ```
/// `status` defaults to stable since 0.1.0; pass `status: Preview` for preview rules.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $rname:literal,
            category: $cat:ident,
            severity: $sev:ident,
            fix: $fix:ident,
            $(status: $status:ident,)?
            peers: [$($ptool:ident($pid:literal)),* $(,)?] $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $name;

        impl $crate::rule::RuleMetadata for $name {
            const META: &'static ::cw_diagnostics::RuleMeta = &::cw_diagnostics::RuleMeta {
                code: $code,
                name: $rname,
                category: ::cw_diagnostics::Category::$cat,
                severity: ::cw_diagnostics::Severity::$sev,
                fix: ::cw_diagnostics::FixAvailability::$fix,
                status: declare_rule!(@status $($status)?),
                peers: &[$(::cw_diagnostics::Peer::new(::cw_diagnostics::PeerTool::$ptool, $pid)),*],
                docs: concat!($($doc, "\n"),*),
                file: file!(),
            };
        }
    };
    (@status) => { ::cw_diagnostics::Status::Stable { since: "0.1.0" } };
    (@status Preview) => { ::cw_diagnostics::Status::Preview { since: "0.1.0" } };
}

/// The registry: one line per rule. Generates [`RULES`](crate::RULES).
macro_rules! register_rules {
    ($($rule:path),* $(,)?) => {
        /// Every rule, in code order.
        pub static RULES: &[$crate::registry::RuleEntry] = &[
            $($crate::registry::RuleEntry::of::<$rule>()),*
        ];
    };
}
