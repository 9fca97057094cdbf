//! What an evaluation produces: module instances with their expanded resources, and problems.

use std::fmt;

use cw_diagnostics::{Spanned, TextRange};

use super::source::SourceMap;
use super::value::Value;

/// The result of evaluating a root module and the local modules it calls.
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub root: ModuleInstance,
    /// Everything that could not be parsed, evaluated or rendered, in the order found.
    pub problems: Vec<Problem>,
    /// Every source that was read (module files, `.tfvars`, `--var` values, template files), each
    /// at a base offset: all ranges in this evaluation are offsets into this one address space.
    pub sources: SourceMap,
}

impl Evaluation {
    /// Every module instance, the root first, then depth first in source order.
    pub fn modules(&self) -> Vec<&ModuleInstance> {
        let mut out = Vec::new();
        let mut stack = vec![&self.root];
        while let Some(m) = stack.pop() {
            out.push(m);
            stack.extend(m.children.iter().rev());
        }
        out
    }

    /// Every managed resource instance of every module instance.
    pub fn resources(&self) -> impl Iterator<Item = &Resource> {
        self.modules().into_iter().flat_map(|m| m.resources.iter())
    }
}

/// One instance of a module: the root, or one instance of a `module` block (one per `count`
/// index or `for_each` key).
#[derive(Clone, Debug, Default)]
pub struct ModuleInstance {
    /// `""` for the root, else `module.app`, `module.app["x"].module.db`.
    pub path: String,
    /// The directory the files were loaded from (the root directory joined with the `source`s).
    pub dir: String,
    /// `path.module` in this instance: `.` for the root, else the `source` path from the root.
    pub path_module: String,
    /// The `module` block that created this instance (in the parent's files), if not the root.
    pub call: Option<CallSite>,
    pub variables: Vec<Variable>,
    pub locals: Vec<Local>,
    /// Managed resources, expanded: one per instance.
    pub resources: Vec<Resource>,
    /// Data sources, expanded (their bodies are evaluated; references to them are unknown).
    pub data: Vec<Resource>,
    pub outputs: Vec<Output>,
    pub terraform: Vec<TerraformSettings>,
    pub providers: Vec<Provider>,
    pub module_calls: Vec<ModuleCall>,
    /// Instances of the local modules this one calls.
    pub children: Vec<ModuleInstance>,
}

impl ModuleInstance {
    /// The managed resource instances of type `kind` (`aws_s3_bucket`).
    pub fn resources_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.iter().filter(move |r| r.kind.value == kind)
    }

    /// The resource instance at `address` (`aws_s3_bucket.logs["a"]`, without the module path).
    pub fn resource(&self, address: &str) -> Option<&Resource> {
        self.resources
            .iter()
            .chain(&self.data)
            .find(|r| r.local_address() == address)
    }

    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name.value == name)
    }

    pub fn output(&self, name: &str) -> Option<&Output> {
        self.outputs.iter().find(|o| o.name.value == name)
    }

    pub fn local(&self, name: &str) -> Option<&Local> {
        self.locals.iter().find(|l| l.name.value == name)
    }
}

/// The `module` block an instance comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct CallSite {
    pub name: Spanned<String>,
    pub key: InstanceKey,
    /// The whole `module "x" { ... }` block.
    pub range: TextRange,
    /// The module's code comes from a remote source (`terraform init` downloaded it into
    /// `.terraform/modules/`), through this call or one above it: not the user's to edit.
    pub remote: bool,
}

/// The key of a resource or module instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstanceKey {
    /// Neither `count` nor `for_each`.
    None,
    /// `count.index`.
    Index(u64),
    /// A `for_each` key.
    Key(String),
    /// `count` or `for_each` is unknown: how many instances exist is unknown. One instance is
    /// evaluated, with `count.index` / `each` unknown, and its address has no key.
    Unknown,
}

