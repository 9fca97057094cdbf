//! Name references: once names have changed (prefixes, suffixes, hashes, namespaces), the
//! fields that refer to an object by name (a `configMapKeyRef`, a `serviceAccountName`, a role
//! binding's subjects...) are updated to the new name, as kustomize's name reference
//! transformer does. A rewritten reference keeps its range (where the reference is written).

use std::collections::HashSet;

use cw_syntax::yaml::{Node, Value};

use super::build::Builder;
use super::fieldspec::{self, Create, DEFAULTS, FieldSpec};
use super::resource::{Gvk, Res, ResId};
use super::tree;

/// What the transformer reads of an object (taken before any reference is rewritten).
struct Snap {
    res: Res,
    cur: ResId,
    prev: Vec<ResId>,
    org: ResId,
}

impl Snap {
    fn new(r: &Res) -> Self {
        let mut res = Res::new(tree::map(Vec::new(), r.node.range));
        res.prefixes.clone_from(&r.prefixes);
        res.suffixes.clone_from(&r.suffixes);
        res.previous.clone_from(&r.previous);
        // Keep the fields the selection reads: apiVersion, kind, metadata.
        for key in ["apiVersion", "kind", "metadata", "roleRef", "subjects"] {
            if let Some(e) = r.node.entry(key) {
                tree::set(&mut res.node, e.key.clone(), e.value.clone());
            }
        }
        Snap {
            cur: r.cur_id(),
            prev: r.prev_ids(),
            org: r.org_id(),
            res,
        }
    }
}

pub(super) fn fix(b: &mut Builder<'_>, resources: &mut [Res]) {
    let snaps: Vec<Snap> = resources.iter().map(Snap::new).collect();
    for (ri, r) in resources.iter_mut().enumerate() {
        let referrer = &snaps[ri];
        let candidates = could_be_referenced(referrer, &snaps);
        for (target, specs) in &DEFAULTS.name_reference {
            for spec in specs
                .iter()
                .filter(|s| referrer.org.gvk.is_selected_by(&s.gvk))
            {
                let mut errors = Vec::new();
                let made = tree::plain("", r.node.range);
                let mut spec = spec.clone();
                spec.gvk = Gvk::default();
                fieldspec::apply(&mut r.node, &spec, Create::Nothing, &made, &mut |n| {
                    let ctx = Ctx {
                        referrer,
                        candidates: &candidates,
                        snaps: &snaps,
                        target,
                        spec: &spec,
                    };
                    match &mut n.value {
                        Value::Scalar(_) => ctx.set_scalar(n, &mut errors),
                        Value::Map(_) => ctx.set_mapping(n, &mut errors),
                        Value::Seq(items) => {
                            for item in items {
                                if item.is_map() {
                                    ctx.set_mapping(item, &mut errors);
                                } else if item.as_scalar().is_some() {
                                    ctx.set_scalar(item, &mut errors);
                                }
                            }
                        }
                    }
                });
                for (range, message) in errors {
                    b.invalid(range, message);
                }
            }
        }
    }
}

/// kustomize's `SubsetThatCouldBeReferencedByResource`.
fn could_be_referenced(referrer: &Snap, snaps: &[Snap]) -> Vec<usize> {
    if referrer.cur.is_cluster_scoped() {
        return (0..snaps.len()).collect();
    }
    let mut binding_namespaces = HashSet::new();
    if referrer.cur.gvk.kind == "RoleBinding" {
        for s in referrer
            .res
            .node
            .get("subjects")
            .map_or(&[][..], Node::items)
        {
            if tree::field(s, "kind") == "ServiceAccount"
                && let Some(ns) = s.get("namespace").and_then(Node::as_str)
            {
                binding_namespaces.insert(ns.to_owned());
            }
        }
    }
    (0..snaps.len())
        .filter(|&i| {
            let c = &snaps[i];
            c.cur.is_cluster_scoped()
                || c.cur.namespace == referrer.cur.namespace
                || binding_namespaces.contains(c.res.namespace())
        })
        .collect()
}

struct Ctx<'a> {
    referrer: &'a Snap,
    candidates: &'a [usize],
    snaps: &'a [Snap],
    target: &'a Gvk,
    spec: &'a FieldSpec,
}

type Errors = Vec<(cw_diagnostics::TextRange, String)>;

