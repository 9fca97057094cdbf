//! Physical lines and the logical line buffer: the only places that touch raw file offsets.

/// One physical line. `start..end` is its content without the terminator (`\n` and any `\r` before it,
/// as BuildKit trims both); `next` is where the following line starts.
#[derive(Clone, Copy, Debug)]
pub(super) struct Line {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) next: usize,
}

/// The line starting at `pos` (a char boundary: 0, after the BOM, or after a `\n`), if any.
pub(super) fn line_at(src: &str, pos: usize) -> Option<Line> {
    let rest = src.get(pos..).filter(|r| !r.is_empty())?;
    let (mut end, next) = match rest.find('\n') {
        Some(i) => (pos + i, pos + i + 1),
        None => (src.len(), src.len()),
    };
    let bytes = src.as_bytes();
    while end > pos && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    Some(Line {
        start: pos,
        end,
        next,
    })
}

/// The first byte of `src[from..to]` that is not Unicode white space (as Go's `unicode.IsSpace`).
pub(super) fn skip_ws(src: &str, from: usize, to: usize) -> usize {
    to - src[from..to].trim_start().len()
}

/// The logical line of one instruction: continuation lines joined, comment and empty lines dropped.
/// `offsets[i]` is the file offset of `text` byte `i`; a last entry holds the end of the last segment.
#[derive(Debug, Default)]
pub(super) struct Logical {
    pub(super) text: String,
    pub(super) offsets: Vec<u32>,
}

impl Logical {
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.offsets.clear();
    }

    /// Appends `src[start..end]`.
    pub(super) fn push(&mut self, src: &str, start: usize, end: usize) {
        self.text.push_str(&src[start..end]);
        self.offsets.extend(start as u32..end as u32);
    }

    /// Closes the buffer with the sentinel offset `end`.
    pub(super) fn seal(&mut self, end: usize) {
        self.offsets.push(end as u32);
    }
}

/// When `src[start..end]` ends with the escape character followed only by spaces or tabs, and that
/// escape character is not itself escaped, the end of the content before it (BuildKit's
/// `([^\\])\\[ \t]*$|^\\[ \t]*$`).
pub(super) fn continuation(src: &str, start: usize, end: usize, escape: u8) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut i = end;
    while i > start && matches!(bytes[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i == start || bytes[i - 1] != escape {
        return None;
    }
    let at = i - 1;
    (at == start || bytes[at - 1] != escape).then_some(at)
}

/// ASCII white space as BuildKit's `[\t\v\f\r ]` (instruction keyword separator).
pub(super) const fn is_sep(b: u8) -> bool {
    matches!(b, b'\t' | 0x0b | 0x0c | b'\r' | b' ')
}
