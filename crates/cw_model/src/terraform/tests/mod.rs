use std::collections::BTreeMap;

use super::funcs::encoding::json_string;
use super::*;

mod console;
mod exprs;
mod fixture;
mod modules;
mod plan;
mod props;
mod throughput;
mod unknown;

/// Files in memory, by path: a module directory holds the files directly under it.
#[derive(Default)]
pub(super) struct Mem(pub(super) BTreeMap<String, String>);

impl Mem {
    pub(super) fn new(files: &[(&str, &str)]) -> Self {
        Self(
            files
                .iter()
                .map(|(p, t)| (path::clean(p), (*t).to_owned()))
                .collect(),
        )
    }

    /// The files directly in `dir`.
    pub(super) fn dir(&self, dir: &str) -> Vec<SourceFile> {
        let dir = path::clean(dir);
        self.0
            .iter()
            .filter(|(p, _)| {
                let parent = p.rsplit_once('/').map_or(".", |(d, _)| d);
                parent == dir
            })
            .map(|(p, t)| SourceFile::new(p.clone(), t.clone()))
            .collect()
    }
}

impl Loader for Mem {
    fn module_files(&self, dir: &str) -> Option<Vec<SourceFile>> {
        let files = self.dir(dir);
        (!files.is_empty()).then_some(files)
    }

    fn read_file(&self, path: &str) -> Option<String> {
        self.0.get(&path::clean(path)).cloned()
    }
}

/// Evaluates the module in `.` of `files`, local modules loaded from the same files.
pub(super) fn run(files: &[(&str, &str)]) -> Evaluation {
    run_with(files, &Options::default())
}

pub(super) fn run_with(files: &[(&str, &str)], options: &Options) -> Evaluation {
    let mem = Mem::new(files);
    let root = mem.dir(".");
    evaluate(".", &root, options, &mem)
}

const PRELUDE: &str = r#"
variable "region" {
  default = "eu-west-1"
}
locals {
  m    = { a = 1, b = "two" }
  l    = [1, 2, 3]
  objs = [{ name = "x", port = 80 }, { name = "y", port = 443 }]
}
"#;

/// A value as the tests compare it: JSON when wholly known (as `jsonencode`), else `unknown`
/// (top level) or the value with its unknown parts shown.
pub(super) fn render(v: &Value) -> String {
    if v.is_wholly_known() {
        json_string(v)
    } else if v.is_known() {
        format!("partial {v}")
    } else {
        "unknown".to_owned()
    }
}

/// Evaluates `expr` as a local next to [`PRELUDE`]: its rendering, or `error` when Terraform
/// would reject it.
pub(super) fn ex(expr: &str) -> String {
    let src = format!("{PRELUDE}\nlocals {{\n  x = {expr}\n}}\n");
    let e = run(&[("main.tf", &src)]);
    if let Some(p) = e.problems.iter().find(|p| p.kind == ProblemKind::Syntax) {
        return format!("syntax error: {}", p.message);
    }
    if e.problems.iter().any(|p| p.kind == ProblemKind::Invalid) {
        return "error".to_owned();
    }
    let x = e.root.local("x").expect("x");
    render(&x.value.value)
}

/// The local `name` of the root module.
pub(super) fn local<'a>(e: &'a Evaluation, name: &str) -> &'a Spanned<Value> {
    &e.root
        .local(name)
        .unwrap_or_else(|| panic!("no local {name}"))
        .value
}
