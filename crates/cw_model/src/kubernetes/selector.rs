use cw_diagnostics::TextRange;
use cw_syntax::yaml::Node;

/// A label selector (`matchLabels` and `matchExpressions`, or a plain map as Services write it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    pub match_labels: Vec<(String, String)>,
    pub expressions: Vec<Requirement>,
    /// Where the selector is written.
    pub range: TextRange,
    /// A value could not be read (a non-scalar label, an unknown operator): the selector's
    /// meaning is unknown and rules must not draw conclusions from it.
    pub unknown: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub op: SelectorOp,
    pub values: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectorOp {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// The labels of an object or pod template as `(key, value)` pairs (`None` values skipped).
pub fn label_pairs(node: Option<&Node>) -> Vec<(String, String)> {
    node.map(|n| {
        n.pairs()
            .filter_map(|(k, v)| Some((k.to_string(), v.as_scalar()?.text.clone())))
            .collect()
    })
    .unwrap_or_default()
}

impl LabelSelector {
    /// A selector written as a plain map of labels (Services, ReplicationControllers).
    pub fn from_map(node: &Node) -> Option<Self> {
        if !node.is_map() {
            return None;
        }
        let mut s = Self {
            range: node.site_range(),
            ..Self::default()
        };
        for e in node.entries() {
            match (e.key_str(), e.value.as_scalar()) {
                (Some(k), Some(v)) => s.match_labels.push((k.to_string(), v.text.clone())),
                _ => s.unknown = true,
            }
        }
        Some(s)
    }

    /// A `LabelSelector` object (`matchLabels`, `matchExpressions`).
    pub fn from_node(node: &Node) -> Option<Self> {
        if !node.is_map() {
            return None;
        }
        let mut s = match node.get("matchLabels") {
            Some(m) if m.is_map() => Self::from_map(m)?,
            Some(m) if !m.is_null() => Self {
                unknown: true,
                ..Self::default()
            },
            _ => Self::default(),
        };
        s.range = node.site_range();
        for e in node.get("matchExpressions").map_or(&[][..], Node::items) {
            let key = e.get("key").and_then(Node::as_str);
            let op = match e.get("operator").and_then(Node::as_str) {
                Some("In") => Some(SelectorOp::In),
                Some("NotIn") => Some(SelectorOp::NotIn),
                Some("Exists") => Some(SelectorOp::Exists),
                Some("DoesNotExist") => Some(SelectorOp::DoesNotExist),
                _ => None,
            };
            let (Some(key), Some(op)) = (key, op) else {
                s.unknown = true;
                continue;
            };
            let values = e
                .get("values")
                .map_or(&[][..], Node::items)
                .iter()
                .filter_map(|v| v.as_scalar().map(|s| s.text.clone()))
                .collect();
            s.expressions.push(Requirement {
                key: key.to_string(),
                op,
                values,
            });
        }
        Some(s)
    }

    /// An empty selector (`{}`) selects everything in a NetworkPolicy or PDB.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.expressions.is_empty() && !self.unknown
    }

    /// Whether the selector selects an object with these labels. `None` when the selector is unknown.
    pub fn matches(&self, labels: &[(String, String)]) -> Option<bool> {
        if self.unknown {
            return None;
        }
        let get = |k: &str| {
            labels
                .iter()
                .find(|(lk, _)| lk == k)
                .map(|(_, v)| v.as_str())
        };
        let labels_ok = self.match_labels.iter().all(|(k, v)| get(k) == Some(v));
        let exprs_ok = self.expressions.iter().all(|r| match r.op {
            SelectorOp::In => get(&r.key).is_some_and(|v| r.values.iter().any(|x| x == v)),
            SelectorOp::NotIn => get(&r.key).is_none_or(|v| r.values.iter().all(|x| x != v)),
            SelectorOp::Exists => get(&r.key).is_some(),
            SelectorOp::DoesNotExist => get(&r.key).is_none(),
        });
        Some(labels_ok && exprs_ok)
    }
}
