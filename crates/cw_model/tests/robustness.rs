//! Parsing and building never panic, whatever the input, and every range in the result slices the
//! source on character boundaries. Also: the real-world fixtures' RUN scripts all parse.

use std::path::PathBuf;

use cw_diagnostics::TextRange;
use cw_model::dockerfile::{BaseKind, Dockerfile};
use cw_syntax::dockerfile::{Arguments, Instruction};
use cw_syntax::shell::{Script, SimpleCommand};
use proptest::prelude::*;

fn instruction_ranges(ins: &Instruction, out: &mut Vec<TextRange>) {
    out.extend([ins.range, ins.keyword_range]);
    for f in &ins.flags {
        out.extend([f.range, f.name.range]);
        out.extend(f.value.as_ref().map(|v| v.range));
    }
    match &ins.args {
        Arguments::Shell(text) => {
            out.push(text.range);
            out.extend(text.words().iter().map(|w| w.range));
        }
        Arguments::Exec(exec) => {
            out.push(exec.range);
            out.extend(exec.items.iter().map(|i| i.range));
        }
    }
    for kv in ins.key_values() {
        out.extend([kv.range, kv.key.range]);
        out.extend(kv.value.map(|v| v.range));
    }
    for h in &ins.heredocs {
        out.extend([h.marker_range, h.body_range]);
    }
    if let Some(trigger) = &ins.onbuild {
        instruction_ranges(trigger, out);
    }
}

fn command_ranges(c: &SimpleCommand, out: &mut Vec<TextRange>) {
    out.extend([c.range, c.name.range]);
    out.extend(c.args.iter().map(|w| w.range));
    out.extend(c.assignments.iter().flat_map(|a| [a.range, a.value.range]));
    out.extend(c.redirects.iter().map(|(_, w)| w.range));
    out.extend(c.via_shell_c);
}

fn script_ranges(s: &Script, out: &mut Vec<TextRange>) {
    for p in &s.pipelines {
        out.push(p.range);
        for c in &p.commands {
            command_ranges(c, out);
        }
    }
}

fn all_ranges(df: &Dockerfile) -> Vec<TextRange> {
    let mut out = Vec::new();
    let ast = &df.ast;
    out.extend(ast.errors.iter().map(|e| e.range));
    out.extend(ast.comments.iter().map(|c| c.range));
    out.extend(
        ast.directives
            .iter()
            .flat_map(|d| [d.range, d.name.range, d.value.range]),
    );
    for ins in &ast.instructions {
        instruction_ranges(ins, &mut out);
    }
    for a in &df.global_args {
        out.push(a.name.range);
        out.extend(a.default.as_ref().map(|d| d.range));
    }
    for s in &df.stages {
        out.push(s.base.raw.range);
        out.extend(s.name.as_ref().map(|n| n.range));
        out.extend(s.platform.as_ref().map(|n| n.range));
        out.extend(s.user.as_ref().map(|u| u.user.range));
    }
    for r in &df.runs {
        out.push(r.range);
        out.extend(r.mounts.iter().map(|m| m.range));
        script_ranges(&r.script, &mut out);
    }
    out
}

/// Parses, builds, exercises the query helpers, and checks every range.
fn check(src: &str) {
    let df = Dockerfile::from_source(src);
    for r in all_ranges(&df) {
        assert!(
            r.start <= r.end && r.end as usize <= src.len(),
            "{r:?} out of {} bytes: {src:?}",
            src.len()
        );
        assert!(
            src.is_char_boundary(r.start as usize) && src.is_char_boundary(r.end as usize),
            "{r:?} not on char boundaries: {src:?}"
        );
    }
    for i in 0..=df.ast.instructions.len() {
        let _ = df.vars_at(i);
    }
    for s in &df.stages {
        if let BaseKind::Stage(parent) = s.base.kind {
            assert!(parent < s.index);
        }
        assert!(s.body.end <= df.ast.instructions.len());
    }
}

