//! Inserting `key: value` lines into block mappings for fixes, keeping indentation and comments.

use cw_diagnostics::{Edit, TextRange};
use cw_syntax::yaml::{Node, ScalarStyle, Value};

use crate::RuleCtx;

/// An edit that adds `leaf` (one `key: value` line, the value a scalar or a flow collection) at
/// `path` below the block mapping `map`. Keys of `path` that exist are entered (they must be block
/// mappings, or empty: `key:` or `key: {}`); the first missing one is created after the last entry
/// of its mapping, at the indentation of its siblings, with the rest of the path nested below it.
///
/// `insert_nested(ctx, container.node, &["securityContext", "capabilities"], "drop: [ALL]")` adds
/// `drop: [ALL]` to an existing `capabilities`, or `capabilities:` with it to an existing
/// `securityContext`, or the whole `securityContext:` block to the container.
///
/// `None` (offer no fix) when a mapping on the way is a flow mapping (`{name: app}`, JSON), an alias
/// or merge-key copy, written in another file of the unit, indented with tabs, when the leaf's key
/// is already set, or when the text after the insertion point makes the edit unsafe (a `|+` block
/// scalar that keeps trailing lines).
pub(crate) fn insert_nested(
    ctx: &RuleCtx<'_>,
    map: &Node,
    path: &[&str],
    leaf: &str,
) -> Option<Edit> {
    insert_nested_in(ctx.source(), ctx.base(), map, path, leaf)
}

/// [`insert_nested`] on `source`, which starts at `base` in the address space of the nodes' ranges.
pub(crate) fn insert_nested_in(
    source: &str,
    base: u32,
    map: &Node,
    path: &[&str],
    leaf: &str,
) -> Option<Edit> {
    let text = Source { source, base };
    let mut map = map;
    let mut rest = path;
    while let Some((first, tail)) = rest.split_first() {
        let Some(entry) = map.entry(first) else {
            break;
        };
        text.block_map(map)?;
        let child = &entry.value;
        if child.alias.is_some() || entry.key.alias.is_some() {
            return None;
        }
        if is_empty_value(child, &text) {
            let column = text.key_column(&entry.key)?;
            let step = text.indent_step(map, column);
            let lines = nested_lines(tail, leaf, column + step, step);
            return text.fill_empty(&entry.key, child, &lines);
        }
        if !child.is_map() {
            return None;
        }
        map = child;
        rest = tail;
    }
    let leaf_key = leaf.split(':').next().unwrap_or(leaf).trim();
    if rest.is_empty() && map.get(leaf_key).is_some() {
        return None;
    }
    let column = text.block_map(map)?;
    let step = text.indent_step(map, column);
    let lines = nested_lines(rest, leaf, column, step);
    text.append(map, &lines)
}

/// `path` as nested `key:` lines starting at `column`, then `leaf` one step deeper than the last.
fn nested_lines(path: &[&str], leaf: &str, column: usize, step: usize) -> Vec<String> {
    let mut lines: Vec<String> = path
        .iter()
        .enumerate()
        .map(|(i, k)| format!("{}{k}:", " ".repeat(column + i * step)))
        .collect();
    lines.push(format!("{}{leaf}", " ".repeat(column + path.len() * step)));
    lines
}

/// `key:` with nothing after it, or `key: {}`.
fn is_empty_value(node: &Node, text: &Source<'_>) -> bool {
    match &node.value {
        Value::Scalar(s) => s.style == ScalarStyle::Plain && s.text.is_empty(),
        Value::Map(entries) => entries.is_empty() && text.slice(node.range) == Some("{}"),
        Value::Seq(_) => false,
    }
}

/// The source text of one file and where it starts in the nodes' address space.
struct Source<'a> {
    source: &'a str,
    base: u32,
}

