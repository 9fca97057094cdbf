use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use cw_diagnostics::{Spanned, TextRange};

/// The entries of an object or map value, in key order (Terraform's order too).
pub type Map = BTreeMap<String, Spanned<Value>>;

/// A Terraform value: known, or unknown until apply.
///
/// Every value carries (as a [`Spanned`]) the range of the expression that produced it: a
/// literal's own range, or for a value that flowed through a variable, a local or a module
/// output, the range where it was written. Elements of lists and maps carry their own ranges.
///
/// **Unknown is not absent.** A setting that is not written at all is `None` where it is looked up
/// (see [`super::Body::setting`]); a setting written with a value that is only known after apply
/// (a data source, an unset variable, a provider-computed attribute) is [`Value::Unknown`] or a
/// [`Value::Partial`]. The `as_*` getters return `None` for those too, so compare with
/// `Some(...)`: `v.as_bool() == Some(true)` never holds for an unknown value, while
/// `v.as_bool() != Some(true)` does; use [`Value::is_known`] before treating "not true" as false.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Terraform numbers are arbitrary precision; here they are `f64`.
    Number(f64),
    String(String),
    /// Lists, tuples and sets. A set's elements are sorted (strings lexically, numbers
    /// numerically) and unique, as Terraform orders them.
    List(Vec<Spanned<Value>>),
    /// Objects and maps.
    Map(Map),
    /// Known only after apply.
    Unknown,
    /// A resource instance (or one of its nested blocks) as a reference sees it: the attributes
    /// written in the configuration are known, every other attribute is computed by the
    /// provider and reads as unknown. Not a known value itself.
    Partial(Map),
}

impl Value {
    /// Neither [`Value::Unknown`] nor [`Value::Partial`] (elements may still be unknown).
    pub fn is_known(&self) -> bool {
        !matches!(self, Value::Unknown | Value::Partial(_))
    }

    /// Known, and every element known, all the way down.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown | Value::Partial(_) => false,
            Value::List(items) => items.iter().all(|i| i.value.is_wholly_known()),
            Value::Map(entries) => entries.values().all(|v| v.value.is_wholly_known()),
            _ => true,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Spanned<Value>]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The element `key` of a known map (`None` for anything else, unknown included).
    pub fn get(&self, key: &str) -> Option<&Spanned<Value>> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// The name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "object",
            Value::Unknown | Value::Partial(_) => "unknown",
        }
    }

    /// Size (nodes plus string bytes) and nesting depth, for the evaluation budget.
    pub(crate) fn weight(&self) -> (u64, usize) {
        match self {
            Value::String(s) => (1 + s.len() as u64, 1),
            Value::List(items) => items.iter().fold((1, 1), |(w, d), i| {
                let (iw, id) = i.value.weight();
                (w + iw, d.max(id + 1))
            }),
            Value::Map(entries) | Value::Partial(entries) => {
                entries.iter().fold((1, 1), |(w, d), (k, v)| {
                    let (vw, vd) = v.value.weight();
                    (w + vw + k.len() as u64, d.max(vd + 1))
                })
            }
            _ => (1, 1),
        }
    }
}

/// Deep equality as Terraform's `==`: `None` when either side is not wholly known.
pub(crate) fn equals(a: &Value, b: &Value) -> Option<bool> {
    if !a.is_wholly_known() || !b.is_wholly_known() {
        return None;
    }
    Some(known_equals(a, b))
}

fn known_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(x, y)| known_equals(&x.value, &y.value))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((kx, vx), (ky, vy))| kx == ky && known_equals(&vx.value, &vy.value))
        }
        #[expect(clippy::float_cmp, reason = "Terraform compares numbers exactly")]
        (Value::Number(x), Value::Number(y)) => x == y,
        _ => a == b,
    }
}

/// A number as Terraform prints it: integers without a fraction, others with up to 15
/// significant digits (so that `0.1 + 0.2` prints `0.3`, as with Terraform's big floats).
pub fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    if n.fract() == 0.0 && n.abs() < 1e21 {
        return format!("{n:.0}");
    }
    let sci = format!("{n:.14e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(digits);
    } else {
        let point = usize::try_from(exp).unwrap_or(0) + 1;
        if digits.len() <= point {
            out.push_str(digits);
            for _ in digits.len()..point {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        }
    }
    out
}

/// Compact HCL-like rendering, for messages and tests: `{a = 1, b = ["x", (unknown)]}`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(&number_to_string(*n)),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", item.value)?;
                }
                f.write_char(']')
            }
            Value::Map(entries) | Value::Partial(entries) => {
                if matches!(self, Value::Partial(_)) {
                    f.write_str("partial")?;
                }
                f.write_char('{')?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} = {}", v.value)?;
                }
                f.write_char('}')
            }
            Value::Unknown => f.write_str("(unknown)"),
        }
    }
}

/// A count or an index as a number.
pub(crate) fn count(n: usize) -> Value {
    Value::Number(count_f64(n))
}

#[expect(clippy::cast_precision_loss, reason = "counts stay far below 2^52")]
pub(crate) fn count_f64(n: usize) -> f64 {
    n as f64
}

/// Builds a spanned value.
pub(crate) fn sp(value: Value, range: TextRange) -> Spanned<Value> {
    Spanned::new(value, range)
}
