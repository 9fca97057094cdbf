//! Inputs brush-parser 0.4 must not see. On scripts that leave something open it can:
//! - loop forever, allocating until the process dies, or panic (`<<E $(a)"\n$[\nE`,
//!   `esac<<E$[if$(`): a here-document with a quote or an expansion left open;
//! - take exponential time (`if((((((((((((((((((((((((>`: 25 unclosed parentheses, 13 s);
//! - panic on a file descriptor number that does not fit in an `i32` (`99999999999>x`).
//!
//! A here-document also must not be pending while a quote or an expansion opened after its `<<`
//! spans a newline (`cat <<EOF "a\nb" ...`): bash allows it, brush's tokenizer can panic on it.
//!
//! Such scripts are wrong anyway (brush would reject them), so they are caught here first, with a
//! scan that knows quotes, expansions, comments, arithmetic and here-document bodies.

/// Why the script is not handed to brush-parser: something is left open, or a redirection's file
/// descriptor number does not fit in an `i32` (brush unwraps its parse).
pub(super) fn rejected(text: &str) -> Option<&'static str> {
    if fd_overflow(text.as_bytes()) {
        return Some("file descriptor number out of range");
    }
    let mut scanner = Scanner::default();
    if scanner.balanced(text.as_bytes()) {
        None
    } else if scanner.pending.is_empty() && scanner.open_heredoc {
        Some("unterminated here-document")
    } else {
        Some("unterminated quote, expansion or parenthesis")
    }
}

/// What closes the innermost open construct.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Open {
    /// `'...'`
    Single,
    /// `$'...'`, where `\` escapes.
    AnsiC,
    /// `"..."`
    Double,
    /// `` `...` ``
    Backtick,
    /// `(`, `$(`: commands until `)`.
    Paren,
    /// `((`, `$((`, and parentheses inside them: arithmetic until `)`.
    Arith,
    /// `$[`
    Bracket,
    /// `${`
    Brace,
}

#[derive(Default)]
struct Scanner {
    stack: Vec<Open>,
    /// Delimiters of here-documents whose bodies start at the next newline, with their `<<-` flag.
    pending: Vec<(Vec<u8>, bool)>,
    /// How deep in `stack` the pending here-documents were opened.
    pending_depth: usize,
    /// A here-document without its closing line, or without a delimiter.
    open_heredoc: bool,
}

/// Bytes after which a `#` starts a comment.
fn comment_may_start(before: Option<&u8>) -> bool {
    // Blanks are space and tab only: for the shell `\r` is part of a word.
    before.is_none_or(|b| matches!(b, b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')'))
}

impl Scanner {
    fn balanced(&mut self, bytes: &[u8]) -> bool {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let top = self.stack.last().copied();
            if b == b'\n' && !self.pending.is_empty() && self.stack.len() != self.pending_depth {
                // Something opened after `<<` spans the line: see the module docs.
                return false;
            }
            match top {
                Some(Open::Single) => {
                    if b == b'\'' {
                        self.stack.pop();
                    }
                    i += 1;
                    continue;
                }
                Some(Open::AnsiC) => {
                    match b {
                        b'\\' => i += 1,
                        b'\'' => {
                            self.stack.pop();
                        }
                        _ => {}
                    }
                    i += 1;
                    continue;
                }
                _ => {}
            }
            if b == b'\\' {
                i += 2;
                continue;
            }
            let code = matches!(top, None | Some(Open::Paren | Open::Backtick));
            let step = match b {
                b'"' if top == Some(Open::Double) => self.pop(),
                b'`' if top == Some(Open::Backtick) => self.pop(),
                b'"' => self.push(Open::Double, 1),
                b'`' => self.push(Open::Backtick, 1),
                b'\'' if top != Some(Open::Double) => self.push(Open::Single, 1),
                b'$' => match bytes.get(i + 1) {
                    Some(b'(') if bytes.get(i + 2) == Some(&b'(') => {
                        self.stack.push(Open::Arith);
                        self.push(Open::Arith, 3)
                    }
                    Some(b'(') => self.push(Open::Paren, 2),
                    Some(b'[') => self.push(Open::Bracket, 2),
                    Some(b'{') => self.push(Open::Brace, 2),
                    Some(b'\'') if top != Some(Open::Double) => self.push(Open::AnsiC, 2),
                    _ => 1,
                },
                b'(' if top == Some(Open::Arith) => self.push(Open::Arith, 1),
                b'(' if code && bytes.get(i + 1) == Some(&b'(') => {
                    self.stack.push(Open::Arith);
                    self.push(Open::Arith, 2)
                }
                b'(' if code => self.push(Open::Paren, 1),
                b')' if matches!(top, Some(Open::Paren | Open::Arith)) => self.pop(),
                b']' if top == Some(Open::Bracket) => self.pop(),
                b'}' if top == Some(Open::Brace) => self.pop(),
                b'#' if code && comment_may_start(i.checked_sub(1).and_then(|j| bytes.get(j))) => {
                    bytes[i..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .unwrap_or(bytes.len() - i)
                }
                b'<' if bytes.get(i + 1) == Some(&b'<') && bytes.get(i + 2) == Some(&b'<') => 3,
                b'<' if code && bytes.get(i + 1) == Some(&b'<') => {
                    let next = self.heredoc_operator(bytes, i + 2);
                    next - i
                }
                b'\n' if code && !self.pending.is_empty() => match self.skip_bodies(bytes, i + 1) {
                    Some(next) => next - i,
                    None => return false,
                },
                _ => 1,
            };
            i += step;
        }
        self.stack.is_empty() && self.pending.is_empty() && !self.open_heredoc
    }

