//! YAML: the spanned tree built straight from saphyr-parser events (no intermediate tree).
//!
//! Ranges. saphyr's markers count characters; they are turned into byte offsets (identity for
//! ASCII text, a table built once otherwise). A node's range covers what the node writes, without
//! its properties (`&anchor`, `!tag`), so that replacing the range keeps them:
//! - a plain scalar: its first to its last character; an empty one (`key:`) is an empty range
//!   just after the `:`;
//! - a quoted scalar: quotes included;
//! - a block scalar: from its `|` or `>` indicator to the last character of its last non-blank
//!   line (trailing line breaks and blank lines, even kept ones under `|+`, are not included);
//! - a flow collection: `[` or `{` to the matching `]` or `}`;
//! - a block collection: its first key (or first `-`) to the end of its last value, not to where
//!   the next key of the parent starts.

use std::collections::HashMap;

use cw_diagnostics::TextRange;
use saphyr_parser::{Event, Parser, ScalarStyle as Style, ScanError, Span, Tag};

use super::comments::yaml_comments;
use super::mapping::{apply_merges, remove_duplicates};
use super::{Document, Entry, Node, Scalar, ScalarStyle, Value, YamlError, YamlFile};

/// Deeper nesting stops the parse with an error (the tree's own drop and clone are recursive).
pub(super) const MAX_DEPTH: usize = 512;
/// Aliases may always copy this many nodes in a file...
const EXPANSION_FLOOR: usize = 100_000;
/// ...or ten times the nodes written in the file so far, up to this many.
const EXPANSION_CAP: usize = 1_000_000;

pub(super) fn parse(text: &str) -> YamlFile {
    let mut builder = Builder::new(text);
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        match next {
            Ok((event, span)) => {
                if !builder.event(event, span) {
                    break;
                }
            }
            Err(error) => {
                builder.scan_error(&error);
                break;
            }
        }
    }
    builder.finish()
}

/// saphyr's character indexes as byte offsets.
enum Offsets {
    /// ASCII text: a character is a byte.
    Ascii(u32),
    /// The byte offset of every character, and of the end.
    Table(Vec<u32>),
}

impl Offsets {
    fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Offsets::Ascii(text.len() as u32);
        }
        let mut table: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
        table.push(text.len() as u32);
        Offsets::Table(table)
    }

    fn byte(&self, char_index: usize) -> u32 {
        match self {
            Offsets::Ascii(len) => (char_index as u32).min(*len),
            Offsets::Table(table) => table
                .get(char_index)
                .or(table.last())
                .copied()
                .unwrap_or_default(),
        }
    }
}

/// A collection being read. Its children wait on the builder's `pending` stack, from
/// `first_child` on, so that each collection allocates its vector once, at its exact size.
struct Frame {
    map: bool,
    first_child: usize,
    anchor: usize,
    tag: Option<Box<str>>,
    /// Where the collection's content starts (properties skipped).
    start: u32,
    /// Where its properties start (for a document's range).
    props_start: u32,
    /// `[...]` or `{...}`: the end event gives the closing bracket.
    flow: bool,
    /// The end of the last child, where it is written.
    last_end: u32,
    /// Nodes in the children's subtrees.
    size: usize,
}

