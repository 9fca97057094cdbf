#![expect(
    clippy::needless_pass_by_value,
    reason = "every function has the dispatch table's signature"
)]

use cw_diagnostics::Spanned;

use super::{Cx, Out, arity, encoding, want_bool, want_map, want_num, want_str};
use crate::terraform::eval::{Eval, Scope};
use crate::terraform::model::ProblemKind;
use crate::terraform::path;
use crate::terraform::value::{Value, sp};

// ---- small functions ----

pub(super) fn identity(cx: &mut Cx<'_, '_, '_>, mut args: Vec<Spanned<Value>>) -> Out {
    arity(&args, 1, 1)?;
    let v = args.remove(0);
    let _ = cx;
    Ok(v)
}

pub(super) fn issensitive(cx: &mut Cx<'_, '_, '_>, args: Vec<Spanned<Value>>) -> Out {
    arity(&args, 1, 1)?;
    cx.v(Value::Bool(false))
}

pub(super) fn tostring(cx: &mut Cx<'_, '_, '_>, args: Vec<Spanned<Value>>) -> Out {
    arity(&args, 1, 1)?;
    match &args[0].value {
        Value::Null => cx.v(Value::Null),
        Value::List(_) | Value::Map(_) => Err("cannot convert a collection to string".to_owned()),
        _ => {
            let s = want_str(&args[0])?;
            Ok(sp(Value::String(s), args[0].range))
        }
    }
}

pub(super) fn tonumber(cx: &mut Cx<'_, '_, '_>, args: Vec<Spanned<Value>>) -> Out {
    arity(&args, 1, 1)?;
    match &args[0].value {
        Value::Null => cx.v(Value::Null),
        Value::Bool(_) => Err("cannot convert a bool to number".to_owned()),
        _ => Ok(sp(Value::Number(want_num(&args[0])?), args[0].range)),
    }
}

pub(super) fn tobool(cx: &mut Cx<'_, '_, '_>, args: Vec<Spanned<Value>>) -> Out {
    arity(&args, 1, 1)?;
    match &args[0].value {
        Value::Null => cx.v(Value::Null),
        _ => Ok(sp(Value::Bool(want_bool(&args[0])?), args[0].range)),
    }
}

// ---- files ----

/// A path argument resolved against the root module directory, as Terraform resolves it against
/// its working directory.
pub(super) fn resolve(cx: &Cx<'_, '_, '_>, p: &str) -> String {
    path::join(&cx.ev.shared.root_dir, p)
}

pub(super) fn read(cx: &mut Cx<'_, '_, '_>, p: &str) -> Result<String, String> {
    let full = resolve(cx, p);
    cx.ev
        .shared
        .loader
        .read_file(&full)
        .ok_or_else(|| format!("no file exists at {p:?}"))
}

pub(super) fn file(cx: &mut Cx<'_, '_, '_>, args: Vec<Spanned<Value>>) -> Out {
    arity(&args, 1, 1)?;
    let text = read(cx, &want_str(&args[0])?)?;
    cx.string(text)
}

pub(super) fn filebase64(cx: &mut Cx<'_, '_, '_>, args: Vec<Spanned<Value>>) -> Out {
    arity(&args, 1, 1)?;
    let text = read(cx, &want_str(&args[0])?)?;
    cx.string(encoding::base64(text.as_bytes()))
}

pub(super) fn fileexists(cx: &mut Cx<'_, '_, '_>, args: Vec<Spanned<Value>>) -> Out {
    arity(&args, 1, 1)?;
    let full = resolve(cx, &want_str(&args[0])?);
    let exists = cx.ev.shared.loader.read_file(&full).is_some();
    cx.v(Value::Bool(exists))
}

pub(super) fn templatefile(cx: &mut Cx<'_, '_, '_>, args: Vec<Spanned<Value>>) -> Out {
    arity(&args, 2, 2)?;
    let p = want_str(&args[0])?;
    let vars = want_map(&args[1])?.clone();
    if cx.ev.shared.template_depth >= 8 {
        return Err("templatefile calls nested too deeply".to_owned());
    }
    let full = resolve(cx, &p);
    let template = if let Some(t) = cx.ev.shared.templates.get(&full) {
        t.clone()
    } else {
        let Some(text) = cx.ev.shared.loader.read_file(&full) else {
            return Err(format!("no file exists at {p:?}"));
        };
        let parsed = match cx
            .ev
            .shared
            .sources
            .add(&full, &text)
            .map(|b| cw_syntax::hcl::parse_template(&text, b))
        {
            Some(Ok(expr)) => Some(expr),
            Some(Err(e)) => {
                cx.ev
                    .shared
                    .problem(ProblemKind::Syntax, e.range, e.message);
                None
            }
            None => None,
        };
        cx.ev.shared.templates.insert(full.clone(), parsed.clone());
        parsed
    };
    let Some(template) = template else {
        return cx.unknown();
    };
    let scope = Scope {
        restricted: true,
        ..Scope::default()
    };
    cx.ev.shared.template_depth += 1;
    let result = {
        let mut inner = Eval::new(&scope, cx.ev.shared);
        inner.bindings = vars.into_iter().collect();
        inner.eval(&template)
    };
    cx.ev.shared.template_depth -= 1;
    match result {
        Ok(v) => Ok(sp(v.value, cx.range)),
        Err(e) => Err(format!("{} (in {p})", e.message)),
    }
}

pub(super) fn basename(cx: &mut Cx<'_, '_, '_>, args: Vec<Spanned<Value>>) -> Out {
    arity(&args, 1, 1)?;
    let p = want_str(&args[0])?;
    let trimmed = p.trim_end_matches('/');
    let base = if trimmed.is_empty() {
        if p.is_empty() { "." } else { "/" }
    } else {
        trimmed.rsplit('/').next().unwrap_or(trimmed)
    };
    cx.string(base.to_owned())
}

pub(super) fn dirname(cx: &mut Cx<'_, '_, '_>, args: Vec<Spanned<Value>>) -> Out {
    arity(&args, 1, 1)?;
    let p = want_str(&args[0])?;
    let dir = match p.rfind('/') {
        None => ".".to_owned(),
        Some(0) => "/".to_owned(),
        Some(i) => path::clean(&p[..i]),
    };
    cx.string(dir)
}
