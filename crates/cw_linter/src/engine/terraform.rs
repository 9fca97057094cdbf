//! Terraform: a root module, evaluated with the modules it calls, checked as one unit in the
//! evaluation's address space ([`Evaluation::sources`]).

use std::collections::HashMap;

use cw_diagnostics::{LineIndex, TextRange};
use cw_model::terraform::{
    Evaluation, ModuleInstance, NoLoader, Options, ProblemKind, SourceFile, SourceMap, evaluate,
};
use cw_syntax::hcl::{self, Body};

use super::{finish, run_text_rules, tool_finding};
use crate::ctx::{Finding, RuleCtx};
use crate::input::{AwsInput, InputKind, TerraformInput};
use crate::rule::RuleMetadata;
use crate::rules::tool::{NotRendered, ParseError};
use crate::settings::Settings;
use crate::{FileKind, FileResult};

/// What the scan knows about a root module's directory (the engine itself never looks).
#[derive(Clone, Debug, Default)]
pub struct TerraformFacts {
    /// Whether `.terraform.lock.hcl` sits beside the root module (`None`: unknown).
    pub lockfile: Option<bool>,
}

/// The findings of a root module, in the address space of `sources`.
#[derive(Debug)]
pub struct TerraformResult {
    pub findings: Vec<Finding>,
    pub sources: SourceMap,
}

/// Lints an evaluated root module: the evaluation's problems (CW001 for syntax errors, CW004 for
/// modules that were not rendered and budgets that ran out), then the Terraform rules. A finding
/// inside a called module names the `module` blocks that call it.
pub fn lint_terraform(
    eval: Evaluation,
    facts: &TerraformFacts,
    settings: &Settings,
) -> TerraformResult {
    let mut findings: Vec<Finding> = eval
        .problems
        .iter()
        .filter_map(|p| {
            let meta = match p.kind {
                ProblemKind::Syntax => ParseError::META,
                ProblemKind::NotRendered | ProblemKind::Budget => NotRendered::META,
                _ => return None,
            };
            Some(tool_finding(meta, p.range, p.message.clone()))
        })
        .collect();
    let input = TerraformInput {
        eval,
        lockfile: facts.lockfile,
    };
    let sources = input.eval.sources.sources();
    let (main, rest) = match sources.split_first() {
        Some((m, rest)) => ((m.base, m.text.as_str()), rest),
        None => ((0, ""), &[][..]),
    };
    let others: Vec<(u32, &str)> = rest.iter().map(|s| (s.base, s.text.as_str())).collect();
    let run = |kind: InputKind, input: &dyn std::any::Any, findings: &mut Vec<Finding>| {
        for (index, entry) in settings.enabled_rules(kind) {
            let mut ctx =
                RuleCtx::new(entry.meta, index, main.1, settings.options(index), findings)
                    .with_base(main.0)
                    .with_others(&others);
            (entry.run)(input, &mut ctx);
        }
    };
    run(InputKind::Terraform, &input, &mut findings);
    if settings.any_enabled(InputKind::Aws) {
        let aws = AwsInput {
            model: cw_model::aws::from_terraform(&input.eval),
        };
        run(InputKind::Aws, &aws, &mut findings);
    }
    anchor_remote_findings(&input.eval, &mut findings);
    name_module_calls(&input.eval, &mut findings);
    let TerraformInput { eval, .. } = input;
    TerraformResult {
        findings,
        sources: eval.sources,
    }
}

/// A call that enters remote code from the user's modules: the instance path, the call's name
/// and the range of that name.
type RemoteEntry<'a> = (&'a str, &'a str, TextRange);

