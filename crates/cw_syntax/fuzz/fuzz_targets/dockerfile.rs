//! Parse and build any text: never a panic, every range inside the text on char boundaries.
//!
//! `cargo +nightly fuzz run dockerfile` (from `crates/cw_syntax`).

#![no_main]

use cw_diagnostics::TextRange;
use cw_model::dockerfile::Dockerfile;
use libfuzzer_sys::fuzz_target;

fn check(src: &str, r: TextRange) {
    assert!(r.start <= r.end && r.end as usize <= src.len(), "{r:?}");
    assert!(
        src.is_char_boundary(r.start as usize) && src.is_char_boundary(r.end as usize),
        "{r:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let df = Dockerfile::from_source(src);
    for ins in &df.ast.instructions {
        check(src, ins.range);
        check(src, ins.keyword_range);
        check(src, ins.args_range());
        for w in ins.shell_text().map(|t| t.words()).unwrap_or_default() {
            check(src, w.range);
        }
        for kv in ins.key_values() {
            check(src, kv.range);
        }
    }
    for e in &df.ast.errors {
        check(src, e.range);
    }
    for run in &df.runs {
        for c in run.script.commands() {
            check(src, c.range);
            check(src, c.name.range);
            for a in &c.args {
                check(src, a.range);
            }
        }
    }
    for i in 0..df.ast.instructions.len() {
        let _ = df.vars_at(i);
    }
});
