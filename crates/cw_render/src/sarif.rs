//! SARIF 2.1.0, as GitHub code scanning accepts it: one run, a full descriptor for every rule.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io;

use cw_diagnostics::{Category, Diagnostic, Edit, Fix, Label, LineCol, RuleMeta, ScanStats};
use serde::Serialize;

use crate::pretty::PrettyJson;
use crate::{FormatWriter, RunInfo, Tally, format_tag};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

/// Streams the log: the run's tool and rules are written at the start, then the results.
pub(crate) struct Sarif {
    json: PrettyJson,
    /// `ruleIndex` by code.
    index: HashMap<&'static str, usize>,
}

impl Sarif {
    pub(crate) fn begin(run: &RunInfo<'_>, out: &mut dyn io::Write) -> io::Result<Self> {
        let mut json = PrettyJson::default();
        json.open(out, b'{')?;
        json.key(out, "$schema")?;
        json.value(out, &SCHEMA)?;
        json.key(out, "version")?;
        json.value(out, &"2.1.0")?;
        json.key(out, "runs")?;
        json.open(out, b'[')?;
        json.element(out)?;
        json.open(out, b'{')?;
        json.key(out, "tool")?;
        let tool = Tool {
            driver: Driver {
                name: run.tool.name,
                version: run.tool.version,
                information_uri: run.tool.information_uri,
                rules: run.rules.iter().copied().map(Descriptor::new).collect(),
            },
        };
        json.value(out, &tool)?;
        json.key(out, "originalUriBaseIds")?;
        let base_ids = OriginalUriBaseIds {
            srcroot: BaseId {
                description: Text::new("The root of the scan; result paths are relative to it."),
            },
        };
        json.value(out, &base_ids)?;
        json.key(out, "columnKind")?;
        json.value(out, &"unicodeCodePoints")?;
        json.key(out, "results")?;
        json.open(out, b'[')?;
        let index = run.rules.iter().enumerate().map(|(i, r)| (r.code, i));
        Ok(Self {
            json,
            index: index.collect(),
        })
    }
}

impl FormatWriter for Sarif {
    fn finding(&mut self, d: &Diagnostic, out: &mut dyn io::Write) -> io::Result<()> {
        let Some(&rule_index) = self.index.get(d.code()) else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("SARIF: rule {} is missing from the run's rules", d.code()),
            ));
        };
        self.json.element(out)?;
        self.json.value(out, &SarifResult::new(d, rule_index))
    }

    fn finish(&mut self, _: &Tally, _: &ScanStats, out: &mut dyn io::Write) -> io::Result<()> {
        self.json.close(out, b']')?; // results
        self.json.close(out, b'}')?; // the run
        self.json.close(out, b']')?; // runs
        self.json.close(out, b'}')?;
        writeln!(out)
    }
}

#[derive(Serialize)]
struct OriginalUriBaseIds {
    #[serde(rename = "%SRCROOT%")]
    srcroot: BaseId,
}

#[derive(Serialize)]
struct BaseId {
    description: Text<'static>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    version: &'a str,
    information_uri: &'a str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: Cow<'a, str>,
}

