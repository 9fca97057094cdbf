#![expect(
    clippy::needless_pass_by_value,
    reason = "every function has the dispatch table's signature"
)]

use std::fmt::Write as _;

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::yaml::{self, Node, ScalarStyle};

use super::{Cx, Out, arity, want_str};
use crate::terraform::value::{Map, Value, number_to_string, sp};

type Args = Vec<Spanned<Value>>;

/// JSON as Terraform's `jsonencode` writes it: compact, keys sorted, `<`, `>` and `&` escaped.
pub(crate) fn json_string(v: &Value) -> String {
    let mut out = String::new();
    write_json(v, &mut out);
    out
}

fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if n.is_finite() => out.push_str(&number_to_string(*n)),
        Value::Null | Value::Unknown | Value::Partial(_) | Value::Number(_) => out.push_str("null"),
        Value::String(s) => quote_json(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(&item.value, out);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                quote_json(k, out);
                out.push(':');
                write_json(&v.value, out);
            }
            out.push('}');
        }
    }
}

fn quote_json(s: &str, out: &mut String) {
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
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(super) fn jsonencode(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    cx.string(json_string(&args[0].value))
}

fn from_json(v: serde_json::Value, range: TextRange) -> Spanned<Value> {
    let value = match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => {
            Value::List(items.into_iter().map(|i| from_json(i, range)).collect())
        }
        serde_json::Value::Object(m) => Value::Map(
            m.into_iter()
                .map(|(k, v)| (k, from_json(v, range)))
                .collect(),
        ),
    };
    sp(value, range)
}

pub(super) fn jsondecode(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let s = want_str(&args[0])?;
    let v: serde_json::Value =
        serde_json::from_str(&s).map_err(|e| format!("invalid JSON: {e}"))?;
    Ok(from_json(v, cx.range))
}

/// YAML as Terraform's `yamlencode` writes it: block style, strings and keys double-quoted,
/// multi-line strings as literal blocks.
pub(super) fn yamlencode(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let mut out = String::new();
    yaml_block(&args[0].value, 0, &mut out);
    cx.string(out)
}

fn yaml_scalar(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null | Value::Unknown | Value::Partial(_) => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_to_string(*n),
        Value::String(s) if !s.contains('\n') => yaml_quote(s),
        Value::List(items) if items.is_empty() => "[]".to_owned(),
        Value::Map(m) if m.is_empty() => "{}".to_owned(),
        _ => return None,
    })
}

fn yaml_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A literal block (`|-`) for a multi-line string, its lines indented by `indent`.
fn yaml_literal(s: &str, indent: usize, out: &mut String) {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    out.push_str(match trailing {
        0 => "|-",
        1 => "|",
        _ => "|+",
    });
    out.push('\n');
    for line in s.trim_end_matches('\n').split('\n') {
        if !line.is_empty() {
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(line);
        }
        out.push('\n');
    }
    for _ in 1..trailing {
        out.push('\n');
    }
}

/// Writes `v` as a block at `indent`; the first line's indentation is written too.
fn yaml_block(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    if let Some(s) = yaml_scalar(v) {
        out.push_str(&pad);
        out.push_str(&s);
        out.push('\n');
        return;
    }
    match v {
        Value::String(s) => {
            out.push_str(&pad);
            yaml_literal(s, indent + 2, out);
        }
        Value::List(items) => {
            for item in items {
                out.push_str(&pad);
                out.push_str("- ");
                yaml_nested(&item.value, indent + 2, out);
            }
        }
        Value::Map(m) => {
            for (k, v) in m {
                out.push_str(&pad);
                out.push_str(&yaml_quote(k));
                out.push(':');
                match (&v.value, yaml_scalar(&v.value)) {
                    (_, Some(s)) => {
                        out.push(' ');
                        out.push_str(&s);
                        out.push('\n');
                    }
                    (Value::String(s), None) => {
                        out.push(' ');
                        yaml_literal(s, indent + 2, out);
                    }
                    (Value::List(_), None) => {
                        out.push('\n');
                        yaml_block(&v.value, indent, out);
                    }
                    _ => {
                        out.push('\n');
                        yaml_block(&v.value, indent + 2, out);
                    }
                }
            }
        }
        _ => {}
    }
}

/// A value after `- `: its first line continues the current line.
fn yaml_nested(v: &Value, indent: usize, out: &mut String) {
    if let Some(s) = yaml_scalar(v) {
        out.push_str(&s);
        out.push('\n');
        return;
    }
    if let Value::String(s) = v {
        yaml_literal(s, indent, out);
        return;
    }
    let mut inner = String::new();
    yaml_block(v, indent, &mut inner);
    out.push_str(&inner[indent.min(inner.len())..]);
}