struct Builder<'t> {
    text: &'t str,
    bytes: &'t [u8],
    offsets: Offsets,
    stack: Vec<Frame>,
    /// Children of the open collections (for a mapping: key, value, key, value...).
    pending: Vec<Node>,
    /// The current document's root once complete, with where its properties start.
    root: Option<(Node, u32)>,
    /// Anchored nodes of the current document by saphyr's anchor id, with their size.
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes written in the source so far, and nodes copied by aliases.
    source_nodes: usize,
    copied_nodes: usize,
    expansion_stopped: bool,
    /// The end of the previous event (to find a block scalar's indicator).
    prev_end: u32,
    /// Quoted and block scalar text, where `#` does not start a comment. In source order.
    verbatim: Vec<TextRange>,
    out: YamlFile,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        Builder {
            text,
            bytes: text.as_bytes(),
            offsets: Offsets::new(text),
            stack: Vec::new(),
            pending: Vec::new(),
            root: None,
            anchors: HashMap::new(),
            source_nodes: 0,
            copied_nodes: 0,
            expansion_stopped: false,
            prev_end: 0,
            verbatim: Vec::new(),
            out: YamlFile::default(),
        }
    }

    fn finish(mut self) -> YamlFile {
        self.out.comments = yaml_comments(self.text, &self.verbatim);
        self.out
    }

    fn span(&self, span: Span) -> (u32, u32) {
        let start = self.offsets.byte(span.start.index());
        let end = self.offsets.byte(span.end.index()).max(start);
        (start, end)
    }

    fn byte_at(&self, offset: u32) -> u8 {
        self.bytes.get(offset as usize).copied().unwrap_or(0)
    }

    /// Handles one event; `false` stops the parse.
    fn event(&mut self, event: Event<'_>, span: Span) -> bool {
        let (start, end) = self.span(span);
        let go_on = match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd => true,
            Event::DocumentStart(_) => {
                self.stack.clear();
                self.pending.clear();
                self.root = None;
                self.anchors.clear();
                true
            }
            Event::DocumentEnd => {
                if let Some((root, props_start)) = self.root.take() {
                    let range = TextRange::new(props_start.min(root.range.start), root.range.end);
                    self.out.documents.push(Document { root, range });
                }
                self.anchors.clear();
                true
            }
            Event::Alias(id) => {
                self.alias(id, TextRange::new(start, end));
                true
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.scalar(text.into_owned(), style, anchor, tag.as_deref(), start, end);
                true
            }
            Event::SequenceStart(anchor, tag) => {
                self.open(false, anchor, tag.as_deref(), start, end)
            }
            Event::MappingStart(anchor, tag) => self.open(true, anchor, tag.as_deref(), start, end),
            Event::SequenceEnd | Event::MappingEnd => {
                self.close(end);
                true
            }
        };
        self.prev_end = self.prev_end.max(end);
        go_on
    }

    fn scan_error(&mut self, error: &ScanError) {
        let at = self.offsets.byte(error.marker().index());
        self.out.errors.push(YamlError {
            range: self.char_range(at),
            message: error.info().to_owned(),
        });
    }

    /// The character at byte `at` (empty at the end of the text).
    fn char_range(&self, at: u32) -> TextRange {
        let len = self
            .text
            .get(at as usize..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, |c| c.len_utf8() as u32);
        TextRange::new(at, at + len)
    }

    /// Skips `&anchor` and `!tag` properties (and the blanks and comments after them) from
    /// `start`, not past `end`.
    fn skip_props(&self, start: u32, end: u32) -> u32 {
        let mut i = start;
        while i < end {
            match self.byte_at(i) {
                b'&' | b'!' => {
                    while i < end
                        && !matches!(
                            self.byte_at(i),
                            b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
                        )
                    {
                        i += 1;
                    }
                }
                b' ' | b'\t' | b'\r' | b'\n' => i += 1,
                b'#' => {
                    while i < end && self.byte_at(i) != b'\n' {
                        i += 1;
                    }
                }
                _ => break,
            }
        }
        i.min(end)
    }

    fn scalar(
        &mut self,
        text: String,
        style: Style,
        anchor: usize,
        tag: Option<&Tag>,
        start: u32,
        end: u32,
    ) {
        self.source_nodes += 1;
        let content = if matches!(self.byte_at(start), b'&' | b'!') {
            self.skip_props(start, end)
        } else {
            start
        };
        let (range, style) = match style {
            Style::Plain if text.is_empty() => {
                // `key:` and `- `: an empty range just after the indicator.
                let at = if content == end && matches!(self.byte_at(content), b':' | b'-') {
                    content + 1
                } else {
                    content
                };
                (
                    TextRange::empty(at.min(self.text.len() as u32)),
                    ScalarStyle::Plain,
                )
            }
            Style::Plain => (TextRange::new(content, end), ScalarStyle::Plain),
            Style::SingleQuoted | Style::DoubleQuoted => {
                let range = TextRange::new(content, end);
                self.verbatim.push(range);
                let style = if style == Style::SingleQuoted {
                    ScalarStyle::SingleQuoted
                } else {
                    ScalarStyle::DoubleQuoted
                };
                (range, style)
            }
            Style::Literal | Style::Folded => {
                let range = self.block_scalar_range(content, end);
                let style = if style == Style::Literal {
                    ScalarStyle::Literal
                } else {
                    ScalarStyle::Folded
                };
                (range, style)
            }
        };
        let node = Node {
            value: Value::Scalar(Scalar { text, style }),
            range,
            tag: tag.map(tag_text),
            alias: None,
        };
        self.complete(node, anchor, 1, start);
    }

    /// From the block scalar's indicator to the end of its last non-blank line. saphyr's span
    /// starts at the content when the scalar has no properties, so the indicator is looked for
    /// after the previous event. Records the content lines as verbatim text.
    fn block_scalar_range(&mut self, content: u32, end: u32) -> TextRange {
        let indicator = if matches!(self.byte_at(content), b'|' | b'>') {
            content
        } else {
            self.find_block_indicator(self.prev_end, content)
                .unwrap_or(content)
        };
        let mut header_end = indicator;
        if matches!(self.byte_at(indicator), b'|' | b'>') {
            header_end += 1;
            while matches!(self.byte_at(header_end), b'+' | b'-' | b'0'..=b'9') {
                header_end += 1;
            }
        }
        let mut last = end;
        while last > header_end.max(content) && self.byte_at(last - 1).is_ascii_whitespace() {
            last -= 1;
        }
        let last = last.max(header_end);
        let body = self.text[header_end as usize..]
            .find('\n')
            .map_or(self.text.len() as u32, |i| header_end + i as u32 + 1);
        if body < last {
            self.verbatim.push(TextRange::new(body, last));
        }
        TextRange::new(indicator, last)
    }

    /// The first `|` or `>` in `from..to` outside comments.
    fn find_block_indicator(&self, from: u32, to: u32) -> Option<u32> {
        let mut i = from;
        while i < to {
            match self.byte_at(i) {
                b'|' | b'>' => return Some(i),
                b'#' if i == 0 || self.byte_at(i - 1).is_ascii_whitespace() => {
                    while i < to && self.byte_at(i) != b'\n' {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
        None
    }

    fn open(&mut self, map: bool, anchor: usize, tag: Option<&Tag>, start: u32, end: u32) -> bool {
        self.source_nodes += 1;
        if self.stack.len() >= MAX_DEPTH {
            self.out.errors.push(YamlError {
                range: self.char_range(start),
                message: format!("collections are nested more than {MAX_DEPTH} levels deep"),
            });
            return false;
        }
        // A flow collection's start event spans its `[` or `{` (after any properties); a block
        // collection's is empty, or spans only its properties.
        let flow = end > start && matches!(self.byte_at(end - 1), b'[' | b'{');
        let content = if flow {
            end - 1
        } else {
            let content = self.skip_props(start, end);
            if map {
                content
            } else {
                self.block_entry_dash(content)
            }
        };
        self.stack.push(Frame {
            map,
            first_child: self.pending.len(),
            anchor,
            tag: tag.map(tag_text),
            start: content,
            props_start: start,
            flow,
            last_end: content,
            size: 0,
        });
        true
    }

    /// saphyr starts an indentless block sequence (`key:\n- a`) after its first `- `: moves back
    /// to the `-`.
    fn block_entry_dash(&self, at: u32) -> u32 {
        if self.byte_at(at) == b'-' {
            return at;
        }
        let mut i = at;
        while i > self.prev_end && matches!(self.byte_at(i - 1), b' ' | b'\t') {
            i -= 1;
        }
        if i > 0 && i > self.prev_end && self.byte_at(i - 1) == b'-' {
            i - 1
        } else {
            at
        }
    }

    fn close(&mut self, end: u32) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let end = if frame.flow {
            end.max(frame.start)
        } else {
            frame.last_end.max(frame.start)
        };
        let first = frame.first_child.min(self.pending.len());
        let value = if frame.map {
            let mut children = self.pending.drain(first..);
            let mut entries = Vec::with_capacity(children.len().div_ceil(2));
            while let Some(key) = children.next() {
                // A key without a value cannot come from saphyr; keep it with a null.
                let value = children
                    .next()
                    .unwrap_or_else(|| null(TextRange::empty(key.site_range().end)));
                entries.push(Entry { key, value });
            }
            drop(children);
            remove_duplicates(&mut entries, true, &mut self.out.duplicate_keys);
            apply_merges(&mut entries, &mut self.out.errors);
            Value::Map(entries)
        } else {
            Value::Seq(self.pending.drain(first..).collect())
        };
        let node = Node {
            value,
            range: TextRange::new(frame.start, end),
            tag: frame.tag,
            alias: None,
        };
        self.complete(node, frame.anchor, frame.size + 1, frame.props_start);
    }

    fn alias(&mut self, id: usize, site: TextRange) {
        self.source_nodes += 1;
        let limit = (self.source_nodes * 10).clamp(EXPANSION_FLOOR, EXPANSION_CAP);
        let (node, size) = match self.anchors.get(&id) {
            None => {
                self.out.errors.push(YamlError {
                    range: site,
                    message: "this alias refers to a node that contains it".to_owned(),
                });
                (null(site), 1)
            }
            Some((_, size)) if self.expansion_stopped || self.copied_nodes + size > limit => {
                if !self.expansion_stopped {
                    self.expansion_stopped = true;
                    self.out.errors.push(YamlError {
                        range: site,
                        message: format!(
                            "alias expansion limit: aliases would copy more than {limit} nodes; \
                             this and later aliases are read as null"
                        ),
                    });
                }
                (null(site), 1)
            }
            Some((anchored, size)) => {
                let size = *size;
                self.copied_nodes += size;
                let mut copy = anchored.clone();
                mark_alias(&mut copy, site);
                (copy, size)
            }
        };
        let mut node = node;
        node.alias = Some(site);
        self.complete(node, 0, size, site.start);
    }

    /// A node is complete: remember it if anchored, then give it to its parent.
    fn complete(&mut self, node: Node, anchor: usize, size: usize, props_start: u32) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some((node, props_start));
            return;
        };
        parent.size += size;
        parent.last_end = parent.last_end.max(node.site_range().end);
        self.pending.push(node);
    }
}

fn null(range: TextRange) -> Node {
    Node {
        value: Value::Scalar(Scalar {
            text: String::new(),
            style: ScalarStyle::Plain,
        }),
        range,
        tag: None,
        alias: None,
    }
}

/// Marks every node of an alias's copy with the alias's position.
fn mark_alias(node: &mut Node, site: TextRange) {
    node.alias = Some(site);
    match &mut node.value {
        Value::Scalar(_) => {}
        Value::Seq(items) => items.iter_mut().for_each(|n| mark_alias(n, site)),
        Value::Map(entries) => entries.iter_mut().for_each(|e| {
            mark_alias(&mut e.key, site);
            mark_alias(&mut e.value, site);
        }),
    }
}

/// A tag as users write it: `!Ref`, `!!str`, `!` (non-specific), `!<tag:x>` (verbatim), or the
/// full prefix and suffix when a `%TAG` directive named the handle.
fn tag_text(tag: &Tag) -> Box<str> {
    match tag.handle.as_str() {
        "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
        "!" => format!("!{}", tag.suffix),
        "" if tag.suffix == "!" => "!".to_owned(),
        "" => format!("!<{}>", tag.suffix),
        handle => format!("{handle}{}", tag.suffix),
    }
    .into_boxed_str()
}
