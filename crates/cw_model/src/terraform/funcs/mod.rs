//! Terraform's built-in functions.
//!
//! A function given an argument that is not wholly known returns unknown, unless it is listed as
//! handling unknowns itself (`length` of a list with an unknown element is known; `try`, `can`
//! and `coalesce` follow Terraform's own rules). Functions whose result cannot be known before
//! apply or offline (`timestamp`, `uuid`, hashes, `abspath`) return unknown.

mod collection;
pub(crate) mod encoding;
mod misc;
mod network;
mod number;
mod string;

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::hcl::{Call, Expr};

use super::eval::{Eval, EvalError, Res, err};
use super::model::ProblemKind;
use super::types::parse_number;
use super::value::{Value, number_to_string, sp};

pub(crate) use collection::to_set;

/// What a function needs besides its arguments.
pub(crate) struct Cx<'e, 'a, 'l> {
    pub(crate) ev: &'e mut Eval<'a, 'l>,
    pub(crate) range: TextRange,
}

type Out = Result<Spanned<Value>, String>;
type Func = fn(&mut Cx<'_, '_, '_>, Vec<Spanned<Value>>) -> Out;

impl Cx<'_, '_, '_> {
    #[expect(
        clippy::unnecessary_wraps,
        reason = "a function's result, in the dispatch table's type"
    )]
    fn v(&self, value: Value) -> Out {
        Ok(sp(value, self.range))
    }

    #[expect(
        clippy::unnecessary_wraps,
        reason = "a function's result, in the dispatch table's type"
    )]
    fn unknown(&self) -> Out {
        Ok(sp(Value::Unknown, self.range))
    }

    fn string(&mut self, s: String) -> Out {
        if !self.ev.shared.charge(s.len() as u64, self.range) {
            return self.unknown();
        }
        self.v(Value::String(s))
    }
}

/// Functions whose result is only known after apply, or needs what an offline linter lacks.
const ALWAYS_UNKNOWN: &[&str] = &[
    "timestamp",
    "plantimestamp",
    "uuid",
    "uuidv5",
    "bcrypt",
    "md5",
    "sha1",
    "sha256",
    "sha512",
    "base64sha256",
    "base64sha512",
    "filemd5",
    "filesha1",
    "filesha256",
    "filesha512",
    "filebase64sha256",
    "filebase64sha512",
    "abspath",
    "pathexpand",
    "fileset",
    "rsadecrypt",
    "formatdate",
    "timeadd",
    "timecmp",
    "textencodebase64",
    "textdecodebase64",
    "ephemeralasnull",
];