impl<'a> Text<'a> {
    fn new(text: impl Into<Cow<'a, str>>) -> Self {
        Self { text: text.into() }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text<'static>,
    full_description: Text<'static>,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    precision: &'static str,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

impl Descriptor {
    fn new(meta: &'static RuleMeta) -> Self {
        let summary = meta.summary();
        let short = if summary.is_empty() {
            meta.name.to_owned()
        } else {
            summary
        };
        let full = full_description(meta.docs).unwrap_or_else(|| short.clone());
        let security = meta.category == Category::Security;
        let tags = vec![meta.category.as_str(), format_tag(meta)];
        Self {
            id: meta.code,
            name: meta.name,
            short_description: Text::new(short),
            full_description: Text::new(full),
            help: Help {
                text: meta.docs,
                markdown: meta.docs,
            },
            help_uri: meta.help_uri(),
            default_configuration: Configuration {
                level: meta.severity.sarif_level(),
            },
            properties: RuleProperties {
                tags,
                precision: "high",
                security_severity: security.then(|| meta.severity.security_severity()),
            },
        }
    }
}

/// The docs' prose before `## Example`, without the headings.
fn full_description(docs: &str) -> Option<String> {
    let prose = docs.split("## Example").next().unwrap_or(docs);
    let paragraphs: Vec<String> = prose
        .split("\n\n")
        .map(|para| {
            para.lines()
                .filter(|line| !line.trim_start().starts_with('#'))
                .flat_map(str::split_whitespace)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|para| !para.is_empty())
        .collect();
    (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text<'a>,
    locations: [ResultLocation<'a>; 1],
    partial_fingerprints: Fingerprints<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<ResultLocation<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    #[serde(rename = "cloudwright/v1")]
    v1: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: Cow<'a, str>,
    uri_base_id: &'static str,
}

/// Either line/column (locations) or bytes (fix replacements); SARIF allows both.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<u32>,
}

impl Region {
    fn lines(start: LineCol, end: LineCol) -> Self {
        Self {
            start_line: Some(start.line.max(1)),
            start_column: Some(start.column.max(1)),
            end_line: Some(end.line.max(start.line).max(1)),
            end_column: Some(end.column.max(1)),
            ..Self::default()
        }
    }

    fn bytes(edit: &Edit) -> Self {
        Self {
            byte_offset: Some(edit.range.start),
            byte_length: Some(edit.range.len()),
            ..Self::default()
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text<'a>,
    artifact_changes: [ArtifactChange<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation<'a>,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    #[serde(skip_serializing_if = "Option::is_none")]
    inserted_content: Option<Text<'a>>,
}

impl<'a> SarifResult<'a> {
    fn new(d: &'a Diagnostic, rule_index: usize) -> Self {
        Self {
            rule_id: d.code(),
            rule_index,
            level: d.severity.sarif_level(),
            message: Text::new(d.message.as_str()),
            locations: [ResultLocation {
                id: None,
                physical_location: physical(d, Region::lines(d.start, d.end)),
                message: None,
            }],
            partial_fingerprints: Fingerprints { v1: &d.fingerprint },
            related_locations: d
                .labels
                .iter()
                .enumerate()
                .map(|(i, label)| related(d, i, label))
                .collect(),
            fixes: d.fix.iter().map(|fix| sarif_fix(d, fix)).collect(),
        }
    }
}

fn artifact(d: &Diagnostic) -> ArtifactLocation<'_> {
    ArtifactLocation {
        uri: uri_escape(&d.path),
        uri_base_id: SRCROOT,
    }
}

fn physical(d: &Diagnostic, region: Region) -> PhysicalLocation<'_> {
    PhysicalLocation {
        artifact_location: artifact(d),
        region,
    }
}

fn related<'a>(d: &'a Diagnostic, i: usize, label: &'a Label) -> ResultLocation<'a> {
    ResultLocation {
        id: Some(i),
        physical_location: physical(d, Region::lines(label.start, label.end)),
        message: Some(Text::new(label.message.as_str())),
    }
}

fn sarif_fix<'a>(d: &'a Diagnostic, fix: &'a Fix) -> SarifFix<'a> {
    let replacements = fix
        .edits
        .iter()
        .map(|edit| Replacement {
            deleted_region: Region::bytes(edit),
            inserted_content: (!edit.content.is_empty()).then(|| Text::new(edit.content.as_str())),
        })
        .collect();
    SarifFix {
        description: Text::new(fix.title.as_str()),
        artifact_changes: [ArtifactChange {
            artifact_location: artifact(d),
            replacements,
        }],
    }
}

/// A relative path as a URI reference: percent-encodes everything but unreserved characters,
/// `/` and the sub-delimiters (`:` too, so a first segment is never read as a scheme).
fn uri_escape(path: &str) -> Cow<'_, str> {
    let keep = |b: u8| b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b);
    if path.bytes().all(keep) {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 8);
    for b in path.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_escaping() {
        assert_eq!(uri_escape("k8s/deploy.yaml"), "k8s/deploy.yaml");
        assert_eq!(uri_escape("my dir/café%.tf"), "my%20dir/caf%C3%A9%25.tf");
        assert_eq!(uri_escape("c:x/#1?"), "c%3Ax/%231%3F");
    }

    #[test]
    fn full_description_drops_headings_and_examples() {
        let docs = "## What it does\nFlags a\nthing.\n\n## Why is this bad?\nBecause.\n\n## Example\n```\nx\n```";
        assert_eq!(
            full_description(docs).as_deref(),
            Some("Flags a thing.\n\nBecause.")
        );
        assert_eq!(full_description(""), None);
    }
}
