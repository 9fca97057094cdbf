use cw_diagnostics::{Fix, RuleMeta, TextRange};

use crate::rule::{AnyOptions, RuleOptions};

/// A finding as a rule reports it; the engine adds positions, snippet, severity and fingerprint.
#[derive(Clone, Debug)]
pub struct Finding {
    pub(crate) rule: &'static RuleMeta,
    /// The rule's index in the registry.
    pub(crate) index: usize,
    pub(crate) range: TextRange,
    pub(crate) message: String,
    pub(crate) labels: Vec<(TextRange, String)>,
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<Fix>,
    pub(crate) resource: Option<String>,
    pub(crate) key: Option<String>,
    /// Ranges whose text must never be shown (secrets): masked in snippets.
    pub(crate) redact: Vec<TextRange>,
    /// The `module` blocks whose instance the finding is in (`module `a` at envs/prod/main.tf:3`):
    /// the same value reached through several calls is one finding that names them all.
    pub(crate) calls: Vec<String>,
}

impl Finding {
    /// Where the finding is.
    pub fn range(&self) -> TextRange {
        self.range
    }

    /// Moves every range of the finding from a unit where its file starts at `from` to one where
    /// it starts at `to` (the ranges must lie in that file).
    pub fn rebase(&mut self, from: u32, to: u32) {
        let moved = |r: TextRange| {
            TextRange::new(
                r.start.saturating_sub(from).saturating_add(to),
                r.end.saturating_sub(from).saturating_add(to),
            )
        };
        self.range = moved(self.range);
        for (r, _) in &mut self.labels {
            *r = moved(*r);
        }
        for r in &mut self.redact {
            *r = moved(*r);
        }
        if let Some(fix) = &mut self.fix {
            for e in &mut fix.edits {
                e.range = moved(e.range);
            }
        }
    }

    /// A secondary location ("the stage starts here").
    pub fn label(&mut self, range: TextRange, message: impl Into<String>) -> &mut Self {
        self.labels.push((range, message.into()));
        self
    }

    /// One line of advice on how to resolve the finding.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }

    /// The construct the finding is about (`stage builder`), shown in outputs.
    pub fn resource(&mut self, resource: impl Into<String>) -> &mut Self {
        self.resource = Some(resource.into());
        self
    }

    /// Masks `range` wherever source text is shown (code frames): its first 4 characters stay, the
    /// rest become `*`. For secrets; the message must not contain the value either.
    pub fn redact(&mut self, range: TextRange) -> &mut Self {
        self.redact.push(range);
        self
    }

    /// Extra text folded into the fingerprint, when the finding's own lines are not distinctive.
    pub fn key(&mut self, key: impl Into<String>) -> &mut Self {
        self.key = Some(key.into());
        self
    }
}

/// What a rule sees besides its input: the source text, its options, and where to report.
pub struct RuleCtx<'a> {
    meta: &'static RuleMeta,
    index: usize,
    source: &'a str,
    /// Where `source` starts in the scan's address space (0 for a file linted alone).
    base: u32,
    /// The other files of the unit (files a GitLab pipeline includes), `(base, text)` by base.
    others: &'a [(u32, &'a str)],
    options: &'a AnyOptions,
    findings: &'a mut Vec<Finding>,
}

impl<'a> RuleCtx<'a> {
    pub(crate) fn new(
        meta: &'static RuleMeta,
        index: usize,
        source: &'a str,
        options: &'a AnyOptions,
        findings: &'a mut Vec<Finding>,
    ) -> Self {
        Self {
            meta,
            index,
            source,
            base: 0,
            others: &[],
            options,
            findings,
        }
    }

    /// Places `source` at `base` in the scan's address space (see [`RuleCtx::base`]).
    pub(crate) fn with_base(mut self, base: u32) -> Self {
        self.base = base;
        self
    }

    /// The other files of the unit, `(base, text)` sorted by base, for [`RuleCtx::text`].
    pub(crate) fn with_others(mut self, others: &'a [(u32, &'a str)]) -> Self {
        self.others = others;
        self
    }

    /// Where the source text starts in the scan's address space. Rules that look at several files
    /// at once (Kubernetes objects rendered by Kustomize, cross-object rules) see ranges in one
    /// address space where each file starts at its base; for a file linted alone the base is 0.
    /// [`RuleCtx::text`] accounts for it; offsets computed from [`RuleCtx::source`] must add it.
    pub fn base(&self) -> u32 {
        self.base
    }

    /// The whole source text of the file.
    pub fn source(&self) -> &'a str {
        self.source
    }

    /// The text of `range`, in the source or in another file of the unit (empty when the range is
    /// in a file the rule was not given).
    pub fn text(&self, range: TextRange) -> &'a str {
        let len = u32::try_from(self.source.len()).unwrap_or(u32::MAX);
        let (base, source) =
            if range.start >= self.base && range.start <= self.base.saturating_add(len) {
                (self.base, self.source)
            } else {
                let i = self.others.partition_point(|(b, _)| *b <= range.start);
                match i.checked_sub(1).map(|i| self.others[i]) {
                    Some((base, text)) => (base, text),
                    None => return "",
                }
            };
        if range.start < base {
            return "";
        }
        TextRange::new(range.start - base, range.end - base).slice(source)
    }

    /// The rule's options (its defaults when the config sets none).
    pub fn options<T: RuleOptions>(&self) -> &T {
        self.options
            .downcast_ref::<T>()
            .expect("invariant: a rule asks for its own options type")
    }

    /// Reports a finding at `range` under this rule's code.
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding {
            rule: self.meta,
            index: self.index,
            range,
            message: message.into(),
            labels: Vec::new(),
            help: None,
            fix: None,
            resource: None,
            key: None,
            redact: Vec::new(),
            calls: Vec::new(),
        });
        self.findings.last_mut().expect("invariant: just pushed")
    }
}