    fn push(&mut self, open: Open, step: usize) -> usize {
        self.stack.push(open);
        step
    }

    fn pop(&mut self) -> usize {
        self.stack.pop();
        1
    }

    /// After `<<`: records the delimiter word; returns where scanning goes on.
    fn heredoc_operator(&mut self, bytes: &[u8], mut i: usize) -> usize {
        let strip = bytes.get(i) == Some(&b'-');
        if strip {
            i += 1;
        }
        while matches!(bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        let mut word = Vec::new();
        let mut quote = None;
        while let Some(&b) = bytes.get(i) {
            match quote {
                Some(q) if b == q => quote = None,
                None if b == b'\'' || b == b'"' => quote = Some(b),
                None if b == b'\\' => {}
                None if b" \t\n;&|<>()".contains(&b) => break,
                Some(_) | None => word.push(b),
            }
            i += 1;
        }
        if quote.is_some() || word.is_empty() {
            self.open_heredoc = true;
            return bytes.len();
        }
        if self.pending.is_empty() {
            self.pending_depth = self.stack.len();
        }
        self.pending.push((word, strip));
        i
    }

    /// Skips the bodies of the pending here-documents from line start `i`; `None` when one has no
    /// closing line.
    fn skip_bodies(&mut self, bytes: &[u8], mut i: usize) -> Option<usize> {
        for (delimiter, strip) in std::mem::take(&mut self.pending) {
            loop {
                if i >= bytes.len() {
                    self.open_heredoc = true;
                    return None;
                }
                let end = bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |p| i + p);
                let mut line = &bytes[i..end];
                if strip {
                    while line.first() == Some(&b'\t') {
                        line = &line[1..];
                    }
                }
                i = end + 1;
                if line == delimiter.as_slice() {
                    break;
                }
            }
        }
        Some(i)
    }
}

/// A run of digits right before `<` or `>` (an `IoNumber`) that does not fit in an `i32`.
fn fd_overflow(bytes: &[u8]) -> bool {
    let mut run = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_digit() {
            run += 1;
            continue;
        }
        if run >= 10 && (b == b'<' || b == b'>') {
            let digits = std::str::from_utf8(&bytes[i - run..i]).unwrap_or("");
            if digits.parse::<i32>().is_err() {
                return true;
            }
        }
        run = 0;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::rejected as unterminated;

    #[test]
    fn flags_scripts_brush_must_not_see() {
        for bad in [
            "<<E $(a)\"\n$[\nE\n",
            "esac<<E$[if$( ; \t",
            "<<-E\"a}$(\t>#case*then",
            "&&{<<$(( |()$((",
            "><<\r>#",
            "cat <<EOF\nno end\n",
            "cat <<EOF ${x\nEOF\n",
            "if((((((((((((((((((((((((>\0?\0",
            "((((((((((((((((((((((((((a",
            "echo $(cat",
            "echo 'x",
            "cat <<EOF > /f echo \"a\nb\"\nbody\nEOF\n",
            "00011004040000110040000>\0>",
            "2147483648>x",
            "6\r#\r<<\r;",
        ] {
            assert!(unterminated(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn accepts_valid_scripts() {
        for good in [
            "cat <<EOF > /f\nit's \"odd\" $( (\nEOF\necho done",
            "cat <<-'EOF' | sh\n\techo $(date)\n\tEOF\n",
            "a <<A b <<B\nx\nA\ny\nB\n",
            "x=$(cat <<EOF\nhi\nEOF\n)",
            "cat <<< \"$x\"",
            "echo $((1 << 2)) $(( (1 + 2) * 3 )) $[1+2]",
            "case $x in a) echo a;; (b) echo b;; *) echo;; esac",
            "y=$(case $x in a) echo a;; esac)",
            "echo ${#arr[@]} ${x:-'a b'} $# a#b",
            "(# comment with ' quote\necho)",
            "echo $'it\\'s' \"$(echo \"a\")\" `date`",
            "arr=(1 2 3); f() { echo \"${arr[0]}\"; }; [[ x =~ (a|b) ]] && diff <(a) >(b)",
            "echo # trailing ' comment",
            "for ((i = 0; i < 3; i++)); do echo $i; done",
            "echo 2147483647>x 12345678901 > y",
            "cat <<EOF && echo \"one line\"\nbody\nEOF\n",
        ] {
            assert_eq!(unterminated(good), None, "{good:?}");
        }
    }
}
