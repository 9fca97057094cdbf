//! One address space for every source of an evaluation.

use cw_diagnostics::TextRange;

/// A source: a module file, a `.tfvars` file, a `--var` value, a template file.
#[derive(Clone, Debug)]
pub struct Source {
    pub path: String,
    /// The offset of the source's first byte in the evaluation's address space.
    pub base: u32,
    pub text: String,
}

/// The sources of an evaluation, each at a base offset, so that a [`TextRange`] alone tells
/// which source and where (as `cw_syntax::yaml::YamlFile::shift` does for multi-file units).
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    sources: Vec<Source>,
    next: u32,
}

impl SourceMap {
    /// Adds a source and returns its base; `None` when the address space is full.
    pub(crate) fn add(&mut self, path: &str, text: &str) -> Option<u32> {
        let len = u32::try_from(text.len()).ok()?;
        let base = self.next;
        // One byte of gap, so that an empty range at the end of one source is not the start of
        // the next.
        self.next = base.checked_add(len)?.checked_add(1)?;
        self.sources.push(Source {
            path: path.to_owned(),
            base,
            text: text.to_owned(),
        });
        Some(base)
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// Bytes of source held.
    pub fn total_len(&self) -> usize {
        self.sources.iter().map(|s| s.text.len()).sum()
    }

    /// The source holding `offset` (an empty range at a source's end belongs to it).
    pub fn source_at(&self, offset: u32) -> Option<&Source> {
        let i = self.sources.partition_point(|s| s.base <= offset);
        let s = self.sources.get(i.checked_sub(1)?)?;
        (offset as usize <= s.base as usize + s.text.len()).then_some(s)
    }

    /// The source of `range` and the range within it.
    pub fn locate(&self, range: TextRange) -> Option<(&Source, TextRange)> {
        let s = self.source_at(range.start)?;
        let local = TextRange::new(
            range.start - s.base,
            (range.end - s.base).min(s.text.len() as u32),
        );
        Some((s, local))
    }

    /// The text `range` covers, or `""`.
    pub fn text(&self, range: TextRange) -> &str {
        self.locate(range).map_or("", |(s, r)| r.slice(&s.text))
    }
}
