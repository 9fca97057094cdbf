#![expect(
    clippy::needless_pass_by_value,
    reason = "every function has the dispatch table's signature"
)]

use cw_diagnostics::Spanned;

use super::{Cx, Out, arity, want_int, want_num, want_str};
use crate::terraform::value::Value;

type Args = Vec<Spanned<Value>>;

fn unary(cx: &mut Cx<'_, '_, '_>, args: &Args, f: fn(f64) -> f64) -> Out {
    arity(args, 1, 1)?;
    let n = want_num(&args[0])?;
    cx.v(Value::Number(f(n)))
}

pub(super) fn abs(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    unary(cx, &args, f64::abs)
}

pub(super) fn ceil(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    unary(cx, &args, f64::ceil)
}

pub(super) fn floor(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    unary(cx, &args, f64::floor)
}

pub(super) fn signum(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    unary(cx, &args, |n| if n == 0.0 { 0.0 } else { n.signum() })
}

pub(super) fn log(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 2, 2)?;
    let (n, base) = (want_num(&args[0])?, want_num(&args[1])?);
    cx.v(Value::Number(n.ln() / base.ln()))
}

pub(super) fn pow(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 2, 2)?;
    let (n, e) = (want_num(&args[0])?, want_num(&args[1])?);
    cx.v(Value::Number(n.powf(e)))
}

fn fold(cx: &mut Cx<'_, '_, '_>, args: &Args, pick: fn(f64, f64) -> f64) -> Out {
    if args.is_empty() {
        return Err("at least one argument is required".to_owned());
    }
    let mut acc = want_num(&args[0])?;
    for a in &args[1..] {
        acc = pick(acc, want_num(a)?);
    }
    cx.v(Value::Number(acc))
}

pub(super) fn max(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    fold(cx, &args, f64::max)
}

pub(super) fn min(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    fold(cx, &args, f64::min)
}

pub(super) fn parseint(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 2, 2)?;
    let s = want_str(&args[0])?;
    let base = want_int(&args[1])?;
    if !(2..=62).contains(&base) {
        return Err("the base must be between 2 and 62".to_owned());
    }
    let (negative, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    if digits.is_empty() {
        return Err(format!("cannot parse {s:?} as a base {base} integer"));
    }
    let mut n: f64 = 0.0;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as i64 - '0' as i64,
            'a'..='z' if base <= 36 => c as i64 - 'a' as i64 + 10,
            'A'..='Z' if base <= 36 => c as i64 - 'A' as i64 + 10,
            'a'..='z' => c as i64 - 'a' as i64 + 10,
            'A'..='Z' => c as i64 - 'A' as i64 + 36,
            _ => return Err(format!("cannot parse {s:?} as a base {base} integer")),
        };
        if d >= base {
            return Err(format!("cannot parse {s:?} as a base {base} integer"));
        }
        #[expect(clippy::cast_precision_loss, reason = "digits and bases are small")]
        {
            n = n * base as f64 + d as f64;
        }
    }
    cx.v(Value::Number(if negative { -n } else { n }))
}
