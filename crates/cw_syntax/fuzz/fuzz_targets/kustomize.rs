//! The Kustomize renderer: never a panic or a hang, and every range of a rendered object inside
//! one of the files it was given. The input is split into files at lines `===`: the first is
//! `kustomization.yaml`, the others `r0.yaml`, `r1.yaml`... beside it and `base/kustomization.yaml`
//! for the second when there are three or more.
//!
//! `cargo +nightly fuzz run kustomize` (from `crates/cw_syntax`).

#![no_main]

use std::sync::Arc;

use cw_model::kustomize::{Loaded, Loader, render};
use cw_syntax::yaml::Node;
use libfuzzer_sys::fuzz_target;

struct Mem(Vec<(String, String, u32)>);

impl Loader for Mem {
    fn load(&self, path: &str) -> Result<Loaded, String> {
        self.0
            .iter()
            .find(|(p, _, _)| p == path)
            .map(|(_, t, b)| Loaded {
                text: Arc::from(t.as_str()),
                base: *b,
            })
            .ok_or_else(|| "not found".to_owned())
    }

    fn is_dir(&self, path: &str) -> bool {
        path.is_empty()
            || path == "."
            || self
                .0
                .iter()
                .any(|(p, _, _)| p.starts_with(&format!("{path}/")))
    }
}

fn inside(mem: &Mem, node: &Node) {
    let r = node.range;
    assert!(
        mem.0
            .iter()
            .any(|(_, t, b)| r.start >= *b && r.end <= b + t.len() as u32 && r.start <= r.end),
        "{r:?}"
    );
    for i in node.items() {
        inside(mem, i);
    }
    for e in node.entries() {
        inside(mem, &e.key);
        inside(mem, &e.value);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let parts: Vec<&str> = src.split("\n===\n").take(6).collect();
    let mut base = 0u32;
    let mut files = Vec::new();
    for (i, text) in parts.iter().enumerate() {
        let path = match i {
            0 => "kustomization.yaml".to_owned(),
            1 if parts.len() >= 3 => "base/kustomization.yaml".to_owned(),
            n => format!("r{n}.yaml"),
        };
        files.push((path, (*text).to_owned(), base));
        base += text.len() as u32 + 1;
    }
    let mem = Mem(files);
    for dir in [".", "base"] {
        let r = render(dir, &mem);
        for o in &r.objects {
            inside(&mem, &o.object);
        }
    }
});
