//! `rules:` (of jobs and of `workflow:`) and `only:`/`except:`.

use cw_syntax::yaml::Node;

use super::expr::Expr;
use super::resolve::is_unresolved;
use super::values::{Str, spanned, string_list};

/// A `rules:` list, nested lists (from `!reference`) flattened.
#[derive(Clone, Debug)]
pub struct Rules<'a> {
    pub clauses: Vec<RuleClause<'a>>,
    /// The `rules:` value.
    pub node: &'a Node,
    /// `false` when an item is not known (an unresolved `!reference`, not a mapping): the list
    /// does not say everything.
    pub complete: bool,
}

impl<'a> Rules<'a> {
    pub(crate) fn from_node(node: &'a Node) -> Self {
        let mut clauses = Vec::new();
        let mut complete = node.is_seq();
        flatten(node, 0, &mut clauses, &mut complete);
        Self {
            clauses,
            node,
            complete,
        }
    }
}

fn flatten<'a>(node: &'a Node, depth: usize, out: &mut Vec<RuleClause<'a>>, complete: &mut bool) {
    for item in node.items() {
        if item.is_seq() && !is_unresolved(item) && depth < 10 {
            flatten(item, depth + 1, out, complete);
        } else if item.is_map() {
            out.push(RuleClause { node: item });
        } else {
            *complete = false;
        }
    }
}

/// One rule: `{if, changes, exists, when, allow_failure, variables, needs}`.
#[derive(Clone, Copy, Debug)]
pub struct RuleClause<'a> {
    pub node: &'a Node,
}

impl<'a> RuleClause<'a> {
    /// `if:` as written.
    pub fn condition(&self) -> Option<Str<'a>> {
        self.node.get("if").and_then(spanned)
    }

    /// `if:` parsed; `None` without `if:` or when it does not parse.
    pub fn expr(&self) -> Option<Expr> {
        Expr::parse(self.condition()?.value)
    }

    /// Whether the clause has an `if:` (parsed or not).
    pub fn has_condition(&self) -> bool {
        self.node.get("if").is_some_and(|n| !n.is_null())
    }

    pub fn changes(&self) -> Option<&'a Node> {
        self.node.get("changes").filter(|n| !n.is_null())
    }

    pub fn exists(&self) -> Option<&'a Node> {
        self.node.get("exists").filter(|n| !n.is_null())
    }

    /// `when:` (`on_success` when absent).
    pub fn when(&self) -> Option<Str<'a>> {
        self.node.get("when").and_then(spanned)
    }

    /// Whether a match stops the job (`when: never`).
    pub fn is_never(&self) -> bool {
        self.when().is_some_and(|w| w.value == "never")
    }
}

/// `only:` or `except:`: a list of refs, or `{refs, variables, changes, kubernetes}`.
#[derive(Clone, Debug)]
pub struct Refs<'a> {
    /// Branch and tag names, `/regex/`, and the keywords `branches`, `tags`, `merge_requests`,
    /// `schedules`, `web`, `api`, `triggers`, `pipelines`, `pushes`, `external`, `chat`...
    pub refs: Vec<Str<'a>>,
    /// `variables:` expressions (any of them true matches).
    pub variables: Vec<Str<'a>>,
    pub changes: Option<&'a Node>,
    pub kubernetes: Option<Str<'a>>,
    /// The `only:`/`except:` value.
    pub node: &'a Node,
}

impl<'a> Refs<'a> {
    pub(crate) fn from_node(node: &'a Node) -> Option<Self> {
        if is_unresolved(node) {
            return None;
        }
        if node.is_map() {
            return Some(Self {
                refs: node.get("refs").map(string_list).unwrap_or_default(),
                variables: node.get("variables").map(string_list).unwrap_or_default(),
                changes: node.get("changes").filter(|n| !n.is_null()),
                kubernetes: node.get("kubernetes").and_then(spanned),
                node,
            });
        }
        Some(Self {
            refs: string_list(node),
            variables: Vec::new(),
            changes: None,
            kubernetes: None,
            node,
        })
    }

    /// Whether the mapping form gives `refs:` (the list form always does).
    pub fn has_refs(&self) -> bool {
        !self.node.is_map() || self.node.get("refs").is_some()
    }
}
