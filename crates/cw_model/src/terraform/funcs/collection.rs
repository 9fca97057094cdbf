#![expect(
    clippy::needless_pass_by_value,
    reason = "every function has the dispatch table's signature"
)]

use std::cmp::Ordering;

use cw_diagnostics::Spanned;

use super::{
    Cx, Out, arity, is_unknown, want_bool, want_int, want_list, want_map, want_num, want_str,
};
use crate::terraform::value::{Map, Value, count, equals, sp};

type Args = Vec<Spanned<Value>>;

pub(super) fn length(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let n = match &args[0].value {
        Value::String(s) => s.chars().count(),
        Value::List(items) => items.len(),
        Value::Map(m) => m.len(),
        Value::Unknown | Value::Partial(_) => return cx.unknown(),
        Value::Null => return Err("argument must not be null".to_owned()),
        other => return Err(format!("cannot take the length of a {}", other.type_name())),
    };
    cx.v(count(n))
}

pub(super) fn concat(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let mut out = Vec::new();
    for a in &args {
        if is_unknown(a) {
            return cx.unknown();
        }
        out.extend(want_list(a)?.iter().cloned());
    }
    cx.v(Value::List(out))
}

pub(super) fn merge(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let mut out = Map::new();
    for a in args {
        match a.value {
            Value::Null => {}
            Value::Map(m) => out.extend(m),
            Value::Unknown | Value::Partial(_) => return cx.unknown(),
            other => {
                return Err(format!(
                    "arguments must be maps or objects, got {}",
                    other.type_name()
                ));
            }
        }
    }
    cx.v(Value::Map(out))
}

pub(super) fn lookup(cx: &mut Cx<'_, '_, '_>, mut args: Args) -> Out {
    arity(&args, 2, 3)?;
    if is_unknown(&args[1]) {
        return cx.unknown();
    }
    let key = want_str(&args[1])?;
    let default = if args.len() == 3 { args.pop() } else { None };
    match args.swap_remove(0).value {
        Value::Map(mut m) => match (m.remove(&key), default) {
            (Some(v), _) => Ok(v),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(format!("the map has no element for the key {key:?}")),
        },
        Value::Partial(mut m) => Ok(m
            .remove(&key)
            .unwrap_or_else(|| sp(Value::Unknown, cx.range))),
        Value::Unknown => cx.unknown(),
        other => Err(format!("map required, got {}", other.type_name())),
    }
}

pub(super) fn element(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 2, 2)?;
    if is_unknown(&args[0]) || is_unknown(&args[1]) {
        return cx.unknown();
    }
    let items = want_list(&args[0])?;
    let i = want_int(&args[1])?;
    if items.is_empty() {
        return Err("cannot use element function with an empty list".to_owned());
    }
    if i < 0 {
        return Err("cannot use element function with a negative index".to_owned());
    }
    #[expect(
        clippy::cast_sign_loss,
        clippy::cast_possible_truncation,
        reason = "checked non-negative"
    )]
    let i = i as usize % items.len();
    Ok(items[i].clone())
}

/// The first argument that is neither null nor an empty string; unknown as soon as an
/// argument before it is unknown.
pub(super) fn coalesce(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    for a in args {
        match &a.value {
            Value::Unknown | Value::Partial(_) => return cx.unknown(),
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            _ => return Ok(a),
        }
    }
    Err("no non-null, non-empty-string arguments".to_owned())
}

pub(super) fn coalescelist(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    for a in args {
        match &a.value {
            Value::Unknown | Value::Partial(_) => return cx.unknown(),
            Value::List(items) if items.is_empty() => {}
            Value::List(_) => return Ok(a),
            Value::Null => {}
            other => return Err(format!("list required, got {}", other.type_name())),
        }
    }
    Err("no non-empty list arguments".to_owned())
}

pub(super) fn compact(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let mut out = Vec::new();
    for item in want_list(&args[0])? {
        match &item.value {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            _ => out.push(sp(Value::String(want_str(item)?), item.range)),
        }
    }
    cx.v(Value::List(out))
}

