//! The shell layer on its own (brush-parser behind our guards): never a panic, never a hang.
//!
//! `cargo +nightly fuzz run shell` (from `crates/cw_syntax`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let offsets: Vec<u32> = (0..=src.len() as u32).collect();
    let script = cw_syntax::shell::parse(src, &offsets);
    for c in script.commands() {
        assert!(c.range.end as usize <= src.len());
    }
});