/// `(name, function, handles unknown arguments itself)`.
const FUNCTIONS: &[(&str, Func, bool)] = &[
    // collections
    ("length", collection::length, true),
    ("concat", collection::concat, true),
    ("merge", collection::merge, true),
    ("lookup", collection::lookup, true),
    ("element", collection::element, true),
    ("coalesce", collection::coalesce, true),
    ("coalescelist", collection::coalescelist, true),
    ("compact", collection::compact, false),
    ("flatten", collection::flatten, false),
    ("distinct", collection::distinct, false),
    ("slice", collection::slice, true),
    ("keys", collection::keys, true),
    ("values", collection::values, true),
    ("zipmap", collection::zipmap, true),
    ("contains", collection::contains, false),
    ("one", collection::one, true),
    ("toset", collection::toset, false),
    ("tolist", collection::tolist, true),
    ("tomap", collection::tomap, true),
    ("reverse", collection::reverse, true),
    ("sort", collection::sort, false),
    ("setunion", collection::setunion, false),
    ("setintersection", collection::setintersection, false),
    ("setsubtract", collection::setsubtract, false),
    ("setproduct", collection::setproduct, false),
    ("chunklist", collection::chunklist, true),
    ("transpose", collection::transpose, false),
    ("index", collection::index, false),
    ("alltrue", collection::alltrue, false),
    ("anytrue", collection::anytrue, false),
    ("range", collection::range, false),
    ("sum", collection::sum, false),
    ("matchkeys", collection::matchkeys, false),
    ("nonsensitive", misc::identity, true),
    ("sensitive", misc::identity, true),
    ("issensitive", misc::issensitive, false),
    // type conversion
    ("tostring", misc::tostring, false),
    ("tonumber", misc::tonumber, false),
    ("tobool", misc::tobool, false),
    // strings
    ("format", string::format, false),
    ("formatlist", string::formatlist, false),
    ("join", string::join, false),
    ("split", string::split, false),
    ("replace", string::replace, false),
    ("lower", string::lower, false),
    ("upper", string::upper, false),
    ("title", string::title, false),
    ("trimspace", string::trimspace, false),
    ("trim", string::trim, false),
    ("trimprefix", string::trimprefix, false),
    ("trimsuffix", string::trimsuffix, false),
    ("chomp", string::chomp, false),
    ("startswith", string::startswith, false),
    ("endswith", string::endswith, false),
    ("strcontains", string::strcontains, false),
    ("substr", string::substr, false),
    ("strrev", string::strrev, false),
    ("indent", string::indent, false),
    ("regex", string::regex, false),
    ("regexall", string::regexall, false),
    // encoding
    ("jsonencode", encoding::jsonencode, false),
    ("jsondecode", encoding::jsondecode, false),
    ("yamlencode", encoding::yamlencode, false),
    ("yamldecode", encoding::yamldecode, false),
    ("base64encode", encoding::base64encode, false),
    ("base64decode", encoding::base64decode, false),
    ("urlencode", encoding::urlencode, false),
    ("csvdecode", encoding::csvdecode, false),
    // numbers
    ("abs", number::abs, false),
    ("ceil", number::ceil, false),
    ("floor", number::floor, false),
    ("log", number::log, false),
    ("max", number::max, false),
    ("min", number::min, false),
    ("pow", number::pow, false),
    ("signum", number::signum, false),
    ("parseint", number::parseint, false),
    // network
    ("cidrsubnet", network::cidrsubnet, false),
    ("cidrsubnets", network::cidrsubnets, false),
    ("cidrhost", network::cidrhost, false),
    ("cidrnetmask", network::cidrnetmask, false),
    // files
    ("file", misc::file, false),
    ("filebase64", misc::filebase64, false),
    ("fileexists", misc::fileexists, false),
    ("templatefile", misc::templatefile, false),
    ("basename", misc::basename, false),
    ("dirname", misc::dirname, false),
];

/// Every function name this evaluator knows (evaluated or always unknown).
pub fn function_names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS
        .iter()
        .map(|(n, _, _)| *n)
        .chain(ALWAYS_UNKNOWN.iter().copied())
        .chain(["try", "can"])
}

pub(crate) fn call(ev: &mut Eval<'_, '_>, call: &Call, range: TextRange) -> Res {
    let name = call.name.value.as_str();
    if !call.namespace.is_empty() {
        // Provider-defined functions (`provider::aws::arn_parse`) run in the provider.
        return Ok(Eval::unknown(range));
    }
    match name {
        "try" => return try_(ev, &call.args, range),
        "can" => return can(ev, &call.args, range),
        _ => {}
    }
    let mut args = Vec::with_capacity(call.args.len());
    for (i, arg) in call.args.iter().enumerate() {
        let v = ev.eval(arg)?;
        if call.expand_final && i + 1 == call.args.len() {
            match v.value {
                Value::List(items) => args.extend(items),
                Value::Unknown | Value::Partial(_) => return Ok(Eval::unknown(range)),
                _ => {
                    return Err(err(
                        arg.range,
                        "the final argument before `...` must be a list",
                    ));
                }
            }
        } else {
            args.push(v);
        }
    }
    if ALWAYS_UNKNOWN.contains(&name) {
        return Ok(Eval::unknown(range));
    }
    let Some((_, f, handles_unknown)) = FUNCTIONS.iter().find(|(n, _, _)| *n == name) else {
        ev.shared.problem(
            ProblemKind::Unsupported,
            call.name.range,
            format!("function `{name}` is not supported: its result is unknown"),
        );
        return Ok(Eval::unknown(range));
    };
    if !handles_unknown && args.iter().any(|a| !a.value.is_wholly_known()) {
        return Ok(Eval::unknown(range));
    }
    // Arguments are paid for before the call, so that no call builds a result far larger than
    // what is left of the budget.
    let input: u64 = args.iter().map(|a| a.value.weight().0).sum();
    if !ev.shared.charge(input, range) {
        return Ok(Eval::unknown(range));
    }
    let mut cx = Cx { ev, range };
    let out = f(&mut cx, args).map_err(|m| err(range, format!("{name}: {m}")))?;
    let (weight, _) = out.value.weight();
    if !cx.ev.shared.charge(weight, range) {
        return Ok(Eval::unknown(range));
    }
    Ok(out)
}

