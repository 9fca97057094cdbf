//! The text handed to brush-parser, and the way back from its positions to file offsets.
//!
//! brush-parser counts positions in characters, and miscounts them after a backslash-newline
//! (notes/crates.md §3.3, gotcha 2). So backslash-newlines are removed first (as the shell itself
//! does, outside single quotes and comments), `\r\n` becomes `\n`, and each byte keeps its file offset.

use std::borrow::Cow;

use cw_diagnostics::TextRange;

/// An offset that marks a byte of the text that is not in the file (added by the caller, such as the
/// newline between a RUN line and its heredoc bodies).
pub const SYNTHETIC: u32 = u32::MAX;

pub(super) struct Source<'a> {
    pub(super) text: Cow<'a, str>,
    offsets: Cow<'a, [u32]>,
    /// Byte index of every char, plus the end, when the text is not ASCII (brush counts chars).
    char_bytes: Option<Vec<u32>>,
}

impl<'a> Source<'a> {
    pub(super) fn new(text: &'a str, offsets: &'a [u32]) -> Self {
        let (text, offsets) = if text.contains("\\\n") || text.contains('\r') {
            let (t, o) = join_lines(text, offsets);
            (Cow::Owned(t), Cow::Owned(o))
        } else {
            (Cow::Borrowed(text), Cow::Borrowed(offsets))
        };
        let char_bytes = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(i, _)| i as u32)
                .chain(std::iter::once(text.len() as u32))
                .collect()
        });
        Source {
            text,
            offsets,
            char_bytes,
        }
    }

    /// The byte index in `text` of brush's char index `index` (clamped to the text).
    pub(super) fn byte_of_char(&self, index: usize) -> usize {
        match &self.char_bytes {
            Some(table) => table.get(index).or(table.last()).map_or(0, |&b| b as usize),
            None => index.min(self.text.len()),
        }
    }

    /// The file offset of `text` byte `i` (the last known one past the end).
    pub(super) fn offset(&self, i: usize) -> u32 {
        self.offsets
            .get(i)
            .or(self.offsets.last())
            .copied()
            .unwrap_or(0)
    }

    /// The file range of `text[start..end]`. Bytes that are not in the file ([`SYNTHETIC`]) are left
    /// out; a range of only such bytes is empty, after the last file byte before it.
    pub(super) fn file_range(&self, start: usize, end: usize) -> TextRange {
        let real = |i: &usize| self.offset(*i) != SYNTHETIC;
        if let (Some(first), Some(last)) = ((start..end).find(real), (start..end).rev().find(real))
        {
            let s = self.offset(first);
            return TextRange::new(s, (self.offset(last) + 1).max(s));
        }
        let at = (0..start)
            .rev()
            .find(real)
            .map_or(0, |i| self.offset(i) + 1);
        TextRange::empty(at)
    }

    /// The file offsets of `text[start..end]`, one per byte.
    pub(super) fn offsets_of(&self, start: usize, end: usize) -> Vec<u32> {
        (start..end).map(|i| self.offset(i)).collect()
    }
}

/// Removes backslash-newlines outside single quotes and comments, and `\r` before `\n`.
fn join_lines(text: &str, offsets: &[u32]) -> (String, Vec<u32>) {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut offs = Vec::with_capacity(bytes.len() + 1);
    let off = |i: usize| offsets.get(i).or(offsets.last()).copied().unwrap_or(0);
    let (mut single, mut double, mut comment) = (false, false, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let skip = match b {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => 1,
            b'\\' if !single && !comment => match bytes.get(i + 1) {
                Some(b'\n') => 2,
                Some(b'\r') if bytes.get(i + 2) == Some(&b'\n') => 3,
                Some(_) => {
                    // An escaped character: copy both bytes, the second cannot open a quote.
                    out.extend_from_slice(&bytes[i..i + 2]);
                    offs.extend([off(i), off(i + 1)]);
                    i += 2;
                    continue;
                }
                None => 0,
            },
            _ => 0,
        };
        if skip > 0 {
            i += skip;
            continue;
        }
        match b {
            b'\n' => comment = false,
            b'\'' if !double && !comment => single = !single,
            b'"' if !single && !comment => double = !double,
            b'#' if !single && !double && at_word_start(&out) => comment = true,
            _ => {}
        }
        out.push(b);
        offs.push(off(i));
        i += 1;
    }
    offs.push(off(bytes.len()));
    // Only whole ASCII sequences were removed, so the bytes are still UTF-8.
    let text = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (text, offs)
}

fn at_word_start(out: &[u8]) -> bool {
    out.last()
        .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b';' | b'&' | b'|' | b'(' | b')'))
}
