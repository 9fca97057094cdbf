//! JSON patches (RFC 6902): `add`, `remove`, `replace`, `move`, `copy` and `test`, with JSON
//! pointers (`~0`, `~1`, `-` for the end of a list). A value a patch writes keeps the patch's
//! node; a key it adds to a mapping is placed at the operation's `path`.

use cw_syntax::yaml::{Entry, Node, Value};

use super::tree;

/// One operation, read from the patch document.
pub(super) struct Op<'a> {
    pub(super) name: &'a str,
    pub(super) path: &'a str,
    pub(super) from: &'a str,
    pub(super) value: Option<&'a Node>,
    /// The operation's mapping (where a failure is reported).
    pub(super) node: &'a Node,
}

/// Reads the operations of a patch document (a list of `{op, path, from?, value?}`).
pub(super) fn ops(doc: &Node) -> Result<Vec<Op<'_>>, (String, &Node)> {
    let mut out = Vec::new();
    for item in doc.items() {
        let op = item.get("op").and_then(Node::as_str).unwrap_or_default();
        if !matches!(op, "add" | "remove" | "replace" | "move" | "copy" | "test") {
            return Err((format!("unknown JSON patch operation `{op}`"), item));
        }
        let Some(path) = item.get("path").and_then(Node::as_scalar) else {
            return Err(("a JSON patch operation needs a `path`".to_owned(), item));
        };
        let value = item.get("value");
        if matches!(op, "add" | "replace" | "test") && value.is_none() {
            return Err((format!("the `{op}` operation needs a `value`"), item));
        }
        let from = item.get("from").and_then(Node::as_str).unwrap_or_default();
        if matches!(op, "move" | "copy") && item.get("from").is_none() {
            return Err((format!("the `{op}` operation needs a `from`"), item));
        }
        out.push(Op {
            name: op,
            path: &path.text,
            from,
            value,
            node: item,
        });
    }
    Ok(out)
}

fn tokens(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!("`{pointer}` is not a JSON pointer"));
    };
    Ok(rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn index(token: &str, len: usize, allow_end: bool) -> Option<usize> {
    if allow_end && token == "-" {
        return Some(len);
    }
    if token.is_empty() || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    let i: usize = token.parse().ok()?;
    let limit = if allow_end {
        len
    } else {
        len.saturating_sub(1)
    };
    (i <= limit && (allow_end || len > 0)).then_some(i)
}

fn find_mut<'a>(node: &'a mut Node, tokens: &[String]) -> Option<&'a mut Node> {
    tokens.iter().try_fold(node, |n, t| {
        if n.is_map() {
            return tree::get_mut(n, t);
        }
        match &mut n.value {
            Value::Seq(items) => {
                let len = items.len();
                items.get_mut(index(t, len, false)?)
            }
            _ => None,
        }
    })
}

/// Applies the operations in order. On a failure the operations before it stay applied.
pub(super) fn apply(
    target: &mut Node,
    ops: &[Op<'_>],
    key_node: impl Fn(&Op<'_>) -> Node,
) -> Result<(), (String, usize)> {
    for (i, op) in ops.iter().enumerate() {
        apply_one(target, op, &key_node).map_err(|e| (e, i))?;
    }
    Ok(())
}

fn apply_one(
    target: &mut Node,
    op: &Op<'_>,
    key_node: &dyn Fn(&Op<'_>) -> Node,
) -> Result<(), String> {
    let path = tokens(op.path)?;
    match op.name {
        "add" => add(
            target,
            &path,
            op.value.cloned().unwrap_or_default_node(),
            key_node(op),
        ),
        "remove" => remove(target, &path).map(drop),
        "replace" => {
            let slot = find_mut(target, &path)
                .ok_or_else(|| format!("`{}`: no such path to replace", op.path))?;
            *slot = op.value.cloned().unwrap_or_default_node();
            Ok(())
        }
        "move" => {
            let from = tokens(op.from)?;
            if path.len() > from.len() && path[..from.len()] == from[..] {
                return Err(format!("cannot move `{}` into itself", op.from));
            }
            let value = remove(target, &from)?;
            add(target, &path, value, key_node(op))
        }
        "copy" => {
            let from = tokens(op.from)?;
            let value = find_mut(target, &from)
                .ok_or_else(|| format!("`{}`: no such path to copy", op.from))?
                .clone();
            add(target, &path, value, key_node(op))
        }
        "test" => {
            let found = find_mut(target, &path)
                .ok_or_else(|| format!("`{}`: no such path to test", op.path))?;
            let expected = op.value.cloned().unwrap_or_default_node();
            if super::value::equal(found, &expected) {
                Ok(())
            } else {
                Err(format!("test failed: `{}` has another value", op.path))
            }
        }
        other => Err(format!("unknown JSON patch operation `{other}`")),
    }
}

trait OrNull {
    fn unwrap_or_default_node(self) -> Node;
}

impl OrNull for Option<Node> {
    fn unwrap_or_default_node(self) -> Node {
        self.unwrap_or_else(|| tree::plain("null", cw_diagnostics::TextRange::default()))
    }
}

fn add(target: &mut Node, path: &[String], value: Node, key: Node) -> Result<(), String> {
    let Some((last, parent)) = path.split_last() else {
        *target = value;
        return Ok(());
    };
    let parent_node =
        find_mut(target, parent).ok_or_else(|| format!("`/{}`: no such path", parent.join("/")))?;
    match &mut parent_node.value {
        Value::Map(_) => {
            let mut key = key;
            if let Value::Scalar(s) = &mut key.value {
                s.text.clone_from(last);
            }
            tree::set(parent_node, key, value);
            Ok(())
        }
        Value::Seq(items) => {
            let i = index(last, items.len(), true)
                .ok_or_else(|| format!("`{last}`: index out of range"))?;
            items.insert(i, value);
            Ok(())
        }
        Value::Scalar(_) => Err(format!(
            "`/{}` is not a mapping or a list",
            parent.join("/")
        )),
    }
}

fn remove(target: &mut Node, path: &[String]) -> Result<Node, String> {
    let Some((last, parent)) = path.split_last() else {
        return Err("cannot remove the whole document".to_owned());
    };
    let parent_node =
        find_mut(target, parent).ok_or_else(|| format!("`/{}`: no such path", parent.join("/")))?;
    match &mut parent_node.value {
        Value::Map(_) => tree::remove(parent_node, last)
            .map(|Entry { value, .. }| value)
            .ok_or_else(|| format!("`{last}`: no such key to remove")),
        Value::Seq(items) => {
            let i = index(last, items.len(), false)
                .ok_or_else(|| format!("`{last}`: index out of range"))?;
            Ok(items.remove(i))
        }
        Value::Scalar(_) => Err(format!(
            "`/{}` is not a mapping or a list",
            parent.join("/")
        )),
    }
}