impl Source<'_> {
    /// `range` as offsets into `source`, if it lies in this file.
    fn local(&self, range: TextRange) -> Option<(usize, usize)> {
        let start = range.start.checked_sub(self.base)? as usize;
        let end = range.end.checked_sub(self.base)? as usize;
        (end <= self.source.len() && start <= end).then_some((start, end))
    }

    fn slice(&self, range: TextRange) -> Option<&str> {
        let (start, end) = self.local(range)?;
        self.source.get(start..end)
    }

    /// The column of a key that starts its line, after indentation and sequence dashes (`- name`).
    fn key_column(&self, key: &Node) -> Option<usize> {
        if key.alias.is_some() {
            return None;
        }
        let (at, _) = self.local(key.range)?;
        let line_start = self.source.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
        let prefix = self.source.get(line_start..at)?;
        if !prefix.bytes().all(|b| b == b' ' || b == b'-') {
            return None;
        }
        // A dash must be followed by a space (`- key`); `-key` would be a plain scalar.
        if prefix.contains('-') && !prefix.ends_with(' ') {
            return None;
        }
        Some(at - line_start)
    }

    /// The key column of a block mapping written in this file, whose keys all start their line at
    /// the same column and none of which comes from an alias or merge key. `None` otherwise.
    fn block_map(&self, map: &Node) -> Option<usize> {
        if map.alias.is_some() {
            return None;
        }
        let entries = map.entries();
        let first = entries.first()?;
        let (start, _) = self.local(map.range)?;
        if matches!(self.source.as_bytes().get(start), Some(b'{' | b'[')) {
            return None;
        }
        let column = self.key_column(&first.key)?;
        for e in entries {
            if e.key.alias.is_some() || self.key_column(&e.key)? != column {
                return None;
            }
            self.local(e.value.site_range())?;
        }
        Some(column)
    }

    /// The indentation step of the file near `map`: how much deeper a nested block mapping of `map`
    /// is indented than `map`'s keys (2 when `map` has none).
    fn indent_step(&self, map: &Node, column: usize) -> usize {
        map.entries()
            .iter()
            .filter(|e| e.value.is_map() && e.value.alias.is_none())
            .find_map(|e| {
                let first = e.value.entries().first()?;
                let nested = self.key_column(&first.key)?;
                nested.checked_sub(column).filter(|s| *s > 0 && *s <= 8)
            })
            .unwrap_or(2)
    }

    /// The line ending used at the line that ends at `newline` (`\r\n` or `\n`).
    fn eol(&self, newline: usize) -> &'static str {
        if newline > 0 && self.source.as_bytes().get(newline - 1) == Some(&b'\r') {
            "\r\n"
        } else {
            "\n"
        }
    }

    /// Adds `lines` after the line where the last entry of the block mapping `map` ends.
    fn append(&self, map: &Node, lines: &[String]) -> Option<Edit> {
        let last = map.entries().last()?;
        if keeps_trailing_lines(&last.value, self) {
            return None;
        }
        let end = last.key.site_range().end.max(last.value.site_range().end);
        let (end, _) = self.local(TextRange::empty(end))?;
        Some(self.after_line(end, lines))
    }

    /// An edit that puts `lines` on their own lines after the line holding offset `at` (local).
    fn after_line(&self, at: usize, lines: &[String]) -> Edit {
        let base = self.base as usize;
        let mut content = String::new();
        let Some(i) = self.source.get(at..).and_then(|s| s.find('\n')) else {
            // The last line of the file, without a line break: start a new line.
            for l in lines {
                content.push('\n');
                content.push_str(l);
            }
            return Edit::insert(u32_of(base + self.source.len()), content);
        };
        let newline = at + i;
        let eol = self.eol(newline);
        for l in lines {
            content.push_str(l);
            content.push_str(eol);
        }
        Edit::insert(u32_of(base + newline + 1), content)
    }

    /// Fills `key:` (empty) or `key: {}` with `lines` below it. A `{}` is removed; a comment after
    /// the key stays on the key's line.
    fn fill_empty(&self, key: &Node, value: &Node, lines: &[String]) -> Option<Edit> {
        let (_, key_end) = self.local(key.range)?;
        let line_end = self
            .source
            .get(key_end..)?
            .find('\n')
            .map_or(self.source.len(), |i| key_end + i);
        let after_key = self.source.get(key_end..line_end)?;
        let colon = after_key.find(':')?;
        let after_colon = after_key.get(colon + 1..)?;
        if value.is_map() {
            // `key: {}` and nothing else on the line: the braces become the block.
            if after_colon.trim_end_matches('\r').trim() != "{}" {
                return None;
            }
            let (_, value_end) = self.local(value.range)?;
            let eol = self.eol(line_end);
            let mut content = String::new();
            for l in lines {
                content.push_str(eol);
                content.push_str(l);
            }
            let from = key_end + colon + 1;
            return Some(Edit::replace(
                TextRange::from_usize(from + self.base as usize, value_end + self.base as usize),
                content,
            ));
        }
        let rest = after_colon.trim_start();
        if !(rest.trim_end_matches('\r').is_empty() || rest.starts_with('#')) {
            return None;
        }
        Some(self.after_line(key_end, lines))
    }
}

