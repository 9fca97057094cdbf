#![expect(
    clippy::needless_pass_by_value,
    reason = "every function has the dispatch table's signature"
)]

use std::fmt::Write as _;

use cw_diagnostics::Spanned;

use super::{Cx, Out, arity, want_bool, want_int, want_list, want_num, want_str};
use crate::terraform::funcs::encoding::json_string;
use crate::terraform::value::{Map, Value, number_to_string, sp};

type Args = Vec<Spanned<Value>>;

fn string_fn(cx: &mut Cx<'_, '_, '_>, args: &Args, f: impl FnOnce(&str) -> String) -> Out {
    arity(args, 1, 1)?;
    let s = want_str(&args[0])?;
    cx.string(f(&s))
}

/// Go's one-to-one case mapping: a character whose mapping is several characters (`ß`) stays.
fn map_chars(s: &str, f: fn(char) -> Option<char>) -> String {
    s.chars().map(|c| f(c).unwrap_or(c)).collect()
}

fn single<I: ExactSizeIterator<Item = char>>(mut it: I) -> Option<char> {
    if it.len() == 1 { it.next() } else { None }
}

pub(super) fn lower(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    string_fn(cx, &args, |s| map_chars(s, |c| single(c.to_lowercase())))
}

pub(super) fn upper(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    string_fn(cx, &args, |s| map_chars(s, |c| single(c.to_uppercase())))
}

/// Go's `strings.Title`: the first letter of each word upper-cased; letters, digits and `_` are
/// word characters.
pub(super) fn title(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    string_fn(cx, &args, |s| {
        let mut prev_sep = true;
        s.chars()
            .map(|c| {
                let out = if prev_sep {
                    c.to_uppercase().collect::<String>()
                } else {
                    c.to_string()
                };
                prev_sep = !(c.is_alphanumeric() || c == '_');
                out
            })
            .collect()
    })
}

pub(super) fn trimspace(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    string_fn(cx, &args, |s| s.trim().to_owned())
}

pub(super) fn chomp(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    string_fn(cx, &args, |s| s.trim_end_matches(['\n', '\r']).to_owned())
}

pub(super) fn strrev(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    string_fn(cx, &args, |s| s.chars().rev().collect())
}

fn two_strings(args: &Args) -> Result<(String, String), String> {
    arity(args, 2, 2)?;
    Ok((want_str(&args[0])?, want_str(&args[1])?))
}

pub(super) fn trim(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let (s, cutset) = two_strings(&args)?;
    cx.string(s.trim_matches(|c| cutset.contains(c)).to_owned())
}

pub(super) fn trimprefix(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let (s, p) = two_strings(&args)?;
    cx.string(s.strip_prefix(p.as_str()).unwrap_or(&s).to_owned())
}

pub(super) fn trimsuffix(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let (s, p) = two_strings(&args)?;
    cx.string(s.strip_suffix(p.as_str()).unwrap_or(&s).to_owned())
}

pub(super) fn startswith(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let (s, p) = two_strings(&args)?;
    cx.v(Value::Bool(s.starts_with(p.as_str())))
}

pub(super) fn endswith(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let (s, p) = two_strings(&args)?;
    cx.v(Value::Bool(s.ends_with(p.as_str())))
}

pub(super) fn strcontains(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let (s, p) = two_strings(&args)?;
    cx.v(Value::Bool(s.contains(p.as_str())))
}

pub(super) fn substr(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 3, 3)?;
    let s = want_str(&args[0])?;
    let (offset, length) = (want_int(&args[1])?, want_int(&args[2])?);
    let chars: Vec<char> = s.chars().collect();
    let len = i64::try_from(chars.len()).unwrap_or(i64::MAX);
    let start = if offset < 0 {
        (len + offset).max(0)
    } else {
        offset
    };
    if start > len {
        return Err("offset out of range".to_owned());
    }
    let end = if length < 0 {
        len
    } else {
        (start + length).min(len)
    };
    #[expect(
        clippy::cast_sign_loss,
        clippy::cast_possible_truncation,
        reason = "clamped to the string"
    )]
    let out: String = chars[start as usize..end.max(start) as usize]
        .iter()
        .collect();
    cx.string(out)
}

