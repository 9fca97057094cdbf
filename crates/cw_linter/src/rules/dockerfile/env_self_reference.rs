use cw_model::dockerfile::VarValue;
use cw_syntax::dockerfile::{KeyValue, Keyword, ShellText};

use super::helpers::stages::{keyword_instructions, stage_resource, var_refs};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a reference (`$A`, `${A}`, `${A:-x}`) in an `ENV` value to a variable that an earlier
    /// pair of the same `ENV` instruction sets: `ENV A=1 B=$A`. A variable's reference to itself
    /// (`ENV PATH=/opt/bin:$PATH`) is the usual way to extend it and is not reported, nor are references
    /// in single quotes or escaped (`\$A`), nor a redefinition to the value the variable already had.
    ///
    /// ## Why is this bad?
    /// Docker expands every value of an `ENV` instruction before setting any of them, so `$A` gets the
    /// value `A` had before the instruction (often nothing), not the one set a few characters earlier.
    /// The build does not fail: the image just gets a wrong `B`, typically an empty path component or
    /// a stale version number.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV APP_HOME=/opt/app \
    ///     PATH=$APP_HOME/bin:$PATH
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ENV APP_HOME=/opt/app
    /// ENV PATH=$APP_HOME/bin:$PATH
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: ENV](https://docs.docker.com/reference/dockerfile/#env)
    /// - [Dockerfile reference: environment replacement](https://docs.docker.com/reference/dockerfile/#environment-replacement)
    /// - [hadolint DL3044](https://github.com/hadolint/hadolint/wiki/DL3044)
    pub struct EnvSelfReference {
        code: "DKR056",
        name: "env-self-reference",
        category: Reliability,
        severity: Error,
        fix: None,
        peers: [
            Hadolint("DL3044")
        ],
    }
}

impl Rule for EnvSelfReference {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (stage, index, ins) in keyword_instructions(df, &[Keyword::Env]) {
            let Some(text) = ins.shell_text() else {
                continue;
            };
            let pairs = ins.key_values();
            if pairs.len() < 2 {
                continue;
            }
            let mut vars = None;
            for (j, pair) in pairs.iter().enumerate() {
                let Some(value) = &pair.value else { continue };
                let Some((start, raw)) = text_of(text, value.range) else {
                    continue;
                };
                for (name, refs) in var_refs(raw, df.ast.escape) {
                    let Some(def) = pairs[..j].iter().rev().find(|p| p.key.value == name) else {
                        continue;
                    };
                    let vars = vars.get_or_insert_with(|| df.vars_at(index));
                    let before = vars.value(name).clone();
                    let new = def_value(text, def).and_then(|raw| vars.expand(raw));
                    if let (VarValue::Known(old), Some(new)) = (&before, &new)
                        && old == new
                    {
                        continue;
                    }
                    let gets = match &before {
                        VarValue::Known(old) if old.is_empty() => "an empty string".to_string(),
                        VarValue::Known(old) => format!("`{old}`"),
                        VarValue::Unset => "an empty string (it is not set before)".to_string(),
                        VarValue::Unknown => "its value from before this `ENV`".to_string(),
                    };
                    let reference = text.range_of(start + refs.start, start + refs.end);
                    ctx.report(
                        reference,
                        format!(
                            "`{}` refers to `{name}` set in the same `ENV`, but expands to {gets}",
                            &raw[refs.clone()]
                        ),
                    )
                    .label(
                        def.key.range,
                        format!("`{name}` is set here, in the same instruction"),
                    )
                    .help(format!("set `{name}` in its own `ENV` before this one"))
                    .resource(stage_resource(stage));
                }
            }
        }
    }
}

/// The part of `text` written at file range `range`, with its byte offset in `text`.
fn text_of(text: &ShellText, range: TextRange) -> Option<(usize, &str)> {
    let start = text.offsets.partition_point(|&o| o < range.start);
    let end = text.offsets.partition_point(|&o| o < range.end);
    text.text.get(start..end).map(|s| (start, s))
}

/// The value of `pair` as written.
fn def_value<'a>(text: &'a ShellText, pair: &KeyValue) -> Option<&'a str> {
    pair.value
        .as_ref()
        .and_then(|v| text_of(text, v.range))
        .map(|(_, s)| s)
}
