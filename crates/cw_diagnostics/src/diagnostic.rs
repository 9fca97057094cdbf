use crate::{Category, LineCol, RuleMeta, Severity, TextRange};

/// Whether a fix may be applied without asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps behaviour apart from removing the finding: `fix` applies it by default.
    Safe,
    /// May change behaviour: applied only with `--unsafe-fixes`.
    Unsafe,
}

/// Replace `range` with `content` (an insertion when the range is empty, a deletion when content is).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Edit {
    pub range: TextRange,
    pub content: String,
}

impl Edit {
    pub fn replace(range: TextRange, content: impl Into<String>) -> Self {
        Self {
            range,
            content: content.into(),
        }
    }

    pub fn insert(at: u32, content: impl Into<String>) -> Self {
        Self::replace(TextRange::empty(at), content)
    }

    pub fn delete(range: TextRange) -> Self {
        Self::replace(range, String::new())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    /// What the fix does, imperative: "Add `--no-install-recommends`".
    pub title: String,
    pub applicability: Applicability,
    /// Non-overlapping edits, sorted by start.
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_edit(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Unsafe, edits)
    }

    fn new(title: impl Into<String>, applicability: Applicability, mut edits: Vec<Edit>) -> Self {
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        Self {
            title: title.into(),
            applicability,
            edits,
        }
    }

    /// Applies the edits to `text`. Edits that overlap an earlier one are skipped.
    pub fn apply(&self, text: &str) -> String {
        apply_edits(text, self.edits.iter())
    }
}

/// Applies sorted, non-overlapping edits; an edit overlapping the previous one is skipped.
pub(crate) fn apply_edits<'a>(text: &str, edits: impl Iterator<Item = &'a Edit>) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0usize;
    for edit in edits {
        let r = edit.range.as_usize();
        if r.start < pos || r.end > text.len() {
            continue;
        }
        out.push_str(&text[pos..r.start]);
        out.push_str(&edit.content);
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// A secondary location with a message ("in this stage").
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Label {
    pub range: TextRange,
    pub start: LineCol,
    pub end: LineCol,
    pub message: String,
}

/// The few source lines around a finding, captured at lint time so renderers never need the whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// 1-based number of the first line of `text`.
    pub first_line: u32,
    /// Byte offset of `text` in the source file.
    pub offset: u32,
    pub text: String,
}

/// One finding.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    /// The effective severity (the rule's default unless the config overrides it).
    pub severity: Severity,
    pub message: String,
    /// Relative to the scan root, `/`-separated.
    pub path: String,
    pub range: TextRange,
    pub start: LineCol,
    pub end: LineCol,
    pub labels: Vec<Label>,
    /// One line of advice: how to resolve the finding.
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// The construct the finding is about, e.g. `stage builder` or `Deployment default/web`.
    pub resource: Option<String>,
    /// Stable across line shifts: code + path + normalized construct.
    pub fingerprint: String,
    pub snippet: Option<Snippet>,
}

impl Diagnostic {
    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    pub fn name(&self) -> &'static str {
        self.rule.name
    }

    pub fn category(&self) -> Category {
        self.rule.category
    }

    /// Sort key: path, position, code.
    pub fn sort_key(&self) -> (&str, u32, u32, &'static str) {
        (&self.path, self.range.start, self.range.end, self.rule.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_skips_overlaps() {
        let fix = Fix::safe(
            "t",
            vec![
                Edit::replace(TextRange::new(4, 7), "XY"),
                Edit::insert(0, ">"),
                Edit::delete(TextRange::new(5, 6)),
            ],
        );
        assert_eq!(fix.apply("abc def ghi"), ">abc XY ghi");
    }
}