pub(super) fn indent(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 2, 2)?;
    let n = usize::try_from(want_int(&args[0])?.clamp(0, 1024)).unwrap_or(0);
    let s = want_str(&args[1])?;
    let growth = s.matches('\n').count() * n;
    if !cx.ev.shared.charge(growth as u64, cx.range) {
        return cx.unknown();
    }
    let pad = " ".repeat(n);
    cx.string(s.replace('\n', &format!("\n{pad}")))
}

pub(super) fn join(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    if args.len() < 2 {
        return Err("a separator and at least one list are required".to_owned());
    }
    let sep = want_str(&args[0])?;
    let mut parts = Vec::new();
    for list in &args[1..] {
        for item in want_list(list)? {
            if item.value.is_null() {
                return Err("cannot join a null element".to_owned());
            }
            parts.push(want_str(item)?);
        }
    }
    cx.string(parts.join(&sep))
}

pub(super) fn split(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let (sep, s) = two_strings(&args)?;
    let range = cx.range;
    let parts: Vec<Spanned<Value>> = if sep.is_empty() {
        s.chars()
            .map(|c| sp(Value::String(c.to_string()), range))
            .collect()
    } else {
        s.split(sep.as_str())
            .map(|p| sp(Value::String(p.to_owned()), range))
            .collect()
    };
    cx.v(Value::List(parts))
}

pub(super) fn replace(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 3, 3)?;
    let (s, search, with) = (
        want_str(&args[0])?,
        want_str(&args[1])?,
        want_str(&args[2])?,
    );
    let out = if search.len() >= 2 && search.starts_with('/') && search.ends_with('/') {
        let re = cx.ev.shared.regex(&search[1..search.len() - 1])?;
        re.replace_all(&s, with.as_str()).into_owned()
    } else if search.is_empty() {
        // Go inserts the replacement around every character.
        let mut out = with.clone();
        for c in s.chars() {
            out.push(c);
            out.push_str(&with);
        }
        out
    } else {
        s.replace(search.as_str(), &with)
    };
    cx.string(out)
}

/// The value `regex` returns for one match: the match, a list of groups, or a map of named groups.
fn captures(
    re: &regex::Regex,
    caps: &regex::Captures<'_>,
    cx: &Cx<'_, '_, '_>,
) -> Result<Value, String> {
    let range = cx.range;
    let group = |i: usize| {
        caps.get(i)
            .map_or(Value::Null, |m| Value::String(m.as_str().to_owned()))
    };
    if re.captures_len() == 1 {
        return Ok(group(0));
    }
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    if names.iter().all(Option::is_some) {
        let mut m = Map::new();
        for (i, name) in names.iter().enumerate() {
            m.insert(name.unwrap_or_default().to_owned(), sp(group(i + 1), range));
        }
        Ok(Value::Map(m))
    } else if names.iter().all(Option::is_none) {
        Ok(Value::List(
            (1..re.captures_len())
                .map(|i| sp(group(i), range))
                .collect(),
        ))
    } else {
        Err("named and unnamed capture groups cannot be mixed".to_owned())
    }
}

pub(super) fn regex(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let (pattern, s) = two_strings(&args)?;
    let re = cx.ev.shared.regex(&pattern)?;
    let Some(caps) = re.captures(&s) else {
        return Err("pattern did not match any part of the given string".to_owned());
    };
    let v = captures(&re, &caps, cx)?;
    cx.v(v)
}

pub(super) fn regexall(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    let (pattern, s) = two_strings(&args)?;
    let re = cx.ev.shared.regex(&pattern)?;
    let range = cx.range;
    let mut out = Vec::new();
    for caps in re.captures_iter(&s) {
        out.push(sp(captures(&re, &caps, cx)?, range));
    }
    cx.v(Value::List(out))
}

