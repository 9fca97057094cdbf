//! A GitLab pipeline with the files it includes, checked as one configuration in the scan's
//! address space.

use cw_diagnostics::TextRange;
use cw_model::gitlab_ci::GitlabCiFile;
use cw_syntax::yaml::{YamlFile, parse_yaml};

use super::yaml_errors;
use crate::ctx::{Finding, RuleCtx};
use crate::input::{GitlabCiInput, InputKind};
use crate::settings::Settings;

/// One file of a pipeline, placed at `base` in the scan's address space.
#[derive(Clone, Copy, Debug)]
pub struct PipelineFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub base: u32,
}

/// Parses a pipeline file into the scan's address space, with its CW001 findings there.
pub fn parse_pipeline_file(file: PipelineFile<'_>, findings: &mut Vec<Finding>) -> YamlFile {
    let mut yaml = parse_yaml(file.text);
    let mut errors = Vec::new();
    yaml_errors(&yaml, file.text, &mut errors);
    for f in &mut errors {
        f.range = TextRange::new(f.range.start + file.base, f.range.end + file.base);
    }
    findings.append(&mut errors);
    yaml.shift(file.base);
    yaml
}

/// Lints the pipeline of `main` merged with `includes` (in include order, see
/// [`GitlabCiFile::with_includes`]): CW001 for each file's YAML errors, then the GitLab CI rules.
/// Findings are in the scan's address space; the caller hands each to its file
/// ([`finish_file`](super::finish_file)).
pub fn lint_pipeline(
    main: PipelineFile<'_>,
    includes: &[PipelineFile<'_>],
    settings: &Settings,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let main_yaml = parse_pipeline_file(main, &mut findings);
    let included = includes
        .iter()
        .map(|f| (f.path.to_owned(), parse_pipeline_file(*f, &mut findings)))
        .collect();
    let input = GitlabCiInput {
        pipeline: GitlabCiFile::with_includes(main_yaml, included),
    };
    let mut others: Vec<(u32, &str)> = includes.iter().map(|f| (f.base, f.text)).collect();
    others.sort_by_key(|(b, _)| *b);
    for (index, entry) in settings.enabled_rules(InputKind::GitlabCi) {
        let mut ctx = RuleCtx::new(
            entry.meta,
            index,
            main.text,
            settings.options(index),
            &mut findings,
        )
        .with_base(main.base)
        .with_others(&others);
        (entry.run)(&input, &mut ctx);
    }
    findings
}