/// The first argument that evaluates without an error; unknown if that one is not wholly known
/// (it could still fail once known).
fn try_(ev: &mut Eval<'_, '_>, args: &[Expr], range: TextRange) -> Res {
    if args.is_empty() {
        return Err(err(range, "try: at least one argument is required"));
    }
    let mut last: Option<EvalError> = None;
    for arg in args {
        match ev.eval(arg) {
            Ok(v) if v.value.is_wholly_known() => return Ok(v),
            Ok(_) => return Ok(Eval::unknown(range)),
            Err(e) => last = Some(e),
        }
    }
    let reason = last.map(|e| e.message).unwrap_or_default();
    Err(err(
        range,
        format!("try: no expression succeeded (last error: {reason})"),
    ))
}

fn can(ev: &mut Eval<'_, '_>, args: &[Expr], range: TextRange) -> Res {
    let [arg] = args else {
        return Err(err(range, "can: exactly one argument is required"));
    };
    match ev.eval(arg) {
        Ok(v) if v.value.is_wholly_known() => Ok(sp(Value::Bool(true), range)),
        Ok(_) => Ok(Eval::unknown(range)),
        Err(_) => Ok(sp(Value::Bool(false), range)),
    }
}

// ---- argument helpers ----

fn arity(args: &[Spanned<Value>], min: usize, max: usize) -> Result<(), String> {
    if args.len() < min || args.len() > max {
        return Err(if min == max {
            format!("{min} arguments required, {} given", args.len())
        } else {
            format!("{min} to {max} arguments required, {} given", args.len())
        });
    }
    Ok(())
}

/// A string argument (numbers and bools convert, as in Terraform).
fn want_str(v: &Spanned<Value>) -> Result<String, String> {
    match &v.value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(number_to_string(*n)),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Err("argument must not be null".to_owned()),
        other => Err(format!("string required, got {}", other.type_name())),
    }
}

fn want_num(v: &Spanned<Value>) -> Result<f64, String> {
    match &v.value {
        Value::Number(n) => Ok(*n),
        Value::String(s) => parse_number(s).ok_or_else(|| format!("number required, got {s:?}")),
        Value::Null => Err("argument must not be null".to_owned()),
        other => Err(format!("number required, got {}", other.type_name())),
    }
}

fn want_int(v: &Spanned<Value>) -> Result<i64, String> {
    let n = want_num(v)?;
    if n.fract() != 0.0 || n.abs() > 9.0e15 {
        return Err(format!(
            "a whole number is required, got {}",
            number_to_string(n)
        ));
    }
    #[expect(
        clippy::cast_possible_truncation,
        reason = "checked whole and in range"
    )]
    Ok(n as i64)
}

fn want_bool(v: &Spanned<Value>) -> Result<bool, String> {
    match &v.value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        other => Err(format!("bool required, got {}", other.type_name())),
    }
}

fn want_list(v: &Spanned<Value>) -> Result<&Vec<Spanned<Value>>, String> {
    match &v.value {
        Value::List(items) => Ok(items),
        Value::Null => Err("argument must not be null".to_owned()),
        other => Err(format!("list required, got {}", other.type_name())),
    }
}

fn want_map(v: &Spanned<Value>) -> Result<&super::value::Map, String> {
    match &v.value {
        Value::Map(m) => Ok(m),
        Value::Null => Err("argument must not be null".to_owned()),
        other => Err(format!("map required, got {}", other.type_name())),
    }
}

fn is_unknown(v: &Spanned<Value>) -> bool {
    matches!(v.value, Value::Unknown | Value::Partial(_))
}
