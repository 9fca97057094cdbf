use cw_diagnostics::TextRange;

/// A parsed YAML or JSON file. Parsing never fails: what cannot be understood is in `errors`, and the
/// documents before the error are kept.
#[derive(Clone, Debug, Default)]
pub struct YamlFile {
    pub documents: Vec<Document>,
    /// Syntax errors (CW001), at the exact position.
    pub errors: Vec<YamlError>,
    /// Keys that appear twice in one mapping (the later value wins, as in most loaders).
    pub duplicate_keys: Vec<DuplicateKey>,
    /// Every comment, with its range, in order: `# ...` up to the end of its line (YAML), or `// ...`
    /// and `/* ... */` (JSONC).
    pub comments: Vec<TextRange>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: TextRange,
    pub duplicate: TextRange,
}

/// One document of a (multi-document) stream.
#[derive(Clone, Debug)]
pub struct Document {
    pub root: Node,
    /// From the root's first byte (its `&anchor`/`!tag` included) to its last: the `---` and `...`
    /// markers and comments around the root are excluded. An empty document (`---` alone) has an
    /// empty range where its content would be.
    pub range: TextRange,
}

/// A node: its value, the range of the source that wrote it (without its `&anchor` and `!tag`, so
/// that replacing the range keeps them; block collections end at their last value, block scalars
/// at their last non-blank line), and its tag if any. For an alias (`*a`)
/// the node is a copy of the anchored node and its ranges point at the anchor's definition; the
/// alias's own position is in `alias`.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub range: TextRange,
    /// `!Ref`, `!GetAtt`, `!reference`, `!!str` (as written, `!` included for local tags; the core
    /// schema's `tag:yaml.org,2002:` handle is shown as `!!`, a verbatim tag as `!<...>`).
    pub tag: Option<Box<str>>,
    /// Where the alias that produced this node is written, when it came from `*name` or a merge key
    /// (`<<: *name`). Set on every node of the copy, so any of them can tell it is a copy; see
    /// [`Node::site_range`].
    pub alias: Option<TextRange>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A scalar as written: its text after unquoting and folding, and its style. Interpretation (bool,
/// number, null) is left to the reader, because Kubernetes (YAML 1.1 style), Compose and GitHub Actions
/// (YAML 1.2) disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar {
    pub text: String,
    pub style: ScalarStyle,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
    /// From a JSON string.
    JsonString,
    /// From a JSON number, `true`, `false` or `null`.
    JsonLiteral,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Node {
    /// The value of `key` in a mapping whose key is a scalar equal to `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .rev()
            .find(|e| e.key.as_scalar().is_some_and(|s| s.text == key))
            .map(|e| &e.value)
    }

    /// The entry (key and value) of `key`.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries()
            .iter()
            .rev()
            .find(|e| e.key.as_scalar().is_some_and(|s| s.text == key))
    }

    /// Follows a path of mapping keys: `node.path(&["spec", "template", "spec"])`.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |n, k| n.get(k))
    }

    /// The entries of a mapping (empty for anything else).
    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Map(m) => m,
            _ => &[],
        }
    }

    /// The items of a sequence (empty for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(s) => s,
            _ => &[],
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar that is not null.
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar()
            .filter(|s| !s.is_null())
            .map(|s| s.text.as_str())
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    pub fn is_seq(&self) -> bool {
        matches!(self.value, Value::Seq(_))
    }

    /// A null scalar (`~`, `null`, empty plain scalar, JSON `null`).
    pub fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(Scalar::is_null)
    }

    /// A boolean in YAML 1.2 core schema (`true`/`false`, any case as written by users: `True`, `FALSE`).
    pub fn as_bool(&self) -> Option<bool> {
        self.as_scalar().and_then(Scalar::as_bool)
    }

    /// A boolean as Kubernetes reads it (YAML 1.1: also `yes`/`no`/`on`/`off`/`y`/`n`).
    pub fn as_bool_yaml11(&self) -> Option<bool> {
        self.as_scalar().and_then(Scalar::as_bool_yaml11)
    }

    /// An integer (decimal, `0x` hex, `0o` octal; YAML 1.1 `0644` octal is read as octal).
    pub fn as_i64(&self) -> Option<i64> {
        self.as_scalar().and_then(Scalar::as_i64)
    }
}

impl Scalar {
    fn is_plain(&self) -> bool {
        matches!(self.style, ScalarStyle::Plain | ScalarStyle::JsonLiteral)
    }

    pub fn is_null(&self) -> bool {
        self.is_plain() && matches!(self.text.as_str(), "" | "~" | "null" | "Null" | "NULL")
    }

