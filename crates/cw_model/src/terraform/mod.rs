//! Terraform modules, evaluated: variables, locals, `count` / `for_each` / `dynamic` expansion,
//! local module calls, and Terraform's functions, with three-valued results.
//!
//! A value is **known**, **unknown** (only known after apply: data sources, provider-computed
//! attributes, unset variables without a default, anything derived from those), or **absent**
//! (not written). Lookups make the three cases distinct ([`Body::setting`], [`Body::block`]), so
//! that a rule can report known values and known absences and never an unknown.
//!
//! The caller reads the files: [`evaluate`] takes the root module's files (`*.tf`, `*.tf.json`,
//! and the `terraform.tfvars` / `*.auto.tfvars` files to apply) and a [`Loader`] for the
//! directories of local module calls and for `file()` / `templatefile()`. Nothing here touches
//! the file system.
//!
//! Every range in the result is an offset into one address space holding every source that was
//! read ([`Evaluation::sources`]): a [`cw_diagnostics::TextRange`] alone tells the file and the
//! place. Values keep the range where they were written, so a value that came from a variable's
//! default points at the default.
//!
//! Not evaluated (unknown instead): provider-defined functions, functions whose result needs the
//! clock, randomness, hashing or the absolute working directory (`timestamp`, `uuid`, `md5`,
//! `sha256`, `abspath`...), remote modules, `*_override.tf` files (ignored, reported), `import`,
//! `moved`, `check` and `removed` blocks (ignored).

mod eval;
mod funcs;
mod model;
mod module;
mod path;
mod plan;
mod source;
mod types;
mod value;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::hcl;
use cw_syntax::yaml::{self, Node, ScalarStyle};

pub use funcs::function_names;
pub use model::*;
pub use plan::{evaluate_plan, looks_like_plan};
pub use source::{Source, SourceMap};
pub use value::{Map, Value, number_to_string};

use eval::{Eval, Scope, Shared};
use module::Input;

/// A file given to the evaluator: its path (as the caller names it, `/`-separated) and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// How the evaluator reads what a module refers to. Paths are `/`-separated and cleaned: the
/// root directory joined with a module's `source`, or with a `file()` argument.
pub trait Loader {
    /// The files of a module directory (`.tf` and `.tf.json`; others are ignored), or `None` if
    /// there is no such directory.
    fn module_files(&self, dir: &str) -> Option<Vec<SourceFile>>;
    /// The text of a file (`file()`, `templatefile()`, `fileexists()`), or `None`.
    fn read_file(&self, path: &str) -> Option<String>;
    /// Where `terraform init` put the code of a remote module, relative to the root module's
    /// directory (`.terraform/modules/vpc`), by its key: the names of the `module` blocks from
    /// the root, joined with `.` (`eks.kms` for the `kms` call inside `module.eks`). `None` when
    /// it was not downloaded.
    fn remote_module_dir(&self, key: &str) -> Option<String> {
        let _ = key;
        None
    }
}

/// A loader that finds nothing: local modules are reported as not rendered.
pub struct NoLoader;

impl Loader for NoLoader {
    fn module_files(&self, _dir: &str) -> Option<Vec<SourceFile>> {
        None
    }

    fn read_file(&self, _path: &str) -> Option<String> {
        None
    }
}

/// A command-line variable input, applied in the order given (as Terraform applies `-var` and
/// `-var-file`).
#[derive(Clone, Debug)]
pub enum CliInput {
    /// `--var-file`: a `.tfvars` or `.tfvars.json` file.
    VarFile(SourceFile),
    /// `--var name=value`.
    Var(String),
}

#[derive(Clone, Debug)]
pub struct Options {
    /// `terraform.workspace`.
    pub workspace: String,
    /// `--var` and `--var-file`, in command-line order.
    pub cli: Vec<CliInput>,
    /// The environment: `TF_VAR_name` entries set variables (other entries are ignored).
    pub env: BTreeMap<String, String>,
    pub limits: Limits,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            workspace: "default".to_owned(),
            cli: Vec::new(),
            env: BTreeMap::new(),
            limits: Limits::default(),
        }
    }
}

/// Evaluates the module in `root_dir` from its `files`, following local module calls through
/// `loader`. Never fails and never panics: what cannot be evaluated is unknown, and why is in
/// [`Evaluation::problems`].
///
/// Variable values apply in Terraform's order, later winning: defaults, `TF_VAR_` variables,
/// `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` / `*.auto.tfvars.json` (by file
/// name) from `files`, then [`Options::cli`] in order.
pub fn evaluate(
    root_dir: &str,
    files: &[SourceFile],
    options: &Options,
    loader: &dyn Loader,
) -> Evaluation {
    let root_dir = path::clean(root_dir);
    let mut shared = Shared::new(loader, &root_dir, &options.workspace, options.limits);
    let decls = Rc::new(module::load(&mut shared, files, TextRange::empty(0)));
    shared
        .decls
        .insert(root_dir.clone(), Some(Rc::clone(&decls)));
    let inputs = root_inputs(&mut shared, files, options);
    let root = module::instantiate(
        &mut shared,
        decls,
        &root_dir,
        ".",
        "",
        None,
        inputs,
        0,
        vec![root_dir.clone()],
    );
    Evaluation {
        root,
        problems: shared.problems,
        sources: shared.sources,
    }
}

