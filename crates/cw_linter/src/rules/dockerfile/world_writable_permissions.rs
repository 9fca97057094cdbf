use cw_syntax::dockerfile::Keyword;
use cw_syntax::shell::{SimpleCommand, Word};

use super::helpers::cli::{basename, parse_args, unwrapped};
use super::helpers::copy::stage_of;
use super::helpers::layers::run_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P1): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// `chmod 777` / `a+w` lets any UID in the container rewrite code.
    ///
    /// ## Example
    /// ```dockerfile
    /// FIXME
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FIXME
    /// ```
    ///
    /// ## References
    /// - FIXME
    pub struct WorldWritablePermissions {
        code: "DKR033",
        name: "world-writable-permissions",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [

        ],
    }
}

const HELP: &str = "grant write access to the user or group that needs it (`chown app` + `chmod 755`/`775`), or use a sticky `1777` for shared scratch directories";

impl Rule for WorldWritablePermissions {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (index, ins) in df.ast.instructions.iter().enumerate() {
            if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            for flag in ins.flags_named("chmod") {
                let Some(mode) = &flag.value else { continue };
                if mode.value.contains('$') || !world_writable(&mode.value) {
                    continue;
                }
                let f = ctx
                    .report(
                        mode.range,
                        format!(
                            "`{} --chmod={}` makes the files writable by every user",
                            ins.keyword.as_str(),
                            mode.value
                        ),
                    )
                    .help(HELP);
                if let Some(stage) = stage_of(df, index) {
                    f.resource(format!("stage {}", stage.display_name()));
                }
            }
        }
        for run in &df.runs {
            for cmd in run.script.commands() {
                let Some((tool, word, mode)) = mode_word(cmd) else {
                    continue;
                };
                if !word.literal || !world_writable(mode) {
                    continue;
                }
                ctx.report(
                    word.range,
                    format!("`{tool}` with mode `{mode}` makes the path writable by every user"),
                )
                .help(HELP)
                .resource(run_resource(df, run));
            }
        }
    }
}

/// The mode of `chmod MODE`, `mkdir -m MODE` or `install -m MODE`: the tool, the word holding the
/// mode, and the mode itself.
fn mode_word(cmd: &SimpleCommand) -> Option<(&'static str, &Word, &str)> {
    let (name, args) = unwrapped(cmd)?;
    if !name.literal {
        return None;
    }
    match basename(name) {
        "chmod" => {
            if args.iter().any(|a| a.value.starts_with("--reference")) {
                return None;
            }
            // The mode is the first argument that is not an option (`-w` is a mode, `-R` is not).
            let mode = args.iter().find(|a| {
                let v = a.value.as_str();
                !v.starts_with("--")
                    && !(v.len() > 1
                        && v.starts_with('-')
                        && v[1..].bytes().all(|b| b"Rfvc".contains(&b)))
            })?;
            Some(("chmod", mode, mode.value.as_str()))
        }
        base @ ("mkdir" | "install") => {
            let tool = if base == "mkdir" { "mkdir" } else { "install" };
            let line = parse_args(
                args,
                b"mgotS",
                &[
                    "mode",
                    "owner",
                    "group",
                    "target-directory",
                    "suffix",
                    "context",
                ],
            );
            let opt = line.find(Some('m'), &["mode"])?;
            Some((tool, opt.value_word?, opt.value?))
        }
        _ => None,
    }
}

/// Whether `mode` (octal or symbolic) gives write access to others, without the sticky bit that makes
/// shared directories like `/tmp` safe.
fn world_writable(mode: &str) -> bool {
    let mode = mode.trim();
    if !mode.is_empty() && mode.len() <= 5 && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let digits: Vec<u8> = mode.bytes().map(|b| b - b'0').collect();
        let others = digits[digits.len() - 1];
        let sticky = digits.len() >= 4 && digits[digits.len() - 4] & 1 == 1;
        return others & 2 == 2 && !sticky;
    }
    let mut writable = false;
    let mut sticky = false;
    for clause in mode.split(',') {
        let who_end = clause.find(['+', '-', '=']).unwrap_or(clause.len());
        let who = &clause[..who_end];
        if !who.bytes().all(|b| b"ugoa".contains(&b)) {
            return false;
        }
        // Without a `who`, umask applies (`chmod +w` is not world-writable under the usual 022).
        let others = who.contains('o') || who.contains('a');
        let mut rest = &clause[who_end..];
        while let Some(op) = rest.chars().next() {
            let perms_end = rest[1..]
                .find(['+', '-', '='])
                .map_or(rest.len(), |i| i + 1);
            let perms = &rest[1..perms_end];
            if op != '-' && perms.contains('t') {
                sticky = true;
            }
            if others && op != '-' && perms.contains('w') {
                writable = true;
            }
            rest = &rest[perms_end..];
        }
    }
    writable && !sticky
}