impl fmt::Display for InstanceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceKey::None | InstanceKey::Unknown => Ok(()),
            InstanceKey::Index(i) => write!(f, "[{i}]"),
            InstanceKey::Key(k) => write!(f, "[{k:?}]"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceMode {
    Managed,
    Data,
}

/// One instance of a `resource` or `data` block.
#[derive(Clone, Debug)]
pub struct Resource {
    /// The full address: `module.app.aws_s3_bucket.logs["a"]`, `data.aws_ami.ubuntu`.
    pub address: String,
    pub mode: ResourceMode,
    /// The resource type: `aws_s3_bucket`.
    pub kind: Spanned<String>,
    pub name: Spanned<String>,
    pub key: InstanceKey,
    /// The whole block.
    pub range: TextRange,
    /// Arguments and nested blocks, evaluated for this instance (`count`, `for_each`,
    /// `provider` and `depends_on` are kept apart, below).
    pub body: Body,
    pub count: Option<Spanned<Value>>,
    pub for_each: Option<Spanned<Value>>,
    /// `provider = aws.west`, as written.
    pub provider: Option<Spanned<String>>,
    pub depends_on: Vec<Spanned<String>>,
    /// The module path of the instance that declares it (`""` for the root).
    pub module: String,
}

impl Resource {
    /// The address without the module path: `aws_s3_bucket.logs["a"]`.
    pub fn local_address(&self) -> &str {
        self.address
            .strip_prefix(&self.module)
            .map_or(&self.address, |rest| rest.strip_prefix('.').unwrap_or(rest))
    }

    /// See [`Body::attr`].
    pub fn attr(&self, name: &str) -> Option<&Spanned<Value>> {
        self.body.attr(name)
    }

    /// See [`Body::setting`].
    pub fn setting(&self, name: &str) -> Setting<'_> {
        self.body.setting(name)
    }

    /// See [`Body::block`].
    pub fn block(&self, kind: &str) -> BlockLookup<'_> {
        self.body.block(kind)
    }

    /// See [`Body::blocks`].
    pub fn blocks<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a NestedBlock> + 'a {
        self.body.blocks(kind)
    }
}

/// The arguments and nested blocks of a resource, provider, backend or nested block, evaluated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Body {
    pub attrs: Vec<Attr>,
    pub blocks: Vec<NestedBlock>,
    /// Block types written as `dynamic` blocks whose `for_each` is unknown: how many blocks of
    /// these types exist is unknown (there may be none, or some).
    pub unknown_blocks: Vec<Spanned<String>>,
}

/// An argument: `name = value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Attr {
    pub name: Spanned<String>,
    /// The value, with the range it came from: the expression written here for a literal, or
    /// where a variable's value, a local or a module output was written.
    pub value: Spanned<Value>,
    /// The whole `name = expr` as written in this block.
    pub range: TextRange,
    /// The resources and data sources of this module the expression refers to, by module-local
    /// address without instance key (`aws_s3_bucket.logs`, `data.aws_iam_policy_document.p`):
    /// how a companion resource names its parent when the parent's id is known only after apply.
    pub refs: Vec<String>,
}

/// A nested block (written, or generated by a `dynamic` block).
#[derive(Clone, Debug, PartialEq)]
pub struct NestedBlock {
    pub kind: Spanned<String>,
    pub labels: Vec<Spanned<String>>,
    pub body: Body,
    /// The block as written; for a block generated by `dynamic`, the `dynamic` block.
    pub range: TextRange,
}

impl NestedBlock {
    pub fn attr(&self, name: &str) -> Option<&Spanned<Value>> {
        self.body.attr(name)
    }

    pub fn setting(&self, name: &str) -> Setting<'_> {
        self.body.setting(name)
    }

    pub fn block(&self, kind: &str) -> BlockLookup<'_> {
        self.body.block(kind)
    }

    pub fn blocks<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a NestedBlock> + 'a {
        self.body.blocks(kind)
    }
}