    pub fn as_bool(&self) -> Option<bool> {
        if !self.is_plain() {
            return None;
        }
        match self.text.as_str() {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }

    pub fn as_bool_yaml11(&self) -> Option<bool> {
        if !self.is_plain() {
            return None;
        }
        match self.text.as_str() {
            "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
                Some(true)
            }
            "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n"
            | "N" => Some(false),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        if !self.is_plain() {
            return None;
        }
        let t = self.text.replace('_', "");
        let (neg, unsigned) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t.as_str()),
        };
        let (radix, digits) = if let Some(h) = unsigned.strip_prefix("0x") {
            (16, h)
        } else if let Some(o) = unsigned.strip_prefix("0o") {
            (8, o)
        } else if unsigned.len() > 1 && unsigned.starts_with('0') {
            (8, &unsigned[1..])
        } else {
            (10, unsigned)
        };
        // `from_str_radix` accepts a sign of its own: `0x-5` and `--5` are not integers.
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let v = u64::from_str_radix(digits, radix).ok()?;
        if neg {
            0i64.checked_sub_unsigned(v)
        } else {
            i64::try_from(v).ok()
        }
    }
}

/// One step of a path into a tree: a mapping key or a sequence index. A key made of digits also
/// indexes a sequence, as in a JSON pointer (`/spec/containers/0/image`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathSegment<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> From<&'a str> for PathSegment<'a> {
    fn from(key: &'a str) -> Self {
        PathSegment::Key(key)
    }
}

impl From<usize> for PathSegment<'_> {
    fn from(index: usize) -> Self {
        PathSegment::Index(index)
    }
}

impl Entry {
    /// The key's text when it is a scalar.
    pub fn key_str(&self) -> Option<&str> {
        self.key.as_scalar().map(|s| s.text.as_str())
    }

    /// From the key's first byte to the value's last, where they are written (see
    /// [`Node::site_range`]).
    pub fn range(&self) -> TextRange {
        self.key.site_range().cover(self.value.site_range())
    }
}

impl Node {
    /// Where this node is written in the document: its own range, or for a copy made by an alias
    /// (`*a`) or a merge key (`<<: *a`), the alias. Point findings about this place here.
    pub fn site_range(&self) -> TextRange {
        self.alias.unwrap_or(self.range)
    }

    /// The range of the key `key` of this mapping (where it is written).
    pub fn key_range(&self, key: &str) -> Option<TextRange> {
        self.entry(key).map(|e| e.key.site_range())
    }

    /// The entries of a mapping whose keys are scalars, as `(key, value)`.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.entries()
            .iter()
            .filter_map(|e| Some((e.key_str()?, &e.value)))
    }

    /// The values of a mapping or the items of a sequence.
    pub fn children(&self) -> impl Iterator<Item = &Node> {
        self.items()
            .iter()
            .chain(self.entries().iter().map(|e| &e.value))
    }

    /// Follows keys and indexes: `node.find_path(&["spec".into(), "containers".into(), 0.into()])`.
    pub fn find_path(&self, path: &[PathSegment<'_>]) -> Option<&Node> {
        path.iter()
            .try_fold(self, |node, segment| match (*segment, &node.value) {
                (PathSegment::Key(key), Value::Map(_)) => node.get(key),
                (PathSegment::Key(key), Value::Seq(items)) => items.get(key.parse::<usize>().ok()?),
                (PathSegment::Index(i), Value::Seq(items)) => items.get(i),
                _ => None,
            })
    }

    /// Follows a JSON pointer (RFC 6901: `""` is this node, `/a~1b/0` is key `a/b` then item 0).
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        pointer
            .strip_prefix('/')?
            .split('/')
            .try_fold(self, |node, raw| {
                let key = if raw.contains('~') {
                    std::borrow::Cow::Owned(raw.replace("~1", "/").replace("~0", "~"))
                } else {
                    std::borrow::Cow::Borrowed(raw)
                };
                node.find_path(&[PathSegment::Key(&key)])
            })
    }

    /// The deepest node written at byte `offset` (a key, a value, an item, or the collection
    /// around them). A copy made by an alias is found at the alias and not entered: its
    /// descendants are written at the anchor.
    pub fn node_at(&self, offset: u32) -> Option<&Node> {
        if !self.site_range().contains(offset) {
            return None;
        }
        if self.alias.is_some() {
            return Some(self);
        }
        let inner = match &self.value {
            Value::Scalar(_) => None,
            Value::Seq(items) => items.iter().find_map(|n| n.node_at(offset)),
            Value::Map(entries) => entries
                .iter()
                .find_map(|e| e.key.node_at(offset).or_else(|| e.value.node_at(offset))),
        };
        Some(inner.unwrap_or(self))
    }
}

impl YamlFile {
    /// The deepest node written at byte `offset`, in whichever document holds it.
    pub fn node_at(&self, offset: u32) -> Option<&Node> {
        self.documents.iter().find_map(|d| d.root.node_at(offset))
    }
}
