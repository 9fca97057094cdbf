//! `cloudwright fix`: apply fixes until they converge, then write the files (or print a diff).

use std::io::Write;

use anyhow::Context;
use cw_linter::{apply_fixes, lint_file};
use cw_workspace::Scan;
use similar::TextDiff;

use super::setup::setup;
use crate::Outcome;
use crate::args::FixArgs;
use crate::printer;

/// Fix rounds per file: fixes that overlapped in one round apply in the next.
const MAX_ROUNDS: usize = 10;

pub(crate) fn run(args: &FixArgs) -> anyhow::Result<Outcome> {
    let setup = setup(&args.selection)?;
    let opts = &setup.options;
    let scan = Scan::walk(opts)?;
    let mut out = printer::output(None)?;
    let (mut fixed_files, mut fixes) = (0usize, 0usize);
    for (file, kind) in scan.lintable() {
        let Ok(original) = std::fs::read_to_string(&file.abs) else {
            continue;
        };
        let facts = scan.facts(file, kind);
        let mut text = original.clone();
        let mut applied = 0;
        for _ in 0..MAX_ROUNDS {
            let diags = lint_file(&file.rel, &text, kind, &facts, &opts.settings).diagnostics;
            match apply_fixes(&text, &diags, args.unsafe_fixes) {
                Some(f) => {
                    applied += f.applied.len();
                    text = f.text;
                }
                None => break,
            }
        }
        if text == original {
            continue;
        }
        fixed_files += 1;
        fixes += applied;
        if args.diff {
            let diff = TextDiff::from_lines(&original, &text);
            write!(
                out,
                "{}",
                diff.unified_diff()
                    .header(&format!("a/{}", file.rel), &format!("b/{}", file.rel))
            )?;
        } else {
            std::fs::write(&file.abs, &text)
                .with_context(|| format!("cannot write {}", file.abs.display()))?;
        }
    }
    out.flush()?;
    if !args.selection.quiet {
        let verb = if args.diff { "would fix" } else { "fixed" };
        printer::note(&format!(
            "{verb} {fixes} finding{} in {fixed_files} file{}",
            if fixes == 1 { "" } else { "s" },
            if fixed_files == 1 { "" } else { "s" }
        ));
    }
    Ok(Outcome::Clean)
}
