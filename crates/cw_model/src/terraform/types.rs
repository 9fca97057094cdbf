//! Type constraints (`list(object({ a = optional(string, "x") }))`) and conversion to them.

use cw_diagnostics::Spanned;
use cw_syntax::hcl::{Expr, ExprKind, ObjectKey};

use super::value::{Map, Value, number_to_string, sp};

/// A type constraint, as written in a variable's `type`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    Object(Vec<Attribute>),
}

/// An attribute of an object type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Attribute {
    pub(crate) name: String,
    pub(crate) ty: Type,
    /// Declared with `optional(...)`.
    pub(crate) optional: bool,
    /// The second argument of `optional(type, default)`.
    pub(crate) default: Option<Spanned<Value>>,
}

impl Type {
    /// Primitive types (and no type at all) take `--var` and `TF_VAR_` values as literal strings;
    /// the others parse them as HCL.
    pub(crate) fn parses_cli_as_hcl(&self) -> bool {
        !matches!(self, Type::String | Type::Number | Type::Bool)
    }
}

/// Reads a type expression. `default` evaluates the default of an `optional(type, default)`.
pub(crate) fn parse(
    expr: &Expr,
    default: &mut dyn FnMut(&Expr) -> Spanned<Value>,
) -> Result<Type, String> {
    match &expr.unparenthesized().kind {
        ExprKind::Variable(name) => match name.as_str() {
            "any" => Ok(Type::Any),
            "string" => Ok(Type::String),
            "number" => Ok(Type::Number),
            "bool" => Ok(Type::Bool),
            "list" | "set" | "map" => Ok(collection(name, Type::Any)),
            other => Err(format!("unknown type `{other}`")),
        },
        ExprKind::Call(call) => {
            let name = call.name.value.as_str();
            let arg = |i: usize| {
                call.args
                    .get(i)
                    .ok_or_else(|| format!("`{name}` needs an argument"))
            };
            match name {
                "list" | "set" | "map" => Ok(collection(name, parse(arg(0)?, default)?)),
                "tuple" => match &arg(0)?.unparenthesized().kind {
                    ExprKind::Tuple(items) => Ok(Type::Tuple(
                        items
                            .iter()
                            .map(|i| parse(i, default))
                            .collect::<Result<_, _>>()?,
                    )),
                    _ => Err("`tuple` takes a list of types".to_owned()),
                },
                "object" => match &arg(0)?.unparenthesized().kind {
                    ExprKind::Object(items) => {
                        let mut attrs = Vec::new();
                        for item in items {
                            let name = match &item.key {
                                ObjectKey::Ident(i) => i.value.clone(),
                                ObjectKey::Expr(e) => e
                                    .as_str()
                                    .ok_or("object attribute names must be names")?
                                    .to_owned(),
                            };
                            attrs.push(attribute(name, &item.value, default)?);
                        }
                        Ok(Type::Object(attrs))
                    }
                    _ => Err("`object` takes an object of types".to_owned()),
                },
                "optional" => Err("`optional` is only allowed for object attributes".to_owned()),
                other => Err(format!("unknown type `{other}`")),
            }
        }
        _ => Err("not a type".to_owned()),
    }
}

fn collection(name: &str, element: Type) -> Type {
    match name {
        "list" => Type::List(Box::new(element)),
        "set" => Type::Set(Box::new(element)),
        _ => Type::Map(Box::new(element)),
    }
}

fn attribute(
    name: String,
    expr: &Expr,
    default: &mut dyn FnMut(&Expr) -> Spanned<Value>,
) -> Result<Attribute, String> {
    if let ExprKind::Call(call) = &expr.unparenthesized().kind
        && call.name.value == "optional"
    {
        let ty = parse(call.args.first().ok_or("`optional` needs a type")?, default)?;
        let value = call.args.get(1).map(&mut *default);
        let value = match value {
            Some(v) => Some(convert(v, &ty).map_err(|e| format!("default of `{name}`: {e}"))?),
            None => None,
        };
        return Ok(Attribute {
            name,
            ty,
            optional: true,
            default: value,
        });
    }
    Ok(Attribute {
        name,
        ty: parse(expr, default)?,
        optional: false,
        default: None,
    })
}