pub(super) fn yamldecode(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let s = want_str(&args[0])?;
    let file = yaml::parse_yaml(&s);
    if let Some(e) = file.errors.first() {
        return Err(format!("invalid YAML: {}", e.message));
    }
    match file.documents.as_slice() {
        [] => Err("the string contains no YAML document".to_owned()),
        [doc] => from_yaml(&doc.root, cx.range),
        _ => Err("the string contains more than one YAML document".to_owned()),
    }
}

fn from_yaml(node: &Node, range: TextRange) -> Out {
    let value = match &node.value {
        yaml::Value::Scalar(s) => {
            let tag = node.tag.as_deref();
            if tag == Some("!!str") || s.style != ScalarStyle::Plain {
                Value::String(s.text.clone())
            } else {
                yaml_plain(&s.text)
            }
        }
        yaml::Value::Seq(items) => Value::List(
            items
                .iter()
                .map(|i| from_yaml(i, range))
                .collect::<Result<_, _>>()?,
        ),
        yaml::Value::Map(entries) => {
            let mut m = Map::new();
            for e in entries {
                let key = match &e.key.value {
                    yaml::Value::Scalar(s) => s.text.clone(),
                    _ => return Err("only scalar keys are supported".to_owned()),
                };
                m.insert(key, from_yaml(&e.value, range)?);
            }
            Value::Map(m)
        }
    };
    Ok(sp(value, range))
}

/// A plain scalar in the YAML 1.2 core schema.
fn yaml_plain(t: &str) -> Value {
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" => return Value::Number(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Value::Number(f64::NEG_INFINITY),
        _ => {}
    }
    if let Some(h) = t.strip_prefix("0x")
        && let Ok(n) = i64::from_str_radix(h, 16)
    {
        #[expect(
            clippy::cast_precision_loss,
            reason = "Terraform numbers are floats here"
        )]
        return Value::Number(n as f64);
    }
    if let Some(o) = t.strip_prefix("0o")
        && let Ok(n) = i64::from_str_radix(o, 8)
    {
        #[expect(
            clippy::cast_precision_loss,
            reason = "Terraform numbers are floats here"
        )]
        return Value::Number(n as f64);
    }
    let numeric = t
        .strip_prefix(['-', '+'])
        .unwrap_or(t)
        .starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
    if numeric && let Ok(n) = t.parse::<f64>() {
        return Value::Number(n);
    }
    Value::String(t.to_owned())
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub(crate) fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn unbase64(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (ci, chunk) in bytes.chunks(4).enumerate() {
        let last = ci + 1 == bytes.len() / 4;
        let mut n = 0u32;
        let mut pads = 0;
        for (i, &c) in chunk.iter().enumerate() {
            let v = if c == b'=' && last && i >= 2 {
                pads += 1;
                0
            } else if pads > 0 {
                return None;
            } else {
                B64.iter().position(|&b| b == c)? as u32
            };
            n = (n << 6) | v;
        }
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&decoded[..3 - pads]);
    }
    Some(out)
}

pub(super) fn base64encode(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let s = want_str(&args[0])?;
    cx.string(base64(s.as_bytes()))
}

pub(super) fn base64decode(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let s = want_str(&args[0])?;
    let bytes = unbase64(&s).ok_or("the string is not valid base64")?;
    let text =
        String::from_utf8(bytes).map_err(|_| "the decoded bytes are not valid UTF-8".to_owned())?;
    cx.string(text)
}

pub(super) fn urlencode(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let s = want_str(&args[0])?;
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    cx.string(out)
}

/// CSV with a header row into a list of maps (RFC 4180 quoting).
pub(super) fn csvdecode(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let s = want_str(&args[0])?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                any = false;
            }
            ('\r', false) if chars.peek() == Some(&'\n') => {}
            (c, _) => field.push(c),
        }
    }
    if quoted {
        return Err("unterminated quoted field".to_owned());
    }
    if any {
        row.push(field);
        rows.push(row);
    }
    let mut rows = rows.into_iter();
    let Some(header) = rows.next() else {
        return Err("missing header line".to_owned());
    };
    let range = cx.range;
    let mut out = Vec::new();
    for (i, r) in rows.enumerate() {
        if r.len() != header.len() {
            return Err(format!(
                "line {} has {} fields, the header has {}",
                i + 2,
                r.len(),
                header.len()
            ));
        }
        let m: Map = header
            .iter()
            .cloned()
            .zip(r)
            .map(|(k, v)| (k, sp(Value::String(v), range)))
            .collect();
        out.push(sp(Value::Map(m), range));
    }
    cx.v(Value::List(out))
}