/// Moves each finding inside a remote module's code (downloaded by `terraform init` into
/// `.terraform/modules/`, not the user's to edit) to the `module` block that brings the remote
/// module in, naming the resource line in the module. A finding on a value the caller passed in
/// is already in the caller's file and stays there.
fn anchor_remote_findings(eval: &Evaluation, findings: &mut Vec<Finding>) {
    let is_remote = |m: &ModuleInstance| m.call.as_ref().is_some_and(|c| c.remote);
    // The remote modules' directories, each with the calls that enter remote code from the
    // user's modules: (instance path, call name, call name range).
    let mut entries: HashMap<&str, Vec<RemoteEntry<'_>>> = HashMap::new();
    let mut stack: Vec<(&ModuleInstance, Option<RemoteEntry<'_>>)> = vec![(&eval.root, None)];
    while let Some((m, entry)) = stack.pop() {
        let entry = match (&m.call, entry) {
            (Some(call), None) if call.remote => {
                Some((m.path.as_str(), call.name.value.as_str(), call.name.range))
            }
            (_, entry) => entry.filter(|_| is_remote(m)),
        };
        if let Some(e) = entry {
            let sites = entries.entry(m.dir.as_str()).or_default();
            if !sites.contains(&e) {
                sites.push(e);
            }
        }
        stack.extend(m.children.iter().map(|c| (c, entry)));
    }
    if entries.is_empty() {
        return;
    }
    let remote_dir = |f: &Finding| {
        let (source, _) = eval.sources.locate(f.range)?;
        let dir = source.path.rsplit_once('/').map_or("", |(d, _)| d);
        entries.get(dir).map(|_| dir)
    };
    // The Terraform language rules are about how a module is written: the module's authors'
    // business, not the caller's.
    findings.retain(|f| !(f.rule.code.starts_with("TF") && remote_dir(f).is_some()));
    let mut lines: HashMap<u32, LineIndex> = HashMap::new();
    for f in findings {
        let Some((source, local)) = eval.sources.locate(f.range) else {
            continue;
        };
        let dir = source.path.rsplit_once('/').map_or("", |(d, _)| d);
        let Some(sites) = entries.get(dir) else {
            continue;
        };
        let site = f
            .resource
            .as_deref()
            .and_then(|address| {
                sites
                    .iter()
                    .find(|(path, _, _)| address.starts_with(&format!("{path}.")))
            })
            .unwrap_or(&sites[0]);
        let index = lines
            .entry(source.base)
            .or_insert_with(|| LineIndex::new(&source.text));
        let line = index.line_col(&source.text, local.start).line;
        f.message = format!(
            "{} (in remote module `{}`, {}:{line})",
            f.message, site.1, source.path
        );
        f.range = site.2;
        f.labels.clear();
        f.redact.clear();
        f.fix = None;
    }
}

/// Records on each finding inside a called module the `module` block that calls it: the call of
/// the module instance the finding's resource belongs to, or, when the finding names no resource,
/// every call of the module's directory.
fn name_module_calls(eval: &Evaluation, findings: &mut [Finding]) {
    let dir_key = |d: &str| {
        if d == "." {
            String::new()
        } else {
            d.to_owned()
        }
    };
    let mut by_dir: HashMap<String, Vec<(&str, TextRange)>> = HashMap::new();
    let mut by_path: Vec<(&str, &str, TextRange)> = Vec::new();
    for m in eval.modules() {
        if let Some(call) = &m.call {
            let sites = by_dir.entry(dir_key(&m.dir)).or_default();
            if !sites.iter().any(|(_, r)| *r == call.range) {
                sites.push((call.name.value.as_str(), call.range));
            }
            by_path.push((m.path.as_str(), call.name.value.as_str(), call.range));
        }
    }
    if by_dir.is_empty() {
        return;
    }
    let mut lines: HashMap<u32, LineIndex> = HashMap::new();
    let mut at = |name: &str, range: TextRange| -> Option<String> {
        let (source, local) = eval.sources.locate(range)?;
        let index = lines
            .entry(source.base)
            .or_insert_with(|| LineIndex::new(&source.text));
        let line = index.line_col(&source.text, local.start).line;
        Some(format!("module `{name}`, called at {}:{line}", source.path))
    };
    for f in findings {
        let Some((source, _)) = eval.sources.locate(f.range) else {
            continue;
        };
        let dir = source.path.rsplit_once('/').map_or("", |(d, _)| d);
        let Some(sites) = by_dir.get(dir) else {
            continue;
        };
        // The innermost module instance whose path the finding's resource address starts with.
        let own = f.resource.as_deref().and_then(|address| {
            by_path
                .iter()
                .filter(|(path, _, _)| {
                    address
                        .strip_prefix(path)
                        .is_some_and(|rest| rest.starts_with('.'))
                })
                .max_by_key(|(path, _, _)| path.len())
                .map(|&(_, name, range)| vec![(name, range)])
        });
        for (name, range) in own.unwrap_or_else(|| sites.clone()) {
            if let Some(call) = at(name, range) {
                f.calls.push(call);
            }
        }
    }
}

/// Lints one Terraform file on its own (a module of one file, no variables set, no modules
/// loaded): what `lint_file` does for a `.tf` or `.tf.json` file outside a scan.
pub(super) fn lint_file(
    path: &str,
    text: &str,
    facts: &crate::FileFacts,
    settings: &Settings,
) -> FileResult {
    let eval = evaluate(
        ".",
        &[SourceFile::new(path, text)],
        &Options::default(),
        &NoLoader,
    );
    let facts = TerraformFacts {
        lockfile: facts.terraform_lockfile,
    };
    let result = lint_terraform(eval, &facts, settings);
    let base = result
        .sources
        .sources()
        .iter()
        .find(|s| s.path == path)
        .map_or(0, |s| s.base);
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    let mut findings: Vec<Finding> = result
        .findings
        .into_iter()
        .filter(|f| f.range.start >= base && f.range.end <= base.saturating_add(len))
        .map(|mut f| {
            f.rebase(base, 0);
            f
        })
        .collect();
    run_text_rules(path, text, FileKind::Terraform, settings, &mut findings);
    finish(path, text, &hcl_constructs(path, text), findings, settings)
}

/// Lints a Terraform plan in JSON: the cloud rules on its planned values (the Terraform
/// language rules need the configuration, which the HCL scan checks).
pub(super) fn lint_plan(path: &str, text: &str, settings: &Settings) -> FileResult {
    let eval = cw_model::terraform::evaluate_plan(path, text);
    let mut findings: Vec<Finding> = eval
        .problems
        .iter()
        .map(|p| tool_finding(ParseError::META, p.range, p.message.clone()))
        .collect();
    if settings.any_enabled(InputKind::Aws) {
        let aws = AwsInput {
            model: cw_model::aws::from_terraform(&eval),
        };
        for (index, entry) in settings.enabled_rules(InputKind::Aws) {
            let mut ctx = RuleCtx::new(
                entry.meta,
                index,
                text,
                settings.options(index),
                &mut findings,
            );
            (entry.run)(&aws, &mut ctx);
        }
    }
    run_text_rules(path, text, FileKind::TerraformPlan, settings, &mut findings);
    finish(path, text, &[], findings, settings)
}

/// What a suppression comment on its own line covers in a Terraform file: the block or
/// attribute that starts on the next line (the outermost one when several start there).
pub(crate) fn hcl_constructs(path: &str, text: &str) -> Vec<TextRange> {
    if !crate::suppression::has_markers(text) {
        return Vec::new();
    }
    let file = if path.to_ascii_lowercase().ends_with(".json") {
        hcl::parse_tf_json(text)
    } else {
        hcl::parse_hcl(text)
    };
    let mut out = Vec::new();
    collect(&file.body, &mut out);
    out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    out
}

fn collect(body: &Body, out: &mut Vec<TextRange>) {
    for a in &body.attributes {
        out.push(a.range);
    }
    for b in &body.blocks {
        out.push(b.range);
        collect(&b.body, out);
    }
}
