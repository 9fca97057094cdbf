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
    let bytes = src.as_bytes();
    if pos >= bytes.len() {
        return None;
    }
    let (mut end, next) = match find_newline(&bytes[pos..]) {
        Some(i) => (pos + i, pos + i + 1),
        None => (src.len(), src.len()),
    };
    while end > pos && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    Some(Line {
        start: pos,
        end,
        next,
    })
}

/// The index of the first `\n`, eight bytes at a time (lines are short: a call to `memchr` costs
/// more than it saves).
fn find_newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const NEWLINES: u64 = ONES * b'\n' as u64;
    let mut chunks = bytes.chunks_exact(8);
    for (n, chunk) in chunks.by_ref().enumerate() {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])) ^ NEWLINES;
        let zero = word.wrapping_sub(ONES) & !word & HIGHS;
        if zero != 0 {
            return Some(n * 8 + (zero.trailing_zeros() / 8) as usize);
        }
    }
    let tail = chunks.remainder();
    let base = bytes.len() - tail.len();
    tail.iter().position(|&b| b == b'\n').map(|i| base + i)
}

/// The first byte of `src[from..to]` that is not Unicode white space (as Go's `unicode.IsSpace`).
pub(super) fn skip_ws(src: &str, from: usize, to: usize) -> usize {
    let bytes = src.as_bytes();
    let mut i = from;
    while i < to && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    if i < to && bytes[i] >= 0x80 {
        return to - src[i..to].trim_start().len();
    }
    i
}

/// The logical line of one instruction: continuation lines joined, comment and empty lines dropped.
#[derive(Debug)]
pub(super) struct Logical {
    pub(super) text: String,
    /// `(text start, file start)` of each joined piece, in order.
    pub(super) segments: Vec<(u32, u32)>,
}

impl Default for Logical {
    fn default() -> Self {
        Logical {
            text: String::with_capacity(512),
            segments: Vec::with_capacity(16),
        }
    }
}

impl Logical {
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.segments.clear();
    }

    /// Appends `src[start..end]`.
    pub(super) fn push(&mut self, src: &str, start: usize, end: usize) {
        self.segments.push((self.text.len() as u32, start as u32));
        self.text.push_str(&src[start..end]);
    }
}

/// Where the bytes of a logical line sit in the file.
#[derive(Clone, Copy, Debug)]
pub(super) enum Offsets<'a> {
    /// One physical line: byte `i` is at `base + i`.
    Contiguous(u32),
    /// Joined lines: byte `i` is at the file offset of `skip + i` in these segments.
    Segments(&'a [(u32, u32)], u32),
}

impl Offsets<'_> {
    pub(super) fn at(self, i: usize) -> u32 {
        match self {
            Offsets::Contiguous(base) => base + i as u32,
            Offsets::Segments(segments, skip) => {
                let i = skip + i as u32;
                let n = segments.partition_point(|&(t, _)| t <= i).max(1);
                let (t, f) = segments[n - 1];
                f + (i - t)
            }
        }
    }

    /// The offsets of the line from byte `n` on.
    #[must_use]
    pub(super) fn skip(self, n: usize) -> Self {
        match self {
            Offsets::Contiguous(base) => Offsets::Contiguous(base + n as u32),
            Offsets::Segments(segments, skip) => Offsets::Segments(segments, skip + n as u32),
        }
    }

    /// Appends the offsets of bytes `start..end` to `out`.
    pub(super) fn extend_into(self, out: &mut Vec<u32>, start: usize, end: usize) {
        match self {
            Offsets::Contiguous(base) => out.extend(base + start as u32..base + end as u32),
            Offsets::Segments(segments, skip) => {
                let (start, end) = (skip + start as u32, skip + end as u32);
                for (n, &(t, f)) in segments.iter().enumerate() {
                    let next = segments.get(n + 1).map_or(u32::MAX, |s| s.0);
                    let (s, e) = (start.max(t), end.min(next));
                    if s < e {
                        out.extend(f + (s - t)..f + (e - t));
                    }
                }
            }
        }
    }

    /// The file range of bytes `start..end` of the line.
    pub(super) fn span(self, start: usize, end: usize) -> cw_diagnostics::TextRange {
        if end > start {
            cw_diagnostics::TextRange::new(self.at(start), self.at(end - 1) + 1)
        } else {
            cw_diagnostics::TextRange::empty(self.at(start))
        }
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
