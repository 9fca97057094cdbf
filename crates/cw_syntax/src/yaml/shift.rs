//! Moving a parsed file into a larger address space.
//!
//! A scan that looks at objects from several files at once (a Kustomize render, the cross-object
//! Kubernetes rules) gives every file a base offset in one virtual address space, so that a range
//! alone tells which file and where. [`YamlFile::shift`] moves every range of a parsed file by its base.

use cw_diagnostics::TextRange;

use super::{Document, Entry, Node, Value, YamlFile};

fn moved(r: TextRange, by: u32) -> TextRange {
    TextRange::new(r.start.saturating_add(by), r.end.saturating_add(by))
}

impl Node {
    /// Adds `by` to every range of this node and its descendants.
    pub fn shift(&mut self, by: u32) {
        if by == 0 {
            return;
        }
        let mut stack: Vec<&mut Node> = vec![self];
        while let Some(node) = stack.pop() {
            node.range = moved(node.range, by);
            node.alias = node.alias.map(|a| moved(a, by));
            match &mut node.value {
                Value::Scalar(_) => {}
                Value::Seq(items) => stack.extend(items.iter_mut()),
                Value::Map(entries) => {
                    for Entry { key, value } in entries.iter_mut() {
                        stack.push(key);
                        stack.push(value);
                    }
                }
            }
        }
    }
}

impl YamlFile {
    /// Adds `by` to every range of the file: nodes, documents, errors, duplicate keys, comments.
    pub fn shift(&mut self, by: u32) {
        if by == 0 {
            return;
        }
        for Document { root, range } in &mut self.documents {
            root.shift(by);
            *range = moved(*range, by);
        }
        for e in &mut self.errors {
            e.range = moved(e.range, by);
        }
        for d in &mut self.duplicate_keys {
            d.first = moved(d.first, by);
            d.duplicate = moved(d.duplicate, by);
        }
        for c in &mut self.comments {
            *c = moved(*c, by);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_yaml;

    #[test]
    fn every_range_moves() {
        let text = "# c\na: &x [1, {b: 2}]\nc: *x\na: 3\n";
        let base = parse_yaml(text);
        let mut shifted = base.clone();
        shifted.shift(1000);
        let root = &shifted.documents[0].root;
        let c = root.get("c").expect("c");
        assert_eq!(
            c.alias.map(|a| a.start),
            base.documents[0]
                .root
                .get("c")
                .and_then(|n| n.alias)
                .map(|a| a.start + 1000)
        );
        assert_eq!(shifted.comments[0].start, 1000);
        assert_eq!(
            shifted.duplicate_keys[0].duplicate.start,
            base.duplicate_keys[0].duplicate.start + 1000
        );
        let inner = root
            .get("c")
            .and_then(|n| n.items().get(1))
            .and_then(|n| n.get("b"))
            .expect("b");
        assert_eq!(
            inner.range.slice(&format!("{}{text}", " ".repeat(1000))),
            "2"
        );
    }
}
