//! HCL, native and JSON syntax: never a panic or a hang, every range inside the text on char
//! boundaries.
//!
//! `cargo +nightly fuzz run hcl` (from `crates/cw_syntax`).

#![no_main]

use cw_diagnostics::TextRange;
use cw_syntax::hcl::{Body, parse_hcl, parse_tf_json};
use libfuzzer_sys::fuzz_target;

fn check(src: &str, r: TextRange) {
    assert!(r.start <= r.end && r.end as usize <= src.len(), "{r:?}");
    assert!(
        src.is_char_boundary(r.start as usize) && src.is_char_boundary(r.end as usize),
        "{r:?}"
    );
}

fn body(src: &str, b: &Body) {
    for a in &b.attributes {
        check(src, a.range);
        check(src, a.value.range);
    }
    for blk in &b.blocks {
        check(src, blk.range);
        body(src, &blk.body);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    for f in [parse_hcl(src), parse_tf_json(src)] {
        body(src, &f.body);
        for e in &f.errors {
            check(src, e.range);
        }
    }
});