pub(super) fn flatten(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    fn walk(items: &[Spanned<Value>], out: &mut Vec<Spanned<Value>>) {
        for item in items {
            match &item.value {
                Value::List(inner) => walk(inner, out),
                _ => out.push(item.clone()),
            }
        }
    }
    arity(&args, 1, 1)?;
    let mut out = Vec::new();
    walk(want_list(&args[0])?, &mut out);
    cx.v(Value::List(out))
}

pub(super) fn distinct(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let mut out: Vec<Spanned<Value>> = Vec::new();
    for item in want_list(&args[0])? {
        if !out
            .iter()
            .any(|o| equals(&o.value, &item.value) == Some(true))
        {
            out.push(item.clone());
        }
    }
    cx.v(Value::List(out))
}

pub(super) fn slice(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 3, 3)?;
    if args.iter().any(is_unknown) {
        return cx.unknown();
    }
    let items = want_list(&args[0])?;
    let (start, end) = (want_int(&args[1])?, want_int(&args[2])?);
    if start < 0 || end < start || end > i64::try_from(items.len()).unwrap_or(i64::MAX) {
        return Err(format!(
            "invalid slice indexes {start}..{end} for a list of {} elements",
            items.len()
        ));
    }
    #[expect(
        clippy::cast_sign_loss,
        clippy::cast_possible_truncation,
        reason = "checked in range"
    )]
    let out = items[start as usize..end as usize].to_vec();
    cx.v(Value::List(out))
}

pub(super) fn keys(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    if is_unknown(&args[0]) {
        return cx.unknown();
    }
    let m = want_map(&args[0])?;
    let keys = m
        .iter()
        .map(|(k, v)| sp(Value::String(k.clone()), v.range))
        .collect();
    cx.v(Value::List(keys))
}

pub(super) fn values(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    if is_unknown(&args[0]) {
        return cx.unknown();
    }
    let values = want_map(&args[0])?.values().cloned().collect();
    cx.v(Value::List(values))
}

pub(super) fn zipmap(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 2, 2)?;
    if is_unknown(&args[0]) || is_unknown(&args[1]) {
        return cx.unknown();
    }
    let (keys, values) = (want_list(&args[0])?, want_list(&args[1])?);
    if keys.len() != values.len() {
        return Err(format!("{} keys but {} values", keys.len(), values.len()));
    }
    let mut out = Map::new();
    for (k, v) in keys.iter().zip(values) {
        if is_unknown(k) {
            return cx.unknown();
        }
        out.insert(want_str(k)?, v.clone());
    }
    cx.v(Value::Map(out))
}

pub(super) fn contains(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 2, 2)?;
    let found = want_list(&args[0])?
        .iter()
        .any(|i| equals(&i.value, &args[1].value) == Some(true));
    cx.v(Value::Bool(found))
}

pub(super) fn one(cx: &mut Cx<'_, '_, '_>, mut args: Args) -> Out {
    arity(&args, 1, 1)?;
    if is_unknown(&args[0]) {
        return cx.unknown();
    }
    match args.swap_remove(0).value {
        Value::List(mut items) if items.len() <= 1 => {
            Ok(items.pop().unwrap_or_else(|| sp(Value::Null, cx.range)))
        }
        Value::List(items) => Err(format!(
            "must be a list with at most one element, got {}",
            items.len()
        )),
        Value::Null => Err("argument must not be null".to_owned()),
        other => Err(format!("list required, got {}", other.type_name())),
    }
}

/// Set order: unique elements, strings sorted lexically, numbers numerically (a mix is compared
/// as strings).
pub(crate) fn to_set(items: Vec<Spanned<Value>>) -> Vec<Spanned<Value>> {
    let mut out: Vec<Spanned<Value>> = Vec::with_capacity(items.len());
    for item in items {
        if !out
            .iter()
            .any(|o| equals(&o.value, &item.value) == Some(true))
        {
            out.push(item);
        }
    }
    let all_numbers = out.iter().all(|i| matches!(i.value, Value::Number(_)));
    let all_primitive = out.iter().all(|i| {
        matches!(
            i.value,
            Value::Number(_) | Value::String(_) | Value::Bool(_)
        )
    });
    if all_numbers {
        out.sort_by(|a, b| {
            a.value
                .as_number()
                .partial_cmp(&b.value.as_number())
                .unwrap_or(Ordering::Equal)
        });
    } else if all_primitive {
        out = out
            .into_iter()
            .map(|i| {
                let s = super::want_str(&i).unwrap_or_default();
                sp(Value::String(s), i.range)
            })
            .collect();
        out.sort_by(|a, b| a.value.as_str().cmp(&b.value.as_str()));
        out.dedup_by(|a, b| a.value == b.value);
    }
    out
}