impl Ctx<'_> {
    fn set_scalar(&self, node: &mut Node, errors: &mut Errors) {
        let Some(old) = node.as_str().map(str::to_owned) else {
            return;
        };
        match self.select(&old, self.candidates, false) {
            Ok(Some(i)) => {
                let new = self.snaps[i].res.name();
                if new != old
                    && let Value::Scalar(s) = &mut node.value
                {
                    new.clone_into(&mut s.text);
                }
            }
            Ok(None) => {}
            Err(message) => errors.push((node.site_range(), message)),
        }
    }

    fn set_mapping(&self, node: &mut Node, errors: &mut Errors) {
        let Some(old) = node.get("name").and_then(Node::as_str).map(str::to_owned) else {
            return;
        };
        let candidates: Vec<usize> = match node.get("namespace").and_then(Node::as_scalar) {
            None => self.candidates.to_vec(),
            Some(ns) => {
                let ns = ns.text.as_str();
                let by = |original: bool| -> Vec<usize> {
                    self.candidates
                        .iter()
                        .copied()
                        .filter(|&i| {
                            let s = &self.snaps[i];
                            let id = if original { &s.org } else { &s.cur };
                            !id.is_cluster_scoped() && id.namespace == ns
                        })
                        .collect()
                };
                let original = by(true);
                if original.is_empty() {
                    by(false)
                } else {
                    original
                }
            }
        };
        match self.select(&old, &candidates, true) {
            Ok(Some(i)) => {
                let referral = &self.snaps[i].res;
                if referral.name() == old && referral.namespace().is_empty() {
                    return;
                }
                if let Some(name) = tree::get_mut(node, "name")
                    && let Value::Scalar(s) = &mut name.value
                {
                    referral.name().clone_into(&mut s.text);
                }
                if !referral.namespace().is_empty() {
                    let ns = referral
                        .node
                        .path(&["metadata", "namespace"])
                        .cloned()
                        .unwrap_or_else(|| tree::string(referral.namespace(), node.range));
                    let key_range = node.key_range("namespace").unwrap_or(ns.range);
                    tree::set(node, tree::string("namespace", key_range), ns);
                }
            }
            Ok(None) => {}
            Err(message) => errors.push((node.site_range(), message)),
        }
    }

    /// kustomize's `selectReferral`.
    fn select(
        &self,
        old: &str,
        candidates: &[usize],
        with_namespace: bool,
    ) -> Result<Option<usize>, String> {
        let snaps = self.snaps;
        let mut c: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| snaps[i].prev.iter().any(|id| id.name == old))
            .filter(|&i| {
                snaps[i]
                    .prev
                    .iter()
                    .any(|id| id.gvk.is_selected_by(self.target))
            })
            .collect();
        if self.spec.path.last().is_some_and(|s| s.key == "name")
            && self.spec.path.len() >= 2
            && self.spec.path[self.spec.path.len() - 2].key == "roleRef"
            && let Some(role_ref) = self.referrer.res.node.get("roleRef")
            && let (Some(group), Some(kind)) = (
                role_ref.get("apiGroup").and_then(Node::as_str),
                role_ref.get("kind").and_then(Node::as_str),
            )
        {
            let gvk = Gvk {
                group: group.to_owned(),
                version: String::new(),
                kind: kind.to_owned(),
            };
            c.retain(|&i| snaps[i].prev.iter().any(|id| id.gvk.is_selected_by(&gvk)));
        }
        if !self.referrer.cur.is_cluster_scoped() {
            c.retain(|&i| {
                let s = &snaps[i];
                s.cur.is_cluster_scoped()
                    || s.cur.gvk.kind == "ServiceAccount"
                    || s.cur.namespace == self.referrer.cur.namespace
            });
        }
        if c.len() == 1 {
            return Ok(c.first().copied());
        }
        c.retain(|&i| snaps[i].res.affixes_equal(&self.referrer.res, true));
        if c.len() > 1 {
            c.retain(|&i| snaps[i].res.affixes_equal(&self.referrer.res, false));
        }
        match c.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            [first, rest @ ..] => {
                let a = &snaps[*first].res;
                let same = rest.iter().all(|&i| {
                    let b = &snaps[i].res;
                    a.name() == b.name() && (!with_namespace || a.namespace() == b.namespace())
                });
                if same {
                    Ok(Some(*first))
                } else {
                    Err(format!(
                        "the reference `{old}` could name several objects: {}",
                        c.iter()
                            .map(|&i| format!(
                                "{} `{}`",
                                snaps[i].cur.gvk.kind,
                                snaps[i].res.name()
                            ))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                }
            }
        }
    }
}
