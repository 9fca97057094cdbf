//! Pretty JSON written a piece at a time, byte for byte as `serde_json::to_writer_pretty` writes a
//! whole document (two-space indent), so that long arrays can be streamed.

use std::io;

use serde::Serialize;

/// The containers opened so far; the caller names each step: `open`, `key` or `element`, `value`,
/// `close`.
#[derive(Debug, Default)]
pub(crate) struct PrettyJson {
    /// Per open container, innermost last: whether it has a member yet.
    open: Vec<bool>,
}

impl PrettyJson {
    /// Opens an object (`b'{'`) or an array (`b'['`) at the current position.
    pub(crate) fn open(&mut self, out: &mut dyn io::Write, bracket: u8) -> io::Result<()> {
        self.open.push(false);
        out.write_all(&[bracket])
    }

    /// Closes the innermost container with `b'}'` or `b']'`.
    pub(crate) fn close(&mut self, out: &mut dyn io::Write, bracket: u8) -> io::Result<()> {
        if self.open.pop().expect("invariant: a container is open") {
            newline(out, self.open.len())?;
        }
        out.write_all(&[bracket])
    }

    /// Starts the next member of the innermost object; its value follows.
    pub(crate) fn key(&mut self, out: &mut dyn io::Write, key: &str) -> io::Result<()> {
        self.element(out)?;
        serde_json::to_writer(&mut *out, key)?;
        out.write_all(b": ")
    }

    /// Starts the next element of the innermost array; its value follows.
    pub(crate) fn element(&mut self, out: &mut dyn io::Write) -> io::Result<()> {
        let has_member = self
            .open
            .last_mut()
            .expect("invariant: a container is open");
        if std::mem::replace(has_member, true) {
            out.write_all(b",")?;
        }
        newline(out, self.open.len())
    }

    /// A whole value at the current position.
    pub(crate) fn value(&self, out: &mut dyn io::Write, value: &impl Serialize) -> io::Result<()> {
        let indented = Indented {
            out,
            depth: self.open.len(),
        };
        Ok(serde_json::to_writer_pretty(indented, value)?)
    }
}

/// A line break and the indentation of `depth` levels.
fn newline(out: &mut dyn io::Write, depth: usize) -> io::Result<()> {
    const SPACES: &[u8] = b"                                ";
    out.write_all(b"\n")?;
    let mut left = 2 * depth;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.write_all(&SPACES[..n])?;
        left -= n;
    }
    Ok(())
}

/// Indents every line after the first by `depth` levels. JSON text has line breaks only between
/// tokens (strings escape theirs), so each one starts a new line of the document.
struct Indented<'a> {
    out: &'a mut dyn io::Write,
    depth: usize,
}

impl io::Write for Indented<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut lines = buf.split(|&b| b == b'\n');
        if let Some(first) = lines.next() {
            self.out.write_all(first)?;
        }
        for line in lines {
            newline(self.out, self.depth)?;
            self.out.write_all(line)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item {
        name: &'static str,
        tags: Vec<u32>,
        empty: Vec<u32>,
    }

    #[derive(Serialize)]
    struct Doc {
        version: u32,
        items: Vec<Item>,
        after: Item,
    }

    fn item(name: &'static str) -> Item {
        Item {
            name,
            tags: vec![1, 2],
            empty: Vec::new(),
        }
    }

    /// Writes `doc` with `items` streamed.
    fn streamed(doc: &Doc) -> String {
        let mut out = Vec::new();
        let mut json = PrettyJson::default();
        let w: &mut dyn io::Write = &mut out;
        json.open(w, b'{').expect("write");
        json.key(w, "version").expect("write");
        json.value(w, &doc.version).expect("write");
        json.key(w, "items").expect("write");
        json.open(w, b'[').expect("write");
        for item in &doc.items {
            json.element(w).expect("write");
            json.value(w, item).expect("write");
        }
        json.close(w, b']').expect("write");
        json.key(w, "after").expect("write");
        json.value(w, &doc.after).expect("write");
        json.close(w, b'}').expect("write");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn streamed_json_is_serde_json_pretty_json() {
        for n in 0..3 {
            let doc = Doc {
                version: 1,
                items: ["a\nb", "c", "d"][..n].iter().map(|s| item(s)).collect(),
                after: item("e"),
            };
            let whole = serde_json::to_string_pretty(&doc).expect("serializes");
            assert_eq!(streamed(&doc), whole);
        }
    }
}