fn u32_of(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// Whether the last thing written in `node` is a block scalar with keep chomping (`|+`, `>+`), whose
/// trailing blank lines belong to it: lines inserted after it would change its value.
fn keeps_trailing_lines(node: &Node, text: &Source<'_>) -> bool {
    let mut node = node;
    loop {
        match &node.value {
            Value::Map(entries) => match entries.last() {
                Some(e) => node = &e.value,
                None => return false,
            },
            Value::Seq(items) => match items.last() {
                Some(i) => node = i,
                None => return false,
            },
            Value::Scalar(s) => {
                if !matches!(s.style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    return false;
                }
                let header = text
                    .slice(node.site_range())
                    .and_then(|t| t.lines().next())
                    .unwrap_or("+");
                let header = header.split('#').next().unwrap_or(header);
                return header.contains('+');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use cw_syntax::yaml::parse_yaml;

    use super::insert_nested_in;

    /// Applies the insertion at `path` below the node at JSON pointer `at` of the first document.
    fn insert(text: &str, at: &str, path: &[&str], leaf: &str) -> Option<String> {
        let yaml = parse_yaml(text);
        assert!(yaml.errors.is_empty(), "{:?}", yaml.errors);
        let map = yaml.documents[0].root.pointer(at).expect("node");
        let edit = insert_nested_in(text, 0, map, path, leaf)?;
        let r = edit.range.as_usize();
        let out = format!("{}{}{}", &text[..r.start], edit.content, &text[r.end..]);
        assert!(parse_yaml(&out).errors.is_empty(), "broken:\n{out}");
        Some(out)
    }

    const POD: &str = "\
spec:
  containers:
    - name: app # the app
      image: app:1
      securityContext:
        runAsUser: 1000   # keep
    - name: side
      image: side:1
  volumes: []
";

    #[test]
    fn into_existing_mapping() {
        let out = insert(
            POD,
            "/spec/containers/0",
            &["securityContext"],
            "allowPrivilegeEscalation: false",
        );
        assert_eq!(
            out.as_deref(),
            Some(
                "\
spec:
  containers:
    - name: app # the app
      image: app:1
      securityContext:
        runAsUser: 1000   # keep
        allowPrivilegeEscalation: false
    - name: side
      image: side:1
  volumes: []
"
            )
        );
    }

    #[test]
    fn creates_nested_mappings() {
        let out = insert(
            POD,
            "/spec/containers/1",
            &["securityContext", "capabilities"],
            "drop: [ALL]",
        );
        assert_eq!(
            out.as_deref(),
            Some(
                "\
spec:
  containers:
    - name: app # the app
      image: app:1
      securityContext:
        runAsUser: 1000   # keep
    - name: side
      image: side:1
      securityContext:
        capabilities:
          drop: [ALL]
  volumes: []
"
            )
        );
        let out = insert(
            POD,
            "/spec/containers/0",
            &["securityContext", "capabilities"],
            "drop: [ALL]",
        );
        assert!(out.is_some_and(|o| o.contains("        capabilities:\n          drop: [ALL]\n")));
    }

    #[test]
    fn follows_the_file_indentation() {
        let text = "spec:\n    containers:\n      - name: a\n        env:\n            X: y\n";
        let out = insert(text, "/spec/containers/0", &["securityContext"], "a: b");
        assert_eq!(
            out.as_deref(),
            Some(
                "spec:\n    containers:\n      - name: a\n        env:\n            X: y\n        securityContext:\n            a: b\n"
            )
        );
    }

    #[test]
    fn fills_empty_values() {
        let text = "c:\n  name: a\n  securityContext: # todo\n  image: x\n";
        let out = insert(text, "/c", &["securityContext"], "a: b");
        assert_eq!(
            out.as_deref(),
            Some("c:\n  name: a\n  securityContext: # todo\n    a: b\n  image: x\n")
        );
        let text = "c:\n  securityContext: {}\n  image: x\n";
        let out = insert(text, "/c", &["securityContext", "caps"], "a: b");
        assert_eq!(
            out.as_deref(),
            Some("c:\n  securityContext:\n    caps:\n      a: b\n  image: x\n")
        );
    }

    #[test]
    fn end_of_file_and_crlf() {
        let out = insert("c:\n  name: a", "/c", &[], "b: c");
        assert_eq!(out.as_deref(), Some("c:\n  name: a\n  b: c"));
        let out = insert("c:\r\n  name: a\r\nd: 1\r\n", "/c", &[], "b: c");
        assert_eq!(
            out.as_deref(),
            Some("c:\r\n  name: a\r\n  b: c\r\nd: 1\r\n")
        );
    }

    #[test]
    fn after_block_scalars() {
        let text = "c:\n  name: a\n  args:\n    - |\n      run\n\n      more\n\nd: 1\n";
        let out = insert(text, "/c", &[], "b: c");
        assert_eq!(
            out.as_deref(),
            Some("c:\n  name: a\n  args:\n    - |\n      run\n\n      more\n  b: c\n\nd: 1\n")
        );
        let text = "c:\n  name: a\n  script: |+\n    run\n\nd: 1\n";
        assert_eq!(insert(text, "/c", &[], "b: c"), None);
    }

    #[test]
    fn declines() {
        // Flow mappings, set leaves, non-mapping values, merge keys and aliases.
        assert_eq!(insert("c: {name: a}\n", "/c", &[], "b: c"), None);
        assert_eq!(
            insert(
                "c:\n  securityContext: {a: 1}\n",
                "/c",
                &["securityContext"],
                "b: c"
            ),
            None
        );
        assert_eq!(insert("c:\n  b: d\n", "/c", &[], "b: c"), None);
        assert_eq!(insert("c:\n  s: x\n", "/c", &["s"], "b: c"), None);
        assert_eq!(insert("c:\n  s: ~\n", "/c", &["s"], "b: c"), None);
        let merged = "base: &b\n  x: 1\nc:\n  <<: *b\n  y: 2\n";
        assert_eq!(insert(merged, "/c", &[], "b: c"), None);
        let alias = "base: &b\n  x: 1\nc: *b\n";
        assert_eq!(insert(alias, "/c", &[], "b: c"), None);
        assert_eq!(insert("{\"c\": {\"a\": 1}}", "/c", &[], "b: c"), None);
    }
}
