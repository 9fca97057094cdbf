//! Scalars read as kustomize's YAML library reads them (yaml.v3 resolution of plain scalars),
//! JSON encoding as Go's `encoding/json` writes it (for the name hash), and value equality.

use std::fmt::Write as _;

use cw_syntax::yaml::{Node, Scalar, ScalarStyle, Value};

/// A resolved scalar.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Resolved {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
}

/// A plain scalar as yaml.v3 decodes it into an `interface{}`; quoted and block scalars are
/// strings.
pub(super) fn resolve(s: &Scalar) -> Resolved {
    let plain = matches!(s.style, ScalarStyle::Plain | ScalarStyle::JsonLiteral);
    if !plain {
        return Resolved::Str(s.text.clone());
    }
    let t = s.text.as_str();
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    if let Some(i) = parse_int(t) {
        return Resolved::Int(i);
    }
    if is_float(t)
        && let Ok(f) = t.replace('_', "").parse::<f64>()
    {
        return Resolved::Float(f);
    }
    Resolved::Str(t.to_owned())
}

/// Go's `strconv.ParseInt(s, 0, 64)` (and `ParseUint` for larger positive values): an optional
/// sign, then `0x`, `0o`, `0b` or a leading `0` (octal), underscores between digits.
fn parse_int(t: &str) -> Option<i128> {
    let (neg, rest) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = rest.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d, true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d, true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d, true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..], true)
    } else {
        (10, lower.as_str(), false)
    };
    if digits.is_empty()
        || (digits.starts_with('_') && !prefixed)
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() || !clean.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let v = u64::from_str_radix(&clean, radix).ok()?;
    let v = i128::from(v);
    if neg {
        (v <= i128::from(i64::MAX) + 1).then_some(-v)
    } else {
        Some(v)
    }
}

/// The YAML 1.2 float syntax yaml.v3 accepts for plain scalars.
fn is_float(t: &str) -> bool {
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '_');
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (a.is_empty() || digits(a))
                && (b.is_empty() || digits(b))
                && !(a.is_empty() && b.is_empty())
        }
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// Structural equality of two trees as JSON values (mappings unordered).
pub(super) fn equal(left: &Node, right: &Node) -> bool {
    match (&left.value, &right.value) {
        (Value::Scalar(one), Value::Scalar(other)) => match (resolve(one), resolve(other)) {
            (Resolved::Int(int), Resolved::Float(float))
            | (Resolved::Float(float), Resolved::Int(int)) => {
                #[expect(clippy::cast_precision_loss, reason = "as JSON compares numbers")]
                let as_float = int as f64;
                (as_float - float).abs() < f64::EPSILON * as_float.abs().max(1.0)
            }
            (one, other) => one == other,
        },
        (Value::Seq(one), Value::Seq(other)) => {
            one.len() == other.len() && one.iter().zip(other).all(|(x, y)| equal(x, y))
        }
        (Value::Map(one), Value::Map(other)) => {
            one.len() == other.len()
                && one.iter().all(|e| {
                    e.key_str()
                        .and_then(|k| right.get(k))
                        .is_some_and(|v| equal(&e.value, v))
                })
        }
        _ => false,
    }
}

/// Writes a string as Go's `encoding/json` does (HTML characters escaped).
pub(super) fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes a tree as Go's `json.Marshal` of its decoded value (mapping keys sorted).
pub(super) fn json(out: &mut String, node: &Node) {
    match &node.value {
        Value::Scalar(s) => match resolve(s) {
            Resolved::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Resolved::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Resolved::Float(f) if f.is_finite() => {
                if f.abs() >= 1e21 || (f.abs() > 0.0 && f.abs() < 1e-6) {
                    let _ = write!(out, "{f:e}");
                } else {
                    let _ = write!(out, "{f}");
                }
            }
            Resolved::Null | Resolved::Float(_) => out.push_str("null"),
            Resolved::Str(s) => json_string(out, &s),
        },
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json(out, item);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            let mut sorted: Vec<_> = entries
                .iter()
                .filter_map(|e| Some((e.key_str()?, &e.value)))
                .collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            sorted.dedup_by(|a, b| a.0 == b.0);
            out.push('{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(out, k);
                out.push(':');
                json(out, v);
            }
            out.push('}');
        }
    }
}
