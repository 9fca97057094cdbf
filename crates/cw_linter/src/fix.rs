//! Applying fixes to a file's text.

use cw_diagnostics::{Applicability, Diagnostic, Edit};

/// The result of one round of fixing.
#[derive(Debug)]
pub struct Fixed {
    pub text: String,
    /// Codes of the fixes applied, in order.
    pub applied: Vec<&'static str>,
}

/// Applies every fix in `diagnostics` that does not overlap an earlier one (unsafe fixes only when
/// `include_unsafe`). `None` when nothing applied. Run lint → fix again until it returns `None`: fixes
/// that overlapped this round apply in the next.
pub fn apply_fixes(text: &str, diagnostics: &[Diagnostic], include_unsafe: bool) -> Option<Fixed> {
    let mut fixes: Vec<(&'static str, &[Edit])> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref().map(|f| (d.rule.code, f)))
        .filter(|(_, f)| include_unsafe || f.applicability == Applicability::Safe)
        .filter(|(_, f)| !f.edits.is_empty())
        .map(|(c, f)| (c, f.edits.as_slice()))
        .collect();
    fixes.sort_by_key(|(_, e)| (e[0].range.start, e[0].range.end));
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    let mut end = 0u32;
    let mut first = true;
    for (code, edits) in fixes {
        let start = edits[0].range.start;
        if !first && start < end {
            continue;
        }
        // Edits of one fix must not interleave with the next fix's: treat the fix as one span.
        let fix_end = edits.iter().map(|e| e.range.end).max().unwrap_or(start);
        if !first && start == end && chosen.last().is_some_and(|e| e.range.is_empty()) {
            continue;
        }
        first = false;
        end = fix_end;
        chosen.extend(edits.iter());
        applied.push(code);
    }
    if applied.is_empty() {
        return None;
    }
    chosen.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0usize;
    for e in chosen {
        let r = e.range.as_usize();
        if r.start < pos || r.end > text.len() {
            continue;
        }
        out.push_str(&text[pos..r.start]);
        out.push_str(&e.content);
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    Some(Fixed { text: out, applied })
}