/// Converts `value` to `ty` as Terraform does for variables: primitive conversions
/// (`"5"` → `5`), collection element conversion, object attributes filled with their
/// `optional()` defaults (or null), extra attributes dropped. Unknown stays unknown.
pub(crate) fn convert(value: Spanned<Value>, ty: &Type) -> Result<Spanned<Value>, String> {
    let range = value.range;
    let v = match (value.value, ty) {
        (v @ (Value::Unknown | Value::Null), _) | (v, Type::Any) => v,
        (Value::Partial(_), _) => Value::Unknown,
        (Value::String(s), Type::String) => Value::String(s),
        (Value::Number(n), Type::String) => Value::String(number_to_string(n)),
        (Value::Bool(b), Type::String) => Value::String(b.to_string()),
        (Value::Number(n), Type::Number) => Value::Number(n),
        (Value::String(s), Type::Number) => Value::Number(
            parse_number(&s).ok_or_else(|| format!("cannot convert {s:?} to number"))?,
        ),
        (Value::Bool(b), Type::Bool) => Value::Bool(b),
        (Value::String(s), Type::Bool) => match s.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(format!("cannot convert {s:?} to bool")),
        },
        (Value::List(items), Type::List(el)) => Value::List(
            items
                .into_iter()
                .map(|i| convert(i, el))
                .collect::<Result<_, _>>()?,
        ),
        (Value::List(items), Type::Set(el)) => {
            let items = items
                .into_iter()
                .map(|i| convert(i, el))
                .collect::<Result<Vec<_>, _>>()?;
            Value::List(super::funcs::to_set(items))
        }
        (Value::List(items), Type::Tuple(types)) => {
            if items.len() != types.len() {
                return Err(format!("a tuple of {} elements is required", types.len()));
            }
            Value::List(
                items
                    .into_iter()
                    .zip(types)
                    .map(|(i, t)| convert(i, t))
                    .collect::<Result<_, _>>()?,
            )
        }
        (Value::Map(entries), Type::Map(el)) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| Ok((k, convert(v, el)?)))
                .collect::<Result<_, String>>()?,
        ),
        (Value::Map(mut entries), Type::Object(attrs)) => {
            let mut out = Map::new();
            for attr in attrs {
                match entries.remove(&attr.name) {
                    Some(v) if v.value.is_null() && attr.default.is_some() => {
                        out.insert(attr.name.clone(), attr.default.clone().expect("checked"));
                    }
                    Some(v) => {
                        let v = convert(v, &attr.ty)
                            .map_err(|e| format!("attribute `{}`: {e}", attr.name))?;
                        out.insert(attr.name.clone(), v);
                    }
                    None if attr.optional => {
                        let v = attr
                            .default
                            .clone()
                            .unwrap_or_else(|| sp(Value::Null, range));
                        out.insert(attr.name.clone(), v);
                    }
                    None => return Err(format!("attribute `{}` is required", attr.name)),
                }
            }
            Value::Map(out)
        }
        (v, ty) => {
            return Err(format!(
                "{} required, got {}",
                type_label(ty),
                v.type_name()
            ));
        }
    };
    Ok(sp(v, range))
}

fn type_label(ty: &Type) -> &'static str {
    match ty {
        Type::Any => "any value",
        Type::String => "string",
        Type::Number => "number",
        Type::Bool => "bool",
        Type::List(_) => "list",
        Type::Set(_) => "set",
        Type::Map(_) => "map",
        Type::Tuple(_) => "tuple",
        Type::Object(_) => "object",
    }
}

/// A decimal number as Terraform accepts it in a string (`"5"`, `"-1.5e3"`; not `"0x10"`).
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        || !body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
    {
        return None;
    }
    t.parse().ok().filter(|n: &f64| n.is_finite())
}