pub(super) fn formatlist(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    if args.is_empty() {
        return Err("a format string is required".to_owned());
    }
    let fmt = want_str(&args[0])?;
    let mut n: Option<usize> = None;
    for a in &args[1..] {
        if let Value::List(items) = &a.value {
            match n {
                Some(m) if m != items.len() => {
                    return Err("all list arguments must have the same length".to_owned());
                }
                _ => n = Some(items.len()),
            }
        }
    }
    let n = n.unwrap_or(1);
    let range = cx.range;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let row: Vec<Spanned<Value>> = args[1..]
            .iter()
            .map(|a| match &a.value {
                Value::List(items) => items[i].clone(),
                _ => a.clone(),
            })
            .collect();
        out.push(sp(Value::String(format_values(&fmt, &row)?), range));
    }
    cx.v(Value::List(out))
}

pub(super) fn format(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    if args.is_empty() {
        return Err("a format string is required".to_owned());
    }
    let fmt = want_str(&args[0])?;
    let s = format_values(&fmt, &args[1..])?;
    cx.string(s)
}

#[derive(Default)]
#[expect(clippy::struct_excessive_bools, reason = "the flags of a format verb")]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    zero: bool,
    space: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

/// Go-style formatting as Terraform's `format` does it: `%v %#v %t %d %b %o %x %X %e %E %f %g
/// %G %s %q %%`, flags `+ - # 0 space`, width, precision and `%[n]` argument indexes.
fn format_values(fmt: &str, args: &[Spanned<Value>]) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    let mut next_arg = 0usize;
    let mut reordered = false;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                '0' => spec.zero = true,
                ' ' => spec.space = true,
                _ => break,
            }
            chars.next();
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            let digits: String = chars.by_ref().take_while(|c| *c != ']').collect();
            let n: usize = digits
                .parse()
                .map_err(|_| "invalid argument index".to_owned())?;
            next_arg = n.checked_sub(1).ok_or("argument indexes start at 1")?;
            reordered = true;
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        spec.width = width.parse().ok().map(|w: usize| w.min(1024));
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            spec.precision = Some(p.parse::<usize>().unwrap_or(0).min(1024));
        }
        let verb = chars
            .next()
            .ok_or("format string ends with an incomplete verb")?;
        let arg = args
            .get(next_arg)
            .ok_or_else(|| format!("not enough arguments for the verb %{verb}"))?;
        next_arg += 1;
        let body = verb_body(verb, &spec, arg)?;
        pad(
            &mut out,
            &body,
            &spec,
            matches!(
                verb,
                'd' | 'b' | 'o' | 'x' | 'X' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G'
            ),
        );
    }
    if !reordered && next_arg < args.len() {
        return Err(format!(
            "too many arguments: {} given, {next_arg} used",
            args.len()
        ));
    }
    Ok(out)
}

fn pad(out: &mut String, body: &str, spec: &Spec, numeric: bool) {
    let len = body.chars().count();
    let width = spec.width.unwrap_or(0);
    if len >= width {
        out.push_str(body);
    } else if spec.minus {
        out.push_str(body);
        out.extend(std::iter::repeat_n(' ', width - len));
    } else if spec.zero && numeric {
        let (sign, digits) = match body.strip_prefix(['-', '+']) {
            Some(rest) => (&body[..1], rest),
            None => ("", body),
        };
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', width - len));
        out.push_str(digits);
    } else {
        out.extend(std::iter::repeat_n(' ', width - len));
        out.push_str(body);
    }
}

fn signed(spec: &Spec, negative: bool, digits: String) -> String {
    if negative {
        format!("-{digits}")
    } else if spec.plus {
        format!("+{digits}")
    } else if spec.space {
        format!(" {digits}")
    } else {
        digits
    }
}

