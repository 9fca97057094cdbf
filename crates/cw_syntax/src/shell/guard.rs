//! Inputs brush-parser 0.4 must not see. Its tokenizer loops forever (allocating until the process
//! dies) or panics on some scripts that open a here-document and leave a quote or an expansion
//! unterminated (`<<E $(a)"\n$[\nE`, `esac<<E$[if$(`). Such scripts are wrong anyway; they are
//! caught here first.

/// Whether the script has `<<` and leaves a quote, an expansion, a subshell or a here-document body
/// unterminated. Scripts without `<<` are not checked: brush handles their errors.
pub(super) fn unterminated_with_heredoc(text: &str) -> bool {
    if !has_heredoc_operator(text) {
        return false;
    }
    !Scanner::default().balanced(text.as_bytes())
}

/// `<<` anywhere (escapes and here-strings included: `\<<<` is `\<` and a here-document).
fn has_heredoc_operator(text: &str) -> bool {
    text.contains("<<")
}

#[derive(Default)]
struct Scanner {
    /// The closers expected, innermost last: `'`, `"`, `` ` ``, `)`, `]`, `}`.
    stack: Vec<u8>,
    /// Delimiters of here-documents whose bodies start at the next newline, with their `<<-` flag.
    pending: Vec<(Vec<u8>, bool)>,
}

impl Scanner {
    fn balanced(&mut self, bytes: &[u8]) -> bool {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let top = self.stack.last().copied();
            if top == Some(b'\'') {
                if b == b'\'' {
                    self.stack.pop();
                }
                i += 1;
                continue;
            }
            if b == b'\\' {
                i += 2;
                continue;
            }
            let code = matches!(top, None | Some(b')' | b'`'));
            match b {
                b'"' if top == Some(b'"') => {
                    self.stack.pop();
                }
                b'`' if top == Some(b'`') => {
                    self.stack.pop();
                }
                b'"' | b'`' => self.stack.push(b),
                b'\'' if top != Some(b'"') => self.stack.push(b),
                b'$' => match bytes.get(i + 1) {
                    Some(b'(') => {
                        self.stack.push(b')');
                        i += 1;
                    }
                    Some(b'[') => {
                        self.stack.push(b']');
                        i += 1;
                    }
                    Some(b'{') => {
                        self.stack.push(b'}');
                        i += 1;
                    }
                    _ => {}
                },
                b'(' if code => self.stack.push(b')'),
                b')' | b']' | b'}' if top == Some(b) => {
                    self.stack.pop();
                }
                b'#' if code && (i == 0 || bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b';') => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'<' if code && bytes.get(i + 1) == Some(&b'<') && bytes.get(i + 2) != Some(&b'<') => {
                    i = self.heredoc_operator(bytes, i + 2);
                    continue;
                }
                b'<' if bytes.get(i + 1) == Some(&b'<') => {
                    // `<<<`: a here-string.
                    i += 3;
                    continue;
                }
                b'\n' if code && !self.pending.is_empty() => {
                    match self.skip_bodies(bytes, i + 1) {
                        Some(next) => i = next,
                        None => return false,
                    }
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        self.stack.is_empty() && self.pending.is_empty()
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
                Some(_) => word.push(b),
                None if b == b'\'' || b == b'"' => quote = Some(b),
                None if b == b'\\' => {}
                None if b" \t\n;&|<>()".contains(&b) => break,
                None => word.push(b),
            }
            i += 1;
        }
        if quote.is_some() || word.is_empty() {
            // No delimiter, or an unterminated quote in it: never balanced.
            self.stack.push(b'\'');
            return bytes.len();
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
                    return None;
                }
                let end = bytes[i..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| i + p);
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

#[cfg(test)]
mod tests {
    use super::unterminated_with_heredoc;

    #[test]
    fn flags_unterminated_scripts_with_heredocs() {
        for bad in [
            "<<E $(a)\"\n$[\nE\n",
            "esac<<E$[if$( ; \t",
            "<<-E\"a}$(\t>#case*then",
            "&&{<<$(( |()$((",
            "cat <<EOF\nno end\n",
            "cat <<EOF ${x\nEOF\n",
        ] {
            assert!(unterminated_with_heredoc(bad), "{bad:?}");
        }
        for good in [
            "cat <<EOF > /f\nit's \"odd\" $(\nEOF\necho done",
            "cat <<-'EOF' | sh\n\techo $(date)\n\tEOF\n",
            "a <<A b <<B\nx\nA\ny\nB\n",
            "echo 'unterminated",
            "x=$(cat <<EOF\nhi\nEOF\n)",
            "cat <<< \"$x\"",
        ] {
            assert!(!unterminated_with_heredoc(good), "{good:?}");
        }
    }
}
