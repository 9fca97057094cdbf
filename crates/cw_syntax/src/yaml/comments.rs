//! YAML comments. saphyr does not report them, so the source is scanned: a `#` at the start of a
//! line or after a blank starts a comment that runs to the end of the line, unless it is inside a
//! quoted or block scalar (the parser gives those ranges). A plain scalar cannot hold ` #`, so
//! this is exact for text that parses. After a syntax error, quoted scalars the parser did not
//! reach are not known, and a ` #` inside one is taken for a comment.

use cw_diagnostics::TextRange;

/// Comment ranges (`#` to the end of the line, line break excluded), in order. `verbatim` holds
/// the ranges of quoted and block scalar text, in source order.
pub(super) fn yaml_comments(text: &str, verbatim: &[TextRange]) -> Vec<TextRange> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut verbatim = verbatim.iter().peekable();
    let mut pos = 0;
    while let Some(found) = text[pos..].find('#') {
        let at = pos + found;
        let starts_comment = at == 0
            || matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r')
            || text[..at] == *"\u{feff}";
        while verbatim.next_if(|r| r.end as usize <= at).is_some() {}
        let quoted = verbatim.peek().is_some_and(|r| r.start as usize <= at);
        if !starts_comment || quoted {
            pos = at + 1;
            continue;
        }
        let mut end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        if end > at && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        comments.push(TextRange::from_usize(at, end));
        pos = end;
    }
    comments
}