/// An argument as a rule must read it: not written, written with an unknown value, or known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Setting<'a> {
    /// Not written in the configuration (the provider's default applies).
    Absent,
    /// Written, but its value is known only after apply. Never a reason to report.
    Unknown(TextRange),
    /// Written, with a known value (its elements may still be unknown).
    Known(&'a Spanned<Value>),
}

impl<'a> Setting<'a> {
    /// The value when known.
    pub fn known(self) -> Option<&'a Spanned<Value>> {
        match self {
            Setting::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_absent(self) -> bool {
        self == Setting::Absent
    }
}

/// A nested block as a rule must read it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BlockLookup<'a> {
    /// No such block is written or generated.
    Absent,
    /// A `dynamic` block with an unknown `for_each` may generate some. Never a reason to report.
    Unknown,
    /// The first block of this type.
    Present(&'a NestedBlock),
}

impl<'a> BlockLookup<'a> {
    pub fn present(self) -> Option<&'a NestedBlock> {
        match self {
            BlockLookup::Present(b) => Some(b),
            _ => None,
        }
    }

    pub fn is_absent(self) -> bool {
        self == BlockLookup::Absent
    }
}

impl Body {
    /// The value of argument `name`, or `None` when it is not written. The value may be
    /// [`Value::Unknown`]: use [`Body::setting`] to be made to handle that case.
    pub fn attr(&self, name: &str) -> Option<&Spanned<Value>> {
        self.attribute(name).map(|a| &a.value)
    }

    /// The argument `name` with its name and whole range.
    pub fn attribute(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().rev().find(|a| a.name.value == name)
    }

    /// Argument `name`: absent, unknown or known.
    pub fn setting(&self, name: &str) -> Setting<'_> {
        match self.attr(name) {
            None => Setting::Absent,
            Some(v) if !v.value.is_known() => Setting::Unknown(v.range),
            Some(v) => Setting::Known(v),
        }
    }

    /// The nested blocks of type `kind` that are known to exist, in order.
    pub fn blocks<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a NestedBlock> + 'a {
        self.blocks.iter().filter(move |b| b.kind.value == kind)
    }

    /// Whether a `dynamic` block with an unknown `for_each` may add blocks of type `kind`.
    pub fn has_unknown_blocks(&self, kind: &str) -> bool {
        self.unknown_blocks.iter().any(|k| k.value == kind)
    }

    /// The first block of type `kind`; unknown when none is known but a `dynamic` block may
    /// generate one.
    pub fn block(&self, kind: &str) -> BlockLookup<'_> {
        match self.blocks.iter().find(|b| b.kind.value == kind) {
            Some(b) => BlockLookup::Present(b),
            None if self.has_unknown_blocks(kind) => BlockLookup::Unknown,
            None => BlockLookup::Absent,
        }
    }
}

/// Where a variable's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueSource {
    /// The `default` in the declaration.
    Default,
    /// The argument of the calling `module` block.
    ModuleArgument,
    /// A `.tfvars` / `.tfvars.json` file Terraform loads by itself, by path.
    File(String),
    /// A `--var-file` (or the configuration's `[terraform] var-files`), by path.
    CliFile(String),
    /// A `--var` option.
    Cli,
    /// A `TF_VAR_` environment variable.
    Environment,
    /// No value and no default: unknown.
    Unset,
}

impl ValueSource {
    /// Given outside the configuration (`--var`, `--var-file`, `TF_VAR_`): a reference to the
    /// variable takes the reference's range, so that what is reported on its value points into
    /// the configuration.
    pub fn is_external(&self) -> bool {
        matches!(self, Self::CliFile(_) | Self::Cli | Self::Environment)
    }
}

#[derive(Clone, Debug)]
pub struct Variable {
    pub name: Spanned<String>,
    /// The whole `variable` block.
    pub range: TextRange,
    pub default: Option<Spanned<Value>>,
    /// The value after type conversion (unknown when unset).
    pub value: Spanned<Value>,
    pub source: ValueSource,
    pub sensitive: bool,
    pub nullable: bool,
    pub description: Option<String>,
    /// The `type` expression's range, if written.
    pub type_range: Option<TextRange>,
}

