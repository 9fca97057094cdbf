use cw_syntax::dockerfile::Keyword;
use cw_syntax::shell::{SimpleCommand, Word};

use super::helpers::cli::{basename, parse_args, unwrapped};
use super::helpers::copy::stage_of;
use super::helpers::layers::run_resource;
use super::helpers::stages::stage_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags permissions that let every user write: `chmod` with an octal mode whose "others" digit has the
    /// write bit (`777`, `666`, `0777`, `2777`) or a symbolic mode that adds write for others (`a+w`,
    /// `o+w`, `ugo=rwx`), `mkdir -m`/`install -m` with such a mode, and `COPY`/`ADD --chmod=` with one.
    /// Modes with the sticky bit (`1777`, `a+rwxt`), the standard for shared scratch directories such as
    /// `/tmp`, are not reported.
    ///
    /// ## Why is this bad?
    /// In a world-writable file or directory any process in the container, whatever its UID, can replace
    /// code, configuration or scripts that another (often more privileged) process later runs. It is
    /// usually a shortcut around an ownership problem. Give the path to the user or group that needs it
    /// (`chown app` or `COPY --chown`, group-writable `g+w` for platforms that run an arbitrary UID in group
    /// 0) instead.
    ///
    /// `chmod +w` without a "who" is not reported (the umask keeps it from others), nor are modes in
    /// variables we cannot resolve.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN chmod -R 777 /app
    /// COPY --chmod=777 entrypoint.sh /usr/local/bin/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN chown -R app:app /app && chmod -R 755 /app
    /// COPY --chmod=755 entrypoint.sh /usr/local/bin/
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: COPY --chmod](https://docs.docker.com/reference/dockerfile/#copy---chmod)
    /// - [Docker: Building best practices, USER](https://docs.docker.com/build/building/best-practices/#user)
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
                    f.resource(stage_resource(stage));
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
                let option = v.len() > 1
                    && v.starts_with('-')
                    && v[1..].bytes().all(|b| b"Rfvc".contains(&b));
                !v.starts_with("--") && !option
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

#[cfg(test)]
mod tests {
    use super::world_writable;

    #[test]
    fn modes() {
        for m in [
            "777", "0777", "666", "2777", "0002", "a+w", "o+w", "a+rwx", "ugo=rwx", "u+x,o+w",
            "o=rw",
        ] {
            assert!(world_writable(m), "{m}");
        }
        for m in [
            "755", "0644", "1777", "01777", "g+w", "+w", "u+w,o-w", "a+rwxt", "o-w", "a=rx", "-w",
            "x",
        ] {
            assert!(!world_writable(m), "{m}");
        }
    }
}