fn verb_body(verb: char, spec: &Spec, arg: &Spanned<Value>) -> Result<String, String> {
    let v = &arg.value;
    Ok(match verb {
        'v' if spec.sharp => json_string(v),
        'v' => match v {
            Value::String(s) => s.clone(),
            Value::Null => "null".to_owned(),
            Value::List(_) | Value::Map(_) => json_string(v),
            _ => want_str(arg)?,
        },
        't' => want_bool(arg)?.to_string(),
        's' => {
            let s = match v {
                Value::List(_) | Value::Map(_) => return Err("%s requires a string".to_owned()),
                _ => want_str(arg)?,
            };
            match spec.precision {
                Some(p) => s.chars().take(p).collect(),
                None => s,
            }
        }
        'q' => json_string(&Value::String(want_str(arg)?)),
        'd' | 'b' | 'o' | 'x' | 'X' => {
            if let (Value::String(s), 'x' | 'X') = (v, verb) {
                let mut hex = String::new();
                for b in s.bytes() {
                    let _ = write!(hex, "{b:02x}");
                }
                return Ok(if verb == 'X' { hex.to_uppercase() } else { hex });
            }
            let n = want_num(arg)?;
            if n.fract() != 0.0 {
                return Err(format!("%{verb} requires a whole number"));
            }
            let abs = n.abs();
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "whole, non-negative"
            )]
            let u = abs as u128;
            let digits = match verb {
                'd' => format!("{u}"),
                'b' => format!("{u:b}"),
                'o' if spec.sharp => format!("0{u:o}"),
                'o' => format!("{u:o}"),
                'x' if spec.sharp => format!("0x{u:x}"),
                'x' => format!("{u:x}"),
                _ if spec.sharp => format!("0X{u:X}"),
                _ => format!("{u:X}"),
            };
            signed(spec, n < 0.0, digits)
        }
        'e' | 'E' => {
            let n = want_num(arg)?;
            let s = go_exp(n.abs(), spec.precision.unwrap_or(6));
            let s = if verb == 'E' { s.to_uppercase() } else { s };
            signed(spec, n.is_sign_negative() && n != 0.0, s)
        }
        'f' | 'F' => {
            let n = want_num(arg)?;
            let s = format!("{:.*}", spec.precision.unwrap_or(6), n.abs());
            signed(spec, n < 0.0, s)
        }
        'g' | 'G' => {
            let n = want_num(arg)?;
            let s = go_g(n.abs(), spec.precision);
            let s = if verb == 'G' { s.to_uppercase() } else { s };
            signed(spec, n < 0.0, s)
        }
        other => return Err(format!("unsupported format verb %{other}")),
    })
}

/// `%e`: `1.234500e+03`.
fn go_exp(n: f64, precision: usize) -> String {
    let s = format!("{n:.precision$e}");
    go_exponent(&s)
}

/// Rust's `1.5e3` / `1.5e-7` as Go writes exponents: `1.5e+03`, `1.5e-07`.
fn go_exponent(s: &str) -> String {
    let Some((mantissa, exp)) = s.split_once('e') else {
        return s.to_owned();
    };
    let (sign, digits) = match exp.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exp),
    };
    format!("{mantissa}e{sign}{digits:0>2}")
}

/// `%g`: the shortest representation, in exponent form for large or small exponents.
fn go_g(n: f64, precision: Option<usize>) -> String {
    if n == 0.0 {
        return "0".to_owned();
    }
    let shortest = match precision {
        Some(p) => format!("{:.*e}", p.saturating_sub(1), n),
        None => format!("{n:e}"),
    };
    let (mantissa, exp) = shortest.split_once('e').unwrap_or((&shortest, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let limit = precision.map_or(21, |p| i32::try_from(p).unwrap_or(i32::MAX));
    if exp < -4 || exp >= limit {
        let mantissa = if mantissa.contains('.') {
            mantissa.trim_end_matches('0').trim_end_matches('.')
        } else {
            mantissa
        };
        go_exponent(&format!("{mantissa}e{exp}"))
    } else {
        let v: f64 = shortest.parse().unwrap_or(n);
        number_to_string(v)
    }
}