fn file_name(p: &str) -> &str {
    p.rsplit(['/', '\\']).next().unwrap_or(p)
}

/// The root module's variable values, by precedence (later entries win).
fn root_inputs(
    shared: &mut Shared<'_>,
    files: &[SourceFile],
    options: &Options,
) -> HashMap<String, Input> {
    let mut inputs = HashMap::new();
    for (key, value) in &options.env {
        let Some(name) = key.strip_prefix("TF_VAR_") else {
            continue;
        };
        if let Some(base) = module::add_source(shared, key, value) {
            let range = TextRange::from_usize(0, value.len()).shift(base);
            inputs.insert(
                name.to_owned(),
                Input::Text(value.clone(), range, ValueSource::Environment),
            );
        }
    }
    let mut auto: Vec<&SourceFile> = files
        .iter()
        .filter(|f| {
            let n = file_name(&f.path);
            module::has_suffix(n, ".auto.tfvars") || module::has_suffix(n, ".auto.tfvars.json")
        })
        .collect();
    auto.sort_by(|a, b| file_name(&a.path).cmp(file_name(&b.path)));
    let fixed = ["terraform.tfvars", "terraform.tfvars.json"]
        .into_iter()
        .filter_map(|n| files.iter().find(|f| file_name(&f.path) == n));
    for f in fixed.chain(auto) {
        var_file(shared, f, &ValueSource::File(f.path.clone()), &mut inputs);
    }
    for input in &options.cli {
        match input {
            CliInput::VarFile(f) => {
                var_file(
                    shared,
                    f,
                    &ValueSource::CliFile(f.path.clone()),
                    &mut inputs,
                );
            }
            CliInput::Var(text) => {
                let Some(base) = module::add_source(shared, "--var", text) else {
                    continue;
                };
                match text.split_once('=') {
                    Some((name, value)) => {
                        let start = base + name.len() as u32 + 1;
                        let range = TextRange::new(start, start + value.len() as u32);
                        inputs.insert(
                            name.trim().to_owned(),
                            Input::Text(value.to_owned(), range, ValueSource::Cli),
                        );
                    }
                    None => shared.problem(
                        ProblemKind::Invalid,
                        TextRange::from_usize(0, text.len()).shift(base),
                        "a `--var` value must be written `name=value`",
                    ),
                }
            }
        }
    }
    inputs
}

/// Reads a `.tfvars` (HCL) or `.tfvars.json` file into `inputs`.
fn var_file(
    shared: &mut Shared<'_>,
    f: &SourceFile,
    source: &ValueSource,
    inputs: &mut HashMap<String, Input>,
) {
    let Some(base) = module::add_source(shared, &f.path, &f.text) else {
        shared.problem(
            ProblemKind::Budget,
            TextRange::empty(0),
            format!("source size budget exhausted: `{}` was not read", f.path),
        );
        return;
    };
    if module::has_suffix(&f.path, ".json") {
        let mut parsed = yaml::parse_json(&f.text);
        parsed.shift(base);
        for e in parsed.errors {
            shared.problem(ProblemKind::Syntax, e.range, e.message);
        }
        if let Some(doc) = parsed.documents.first() {
            for (name, node) in doc.root.pairs() {
                inputs.insert(
                    name.to_owned(),
                    Input::Value(json_value(node), source.clone()),
                );
            }
        }
        return;
    }
    let mut file = hcl::parse_hcl(&f.text);
    file.shift(base);
    for e in file.errors {
        shared.problem(ProblemKind::Syntax, e.range, e.message);
    }
    let scope = Scope {
        restricted: true,
        ..Scope::default()
    };
    for a in &file.body.attributes {
        let v = Eval::new(&scope, shared).eval_or_unknown(&a.value);
        inputs.insert(a.name.value.clone(), Input::Value(v, source.clone()));
    }
}

/// A JSON scalar: a string, a number, `true`, `false` or `null`.
fn json_scalar(s: &yaml::Scalar) -> Value {
    if s.style == ScalarStyle::JsonString {
        return Value::String(s.text.clone());
    }
    match s.text.as_str() {
        "null" => Value::Null,
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        n => Value::Number(n.parse().unwrap_or(f64::NAN)),
    }
}

/// A JSON value (as written: no templates) with its ranges.
fn json_value(node: &Node) -> Spanned<Value> {
    let v = match &node.value {
        yaml::Value::Scalar(s) => json_scalar(s),
        yaml::Value::Seq(items) => Value::List(items.iter().map(json_value).collect()),
        yaml::Value::Map(_) => Value::Map(
            node.pairs()
                .map(|(k, v)| (k.to_owned(), json_value(v)))
                .collect(),
        ),
    };
    Spanned::new(v, node.range)
}
