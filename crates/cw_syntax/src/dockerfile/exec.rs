//! Exec form: the arguments are exec form exactly when they are a valid JSON array (Go's
//! `encoding/json`), and an error when that array holds anything but strings. `["a", 'b']` is not JSON,
//! so it is shell form, as in Docker.

/// The outcome of reading the arguments as JSON.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Json {
    /// A JSON array of strings: each value with the byte range of its literal (quotes included).
    Strings(Vec<(String, usize, usize)>),
    /// Valid JSON array with an element that is not a string (a Docker error).
    NotStrings,
    /// Not a JSON array: shell form.
    Invalid,
}

/// Reads `text` (already trimmed) as a JSON array of strings.
pub(super) fn parse(text: &str) -> Json {
    if !text.starts_with('[') {
        return Json::Invalid;
    }
    let mut r = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 1,
    };
    let mut items = Vec::new();
    let mut all_strings = true;
    r.ws();
    if r.eat(b']') {
        return r.finish(Json::Strings(items));
    }
    loop {
        r.ws();
        let start = r.pos;
        if r.peek() == Some(b'"') {
            let Some(s) = r.string() else {
                return Json::Invalid;
            };
            items.push((s, start, r.pos));
        } else {
            if !r.value(0) {
                return Json::Invalid;
            }
            all_strings = false;
        }
        r.ws();
        if r.eat(b']') {
            break;
        }
        if !r.eat(b',') {
            return Json::Invalid;
        }
    }
    r.finish(if all_strings {
        Json::Strings(items)
    } else {
        Json::NotStrings
    })
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

/// Nesting limit for arrays and objects inside the array (Go allows 10000; Dockerfiles need none).
const MAX_DEPTH: usize = 64;

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn finish(mut self, result: Json) -> Json {
        self.ws();
        if self.pos == self.bytes.len() {
            result
        } else {
            Json::Invalid
        }
    }

    /// Any JSON value; false when invalid.
    fn value(&mut self, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match self.peek() {
            Some(b'"') => self.string().is_some(),
            Some(b'[') => self.container(b']', depth, Reader::value),
            Some(b'{') => self.container(b'}', depth, |r, d| {
                r.string().is_some()
                    && {
                        r.ws();
                        r.eat(b':')
                    }
                    && {
                        r.ws();
                        r.value(d)
                    }
            }),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => false,
        }
    }

    fn container(
        &mut self,
        close: u8,
        depth: usize,
        mut element: impl FnMut(&mut Self, usize) -> bool,
    ) -> bool {
        self.pos += 1;
        self.ws();
        if self.eat(close) {
            return true;
        }
        loop {
            self.ws();
            if !element(self, depth + 1) {
                return false;
            }
            self.ws();
            if self.eat(close) {
                return true;
            }
            if !self.eat(b',') {
                return false;
            }
        }
    }

    fn literal(&mut self, word: &str) -> bool {
        let hit = self.bytes[self.pos..].starts_with(word.as_bytes());
        if hit {
            self.pos += word.len();
        }
        hit
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> bool {
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return false,
        }
        if self.eat(b'.') && self.digits() == 0 {
            return false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return false;
            }
        }
        true
    }

    /// A string literal at `pos` (which holds `"`), decoded.
    fn string(&mut self) -> Option<String> {
        if !self.eat(b'"') {
            return None;
        }
        let mut out = String::new();
        loop {
            let start = self.pos;
            while self
                .peek()
                .is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.pos += 1;
            }
            out.push_str(&self.text[start..self.pos]);
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let c = match self.peek()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            self.pos += 1;
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        _ => return None,
                    };
                    self.pos += 1;
                    out.push(c);
                }
                // A control character inside a string is invalid JSON.
                _ => return None,
            }
        }
    }

    /// After `\u`: four hex digits, combined with a following `\uDC00..` low surrogate when this is a
    /// high one. Lone surrogates decode to U+FFFD, as Go does.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if !(0xd800..0xe000).contains(&first) {
            return char::from_u32(first);
        }
        if first < 0xdc00 && self.bytes[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            match self.hex4() {
                Some(low @ 0xdc00..0xe000) => {
                    return char::from_u32(0x10000 + ((first - 0xd800) << 10) + (low - 0xdc00));
                }
                Some(_) => self.pos = save,
                None => return None,
            }
        }
        Some(char::REPLACEMENT_CHARACTER)
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4)?;
        let mut v = 0;
        for &d in digits {
            v = v * 16 + char::from(d).to_digit(16)?;
        }
        self.pos += 4;
        Some(v)
    }
}