pub(super) fn toset(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    if args[0].value.is_null() {
        return cx.v(Value::Null);
    }
    let items = want_list(&args[0])?.clone();
    cx.v(Value::List(to_set(items)))
}

pub(super) fn tolist(cx: &mut Cx<'_, '_, '_>, mut args: Args) -> Out {
    arity(&args, 1, 1)?;
    let a = args.swap_remove(0);
    match a.value {
        Value::List(_) | Value::Null | Value::Unknown => Ok(a),
        Value::Partial(_) => cx.unknown(),
        other => Err(format!("cannot convert a {} to list", other.type_name())),
    }
}

pub(super) fn tomap(cx: &mut Cx<'_, '_, '_>, mut args: Args) -> Out {
    arity(&args, 1, 1)?;
    let a = args.swap_remove(0);
    match a.value {
        Value::Map(_) | Value::Null | Value::Unknown => Ok(a),
        Value::Partial(_) => cx.unknown(),
        other => Err(format!("cannot convert a {} to map", other.type_name())),
    }
}

pub(super) fn reverse(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    if is_unknown(&args[0]) {
        return cx.unknown();
    }
    let mut items = want_list(&args[0])?.clone();
    items.reverse();
    cx.v(Value::List(items))
}

pub(super) fn sort(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let mut items = want_list(&args[0])?
        .iter()
        .map(|i| Ok(sp(Value::String(want_str(i)?), i.range)))
        .collect::<Result<Vec<_>, String>>()?;
    items.sort_by(|a, b| a.value.as_str().cmp(&b.value.as_str()));
    cx.v(Value::List(items))
}

fn lists(args: &[Spanned<Value>]) -> Result<Vec<Vec<Spanned<Value>>>, String> {
    args.iter().map(|a| want_list(a).cloned()).collect()
}

fn set_contains(set: &[Spanned<Value>], v: &Value) -> bool {
    set.iter().any(|s| equals(&s.value, v) == Some(true))
}

pub(super) fn setunion(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    if args.is_empty() {
        return Err("at least one argument is required".to_owned());
    }
    let all: Vec<_> = lists(&args)?.into_iter().flatten().collect();
    cx.v(Value::List(to_set(all)))
}

pub(super) fn setintersection(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let mut sets = lists(&args)?.into_iter();
    let Some(first) = sets.next() else {
        return Err("at least one argument is required".to_owned());
    };
    let rest: Vec<_> = sets.collect();
    let out = first
        .into_iter()
        .filter(|i| rest.iter().all(|s| set_contains(s, &i.value)))
        .collect();
    cx.v(Value::List(to_set(out)))
}

pub(super) fn setsubtract(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 2, 2)?;
    let (a, b) = (want_list(&args[0])?, want_list(&args[1])?);
    let out = a
        .iter()
        .filter(|i| !set_contains(b, &i.value))
        .cloned()
        .collect();
    cx.v(Value::List(to_set(out)))
}

pub(super) fn setproduct(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    if args.is_empty() {
        return Err("at least one argument is required".to_owned());
    }
    let mut out: Vec<Vec<Spanned<Value>>> = vec![Vec::new()];
    for list in lists(&args)? {
        let mut next = Vec::new();
        for prefix in &out {
            for item in &list {
                let mut p = prefix.clone();
                p.push(item.clone());
                next.push(p);
            }
            if next.len() > 100_000 {
                return cx.unknown();
            }
        }
        out = next;
    }
    let range = cx.range;
    cx.v(Value::List(
        out.into_iter().map(|p| sp(Value::List(p), range)).collect(),
    ))
}