#[derive(Clone, Debug)]
pub struct Local {
    pub name: Spanned<String>,
    /// `name = expr`.
    pub range: TextRange,
    pub value: Spanned<Value>,
}

#[derive(Clone, Debug)]
pub struct Output {
    pub name: Spanned<String>,
    pub range: TextRange,
    pub value: Spanned<Value>,
    pub sensitive: bool,
}

/// A `provider` block.
#[derive(Clone, Debug)]
pub struct Provider {
    pub name: Spanned<String>,
    pub alias: Option<String>,
    pub range: TextRange,
    pub body: Body,
}

/// A `terraform` block.
#[derive(Clone, Debug)]
pub struct TerraformSettings {
    pub range: TextRange,
    pub required_version: Option<Spanned<Value>>,
    pub required_providers: Vec<RequiredProvider>,
    pub backend: Option<Backend>,
    /// The `cloud` block (HCP Terraform).
    pub cloud: Option<NestedBlock>,
    /// Everything, evaluated.
    pub body: Body,
}

/// An entry of `required_providers`: `aws = { source = "hashicorp/aws", version = "~> 5.0" }`
/// (or the legacy `aws = "~> 5.0"`, read as a version).
#[derive(Clone, Debug)]
pub struct RequiredProvider {
    pub name: Spanned<String>,
    pub source: Option<Spanned<Value>>,
    pub version: Option<Spanned<Value>>,
    pub range: TextRange,
}

#[derive(Clone, Debug)]
pub struct Backend {
    /// `s3`, `local`, `remote`...
    pub kind: Spanned<String>,
    pub body: Body,
    pub range: TextRange,
}

/// A `module` block.
#[derive(Clone, Debug)]
pub struct ModuleCall {
    pub name: Spanned<String>,
    /// `source`, as written (a literal string in Terraform).
    pub source: Option<Spanned<String>>,
    pub version: Option<Spanned<String>>,
    pub kind: ModuleSourceKind,
    pub range: TextRange,
    pub count: Option<Spanned<Value>>,
    pub for_each: Option<Spanned<Value>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModuleSourceKind {
    /// `./x` or `../x`: loaded and instantiated; the directory relative to the root module.
    Local(String),
    /// A registry, Git, HTTP... source: loaded from where `terraform init` put it
    /// ([`super::Loader::remote_module_dir`]), else not rendered and its outputs unknown.
    Remote,
    /// No `source`.
    Missing,
}

/// Something the evaluation could not do, or that Terraform would reject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// A file does not parse (CW001).
    Syntax,
    /// A module that is not rendered: remote, missing directory, a call cycle (CW004).
    NotRendered,
    /// Locals, resources or module calls that depend on each other: their values are unknown.
    Cycle,
    /// A depth, size or work budget ran out: the values past it are unknown.
    Budget,
    /// Terraform would reject this (type mismatch, undeclared reference, failed function call):
    /// the value is unknown.
    Invalid,
    /// A construct this evaluator does not implement: the value is unknown.
    Unsupported,
}

/// Limits that keep evaluation of hostile or runaway configurations bounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Nested module calls below the root.
    pub max_module_depth: usize,
    /// Module instances in total.
    pub max_module_instances: usize,
    /// Instances of one `resource`, `data` or `module` block (`count` / `for_each`).
    pub max_instances: usize,
    /// Bytes of source read in total (module files, tfvars, template files).
    pub max_source_bytes: usize,
    /// Units of work (expressions evaluated, values built): past it, values are unknown.
    pub fuel: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_module_depth: 32,
            max_module_instances: 1_000,
            max_instances: 10_000,
            max_source_bytes: 256 << 20,
            fuel: 200_000_000,
        }
    }
}
