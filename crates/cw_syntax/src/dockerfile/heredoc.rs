//! Heredoc markers on an instruction line (`<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<'EOF'`), as BuildKit finds
//! them: every word of the line matching `^(\d*)<<(-?)\s*([^<]*)$` with a non-empty delimiter.

use super::words::{split_raw, unquote};

#[derive(Debug, PartialEq, Eq)]
pub(super) struct Marker {
    pub(super) delimiter: String,
    pub(super) quoted: bool,
    pub(super) strip_tabs: bool,
    /// Byte range of the marker word in the line.
    pub(super) range: (usize, usize),
}

/// Every heredoc marker in `text`, in order. BuildKit splits the line with `\` as escape, whatever the
/// escape directive says.
pub(super) fn markers(text: &str) -> Vec<Marker> {
    if !text.contains("<<") {
        return Vec::new();
    }
    split_raw(text, b'\\')
        .filter_map(|(s, e)| {
            marker(&text[s..e]).map(|(delimiter, quoted, strip_tabs)| Marker {
                delimiter,
                quoted,
                strip_tabs,
                range: (s, e),
            })
        })
        .collect()
}

/// `(delimiter, quoted, strip_tabs)` when `word` is a heredoc marker.
pub(super) fn marker(word: &str) -> Option<(String, bool, bool)> {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix("<<")?;
    let (strip_tabs, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.trim_start_matches(['\t', '\n', '\x0c', '\r', ' ']);
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let delimiter = unquote(rest, b'\\');
    if delimiter.is_empty() {
        return None;
    }
    let quotes = |s: &str| s.bytes().filter(|&b| b == b'\'' || b == b'"').count();
    let quoted = quotes(rest) != quotes(&delimiter);
    Some((delimiter, quoted, strip_tabs))
}
