//! The Terraform evaluator: never a panic, and it returns within its budgets. The input is split
//! at lines `===` into `main.tf`, `modules/m/main.tf` (a local module the root may call with
//! `source = "./modules/m"`) and `terraform.tfvars`.
//!
//! `cargo +nightly fuzz run terraform` (from `crates/cw_syntax`).

#![no_main]

use cw_model::terraform::{Limits, Loader, Options, SourceFile, evaluate};
use libfuzzer_sys::fuzz_target;

struct Mem(Option<String>);

impl Loader for Mem {
    fn module_files(&self, dir: &str) -> Option<Vec<SourceFile>> {
        (dir == "modules/m")
            .then(|| {
                self.0
                    .clone()
                    .map(|t| vec![SourceFile::new("modules/m/main.tf", t)])
            })
            .flatten()
    }

    fn read_file(&self, _path: &str) -> Option<String> {
        None
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = src.split("\n===\n");
    let main = parts.next().unwrap_or("");
    let module = parts.next().map(str::to_owned);
    let mut files = vec![SourceFile::new("main.tf", main)];
    if let Some(vars) = parts.next() {
        files.push(SourceFile::new("terraform.tfvars", vars));
    }
    let options = Options {
        limits: Limits {
            max_module_depth: 4,
            max_module_instances: 32,
            max_instances: 64,
            max_source_bytes: 1 << 20,
            fuel: 200_000,
        },
        ..Options::default()
    };
    let eval = evaluate(".", &files, &options, &Mem(module));
    let total = eval.sources.total_len();
    for r in eval.resources() {
        assert!((r.range.end as usize) <= total + eval.sources.sources().len());
    }
});