const SEEDS: &[&str] = &[
    "# syntax=docker/dockerfile:1\n# escape=`\nFROM a AS b\nRUN echo `\n  hi\n",
    "ARG T=1\nFROM python:${T:-2} AS x\nRUN --mount=type=cache,target=/c apt-get update && apt-get install -y curl=7.* \\\n  # c\n  && rm -rf /var/lib/apt/lists/*\nUSER ${U:-app}:app\n",
    "FROM a\nRUN <<EOF bash\nset -e\necho $(date)\nEOF\nCOPY <<a <<-b /d/\nx\na\n\ty\n\tb\n",
    "FROM a\nONBUILD RUN sh -c 'apk add x && rm y'\nCMD [\"a\", \"b\\u00e9\"]\nENV A=1 B=\"x y\" \\\n C=3\nLABEL \"k v\"=w\n",
    "FROM a\r\nRUN a \\\r\n  b\r\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"x\"]\r\nSHELL [\"/bin/bash\", \"-c\"]\r\nRUN if [ -f x ]; then for i in 1 2; do echo $i; done; fi\r\n",
    "\u{feff}FROM\té\nRUN «x» | ü && `y` $(( 1 << 2 )) ${Z:-é}\nUSER é:ü\n",
];

const TOKENS: &[&str] = &[
    "\\",
    "\\\n",
    "`",
    "\n",
    "\r\n",
    "#",
    "# escape=`\n",
    "<<",
    "<<EOF",
    "<<-EOF",
    "\nEOF\n",
    "\tEOF",
    "\"",
    "'",
    "$(",
    ")",
    "${",
    "}",
    "[",
    "]",
    ",",
    "=",
    " ",
    "\t",
    "--mount=",
    "--",
    "é",
    "ü\u{301}",
    "RUN ",
    "FROM ",
    "ONBUILD ",
    "sh -c '",
    "bash -c \"",
    " && ",
    " | ",
    "; ",
    "if ",
    "fi",
    "\\u",
    "\u{feff}",
];

fn mutate(seed: &str, edits: &[(prop::sample::Index, usize)]) -> String {
    let mut text = seed.to_string();
    for (at, token) in edits {
        let mut pos = at.index(text.len() + 1);
        while !text.is_char_boundary(pos) {
            pos -= 1;
        }
        text.insert_str(pos, TOKENS[*token % TOKENS.len()]);
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(src in any::<String>()) {
        check(&src);
    }

    #[test]
    fn dockerfile_shaped_text_never_panics(
        src in "((FROM|RUN|run|COPY|ADD|ENV|ARG|USER|SHELL|CMD|ONBUILD|HEALTHCHECK|# escape=`|#|) ?[-a-z0-9 <>\"'\\\\`$(){}\\[\\]=,:|&;\t]{0,40}\r?\n){0,12}"
    ) {
        check(&src);
    }

    #[test]
    fn mutated_dockerfiles_never_panic(
        seed in 0..SEEDS.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..TOKENS.len()), 1..10),
    ) {
        check(&mutate(SEEDS[seed], &edits));
    }

    #[test]
    fn shell_parser_never_panics(src in "[-a-z0-9 <>\"'\\\\`$(){}\\[\\]=,|&;!*?~#\n\té]{0,80}") {
        let offsets: Vec<u32> = (0..=src.len() as u32).collect();
        let script = cw_syntax::shell::parse(&src, &offsets);
        let mut ranges = Vec::new();
        script_ranges(&script, &mut ranges);
        for r in ranges {
            prop_assert!(src.is_char_boundary(r.start as usize) && src.is_char_boundary(r.end as usize));
        }
    }
}

#[expect(clippy::disallowed_methods, reason = "tests read their fixture files")]
fn fixtures() -> Vec<(PathBuf, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../cw_syntax/tests/data");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("cw_syntax/tests/data")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("utf-8 fixture");
            (p, text)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn fixture_run_scripts_parse() {
    for (path, src) in fixtures() {
        check(&src);
        let df = Dockerfile::from_source(&src);
        for run in &df.runs {
            let posix = !run.shell[0].contains("powershell");
            if posix {
                assert_eq!(
                    run.script.error,
                    None,
                    "{}: {:?}",
                    path.display(),
                    &src[run.range.as_usize()]
                );
                assert!(run.script.commands().count() > 0, "{}", path.display());
            }
        }
        for stage in &df.stages {
            assert!(
                !matches!(stage.base.kind, BaseKind::Unknown) || stage.base.resolved.is_none(),
                "{}: {:?}",
                path.display(),
                stage.base
            );
        }
    }
}