pub(super) fn chunklist(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 2, 2)?;
    if is_unknown(&args[0]) || is_unknown(&args[1]) {
        return cx.unknown();
    }
    let items = want_list(&args[0])?;
    let size = want_int(&args[1])?;
    if size < 0 {
        return Err("the size must not be negative".to_owned());
    }
    let range = cx.range;
    if size == 0 {
        return cx.v(Value::List(vec![sp(Value::List(items.clone()), range)]));
    }
    #[expect(
        clippy::cast_sign_loss,
        clippy::cast_possible_truncation,
        reason = "checked positive"
    )]
    let chunks = items
        .chunks(size as usize)
        .map(|c| sp(Value::List(c.to_vec()), range))
        .collect();
    cx.v(Value::List(chunks))
}

pub(super) fn transpose(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let mut out: std::collections::BTreeMap<String, Vec<Spanned<Value>>> =
        std::collections::BTreeMap::new();
    for (k, v) in want_map(&args[0])? {
        for item in want_list(v)? {
            out.entry(want_str(item)?)
                .or_default()
                .push(sp(Value::String(k.clone()), item.range));
        }
    }
    let range = cx.range;
    cx.v(Value::Map(
        out.into_iter()
            .map(|(k, v)| (k, sp(Value::List(v), range)))
            .collect(),
    ))
}

pub(super) fn index(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 2, 2)?;
    let items = want_list(&args[0])?;
    match items
        .iter()
        .position(|i| equals(&i.value, &args[1].value) == Some(true))
    {
        Some(i) => cx.v(count(i)),
        None => Err("item not found".to_owned()),
    }
}

fn bools(args: &[Spanned<Value>]) -> Result<Vec<bool>, String> {
    arity(args, 1, 1)?;
    want_list(&args[0])?
        .iter()
        .map(|i| {
            if i.value.is_null() {
                Ok(false)
            } else {
                want_bool(i)
            }
        })
        .collect()
}

pub(super) fn alltrue(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let all = bools(&args)?.into_iter().all(|b| b);
    cx.v(Value::Bool(all))
}

pub(super) fn anytrue(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let any = bools(&args)?.into_iter().any(|b| b);
    cx.v(Value::Bool(any))
}

pub(super) fn range(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 3)?;
    let nums = args.iter().map(want_num).collect::<Result<Vec<_>, _>>()?;
    let (start, end, step) = match nums.as_slice() {
        [end] => (0.0, *end, 1.0),
        [start, end] => (*start, *end, if end >= start { 1.0 } else { -1.0 }),
        [start, end, step] => (*start, *end, *step),
        _ => return Err("1 to 3 arguments required".to_owned()),
    };
    if step == 0.0 {
        return Err("step must not be zero".to_owned());
    }
    if (step > 0.0 && end < start) || (step < 0.0 && end > start) {
        return Err("step has the wrong sign for the range".to_owned());
    }
    let mut out = Vec::new();
    let mut v = start;
    let range = cx.range;
    while (step > 0.0 && v < end) || (step < 0.0 && v > end) {
        if out.len() >= 1024 {
            return Err("more than 1024 values were generated".to_owned());
        }
        out.push(sp(Value::Number(v), range));
        v += step;
    }
    cx.v(Value::List(out))
}

pub(super) fn sum(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let items = want_list(&args[0])?;
    if items.is_empty() {
        return Err("cannot sum an empty list".to_owned());
    }
    let mut total = 0.0;
    for i in items {
        total += want_num(i)?;
    }
    cx.v(Value::Number(total))
}

pub(super) fn matchkeys(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 3, 3)?;
    let (values, keys, search) = (
        want_list(&args[0])?,
        want_list(&args[1])?,
        want_list(&args[2])?,
    );
    if values.len() != keys.len() {
        return Err("values and keys must have the same length".to_owned());
    }
    let out = values
        .iter()
        .zip(keys)
        .filter(|(_, k)| set_contains(search, &k.value))
        .map(|(v, _)| v.clone())
        .collect();
    cx.v(Value::List(out))
}
