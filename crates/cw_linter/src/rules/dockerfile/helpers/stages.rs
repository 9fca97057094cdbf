//! Stages and the images they use: the registry image a stage is built on, the stages it is built
//! `FROM`, what a `COPY --from` / `RUN --mount=from=` names, and where a tag sits in a FROM line.

use std::ops::Range;

use cw_diagnostics::{Spanned, TextRange};
use cw_model::dockerfile::{ArgDecl, BaseKind, Dockerfile, ImageRef, Stage};
use cw_syntax::dockerfile::{Instruction, Keyword};

use crate::ctx::Finding;

/// The registry image `stage` is built on; `None` for `scratch`, an earlier stage or a reference
/// that could not be resolved.
pub(crate) fn registry_image(stage: &Stage) -> Option<&ImageRef> {
    match &stage.base.kind {
        BaseKind::Image(image) => Some(image),
        BaseKind::Scratch | BaseKind::Stage(_) | BaseKind::Unknown => None,
    }
}

/// How findings about `stage` name their construct: `stage build` (its name, else its index).
pub(crate) fn stage_resource(stage: &Stage) -> String {
    format!("stage {}", stage.display_name())
}

/// Each stage built on a registry image, with that image (see [`registry_image`]), in order.
pub(crate) fn registry_images(df: &Dockerfile) -> impl Iterator<Item = (&Stage, &ImageRef)> {
    df.stages
        .iter()
        .filter_map(|stage| registry_image(stage).map(|image| (stage, image)))
}

/// The instructions of the stages whose keyword is one of `keywords`, in order, each with its stage
/// and its index (FROM lines are not part of a stage's instructions).
pub(crate) fn keyword_instructions<'a>(
    df: &'a Dockerfile,
    keywords: &'a [Keyword],
) -> impl Iterator<Item = (&'a Stage, usize, &'a Instruction)> + 'a {
    df.stages.iter().flat_map(move |stage| {
        df.stage_instructions(stage)
            .filter(|(_, ins)| keywords.contains(&ins.keyword))
            .map(move |(index, ins)| (stage, index, ins))
    })
}

/// `stage` and the stages it is built `FROM` in this file, nearest first.
pub(crate) fn ancestors<'a>(
    df: &'a Dockerfile,
    stage: &'a Stage,
) -> impl Iterator<Item = &'a Stage> + 'a {
    let mut next = Some(stage);
    std::iter::from_fn(move || {
        let current = next?;
        next = match current.base.kind {
            // A FROM can only name an earlier stage: the walk always ends.
            BaseKind::Stage(parent) if parent < current.index => df.stages.get(parent),
            _ => None,
        };
        Some(current)
    })
}

/// The stage at the root of `stage`'s `FROM` chain: the one built on `scratch`, a registry image or
/// an unknown reference.
pub(crate) fn root_stage<'a>(df: &'a Dockerfile, stage: &'a Stage) -> &'a Stage {
    ancestors(df, stage).last().unwrap_or(stage)
}

/// The stage at the root of `stage`'s `FROM` chain (see [`root_stage`]) and the registry image it
/// is built on; `None` when the chain starts at `scratch` or at a reference that could not be
/// resolved.
pub(crate) fn root_image<'a>(
    df: &'a Dockerfile,
    stage: &'a Stage,
) -> Option<(&'a Stage, &'a ImageRef)> {
    let root = root_stage(df, stage);
    registry_image(root).map(|image| (root, image))
}

/// Whether `host` is one of Docker Hub's names.
pub(crate) fn is_docker_hub(host: &str) -> bool {
    matches!(
        host,
        "docker.io" | "index.docker.io" | "registry-1.docker.io"
    )
}

/// The name of a Docker Hub official image (`python` for `python`, `library/python`,
/// `docker.io/python`); `None` for other registries and for user repositories (`org/app`).
pub(crate) fn official_name(image: &ImageRef) -> Option<&str> {
    if !image.registry.as_deref().is_none_or(is_docker_hub) {
        return None;
    }
    let repo = image
        .repository
        .strip_prefix("library/")
        .unwrap_or(&image.repository);
    (!repo.contains('/')).then_some(repo)
}

/// An image reference as it reads in a message: `python:3.12-slim`, `ghcr.io/org/app@sha256:…`.
pub(crate) fn image_display(image: &ImageRef) -> String {
    let mut out = String::with_capacity(image.repository.len() + 24);
    if let Some(registry) = &image.registry {
        out.push_str(registry);
        out.push('/');
    }
    out.push_str(&image.repository);
    if let Some(tag) = &image.tag {
        out.push(':');
        out.push_str(tag);
    }
    if let Some(digest) = &image.digest {
        out.push('@');
        out.push_str(digest);
    }
    out
}

/// The file range of the tag of `image` inside `raw` (the reference as written in a FROM line), when
/// the tag is written there literally (not produced by a variable).
pub(crate) fn literal_tag_range(
    raw: &Spanned<String>,
    image: &ImageRef,
    source: &str,
) -> Option<TextRange> {
    let tag = image.tag.as_deref()?;
    if raw.range.slice(source) != raw.value {
        return None;
    }
    let name_tag = raw.value.split('@').next().unwrap_or(&raw.value);
    let path_start = name_tag.rfind('/').map_or(0, |i| i + 1);
    let colon = path_start + name_tag[path_start..].rfind(':')?;
    if &name_tag[colon + 1..] != tag {
        return None;
    }
    let start = raw.range.start + colon as u32 + 1;
    Some(TextRange::new(start, start + tag.len() as u32))
}

/// A `COPY --from=<x>` or a `RUN --mount=...,from=<x>`: the value as written and its file range.
#[derive(Debug)]
pub(crate) struct FromRef<'a> {
    pub(crate) value: &'a str,
    pub(crate) range: TextRange,
    /// Index of the COPY or RUN instruction.
    pub(crate) instruction: usize,
    pub(crate) keyword: Keyword,
}

impl FromRef<'_> {
    /// The flag as a message names it: `` `COPY --from` `` or `` `--mount` `from=` ``.
    pub(crate) fn flag(&self) -> &'static str {
        if self.keyword == Keyword::Run {
            "`--mount` `from=`"
        } else {
            "`COPY --from`"
        }
    }
}

/// What a [`FromRef`] names once its variables are expanded, as BuildKit resolves it: a number is a
/// stage index, a name is a stage of this file (declared anywhere: BuildKit allows later stages),
/// anything else is an image.
#[derive(Debug)]
pub(crate) enum FromSource<'a> {
    Stage(&'a Stage),
    /// A stage index beyond the last stage.
    MissingIndex(usize),
    Image(ImageRef),
    /// An unknown variable, or not a valid image reference.
    Unknown,
}

/// The `--from` sources of the COPY and RUN instructions of `stage` (ONBUILD triggers excluded: they
/// run in a child image), in order.
pub(crate) fn from_refs<'a>(df: &'a Dockerfile, stage: &Stage, source: &str) -> Vec<FromRef<'a>> {
    let mut out = Vec::new();
    for (index, ins) in df.stage_instructions(stage) {
        match ins.keyword {
            Keyword::Copy => {
                for flag in ins.flags_named("from") {
                    if let Some(value) = &flag.value {
                        out.push(FromRef {
                            value: &value.value,
                            range: value.range,
                            instruction: index,
                            keyword: ins.keyword,
                        });
                    }
                }
            }
            Keyword::Run => mount_froms(ins, index, source, &mut out),
            _ => {}
        }
    }
    out
}

/// Every `--from` source of the file's stages (see [`from_refs`]), in order, each with its stage
/// and what it names (see [`from_source`]).
pub(crate) fn resolved_from_refs<'a>(
    df: &'a Dockerfile,
    source: &str,
) -> Vec<(&'a Stage, FromRef<'a>, FromSource<'a>)> {
    let mut out = Vec::new();
    for stage in &df.stages {
        for r in from_refs(df, stage, source) {
            let resolved = from_source(df, &r);
            out.push((stage, r, resolved));
        }
    }
    out
}

/// `from=` options of the `--mount` flags of a RUN.
fn mount_froms<'a>(ins: &'a Instruction, index: usize, source: &str, out: &mut Vec<FromRef<'a>>) {
    for flag in ins.flags_named("mount") {
        let Some(value) = &flag.value else { continue };
        // Offsets inside the value map to the file only when it is written without quotes or escapes.
        let exact = value.range.slice(source) == value.value;
        let mut offset = 0usize;
        for field in value.value.split(',') {
            let start = offset;
            offset += field.len() + 1;
            let Some((key, v)) = field.split_once('=') else {
                continue;
            };
            if !key.trim().eq_ignore_ascii_case("from") || v.is_empty() {
                continue;
            }
            let range = if exact {
                let s = value.range.start + (start + key.len() + 1) as u32;
                TextRange::new(s, s + v.len() as u32)
            } else {
                value.range
            };
            out.push(FromRef {
                value: v,
                range,
                instruction: index,
                keyword: Keyword::Run,
            });
        }
    }
}

/// Resolves a `--from` value (see [`FromSource`]).
pub(crate) fn from_source<'a>(df: &'a Dockerfile, r: &FromRef<'_>) -> FromSource<'a> {
    let expanded;
    let value = if r.value.contains(['$', '"', '\'']) {
        match df.vars_at(r.instruction).expand(r.value) {
            Some(v) => {
                expanded = v;
                expanded.as_str()
            }
            None => return FromSource::Unknown,
        }
    } else {
        r.value
    };
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return match value.parse::<usize>() {
            Ok(i) => df
                .stages
                .get(i)
                .map_or(FromSource::MissingIndex(i), FromSource::Stage),
            Err(_) => FromSource::Unknown,
        };
    }
    if let Some(stage) = stage_named(df, value) {
        return FromSource::Stage(stage);
    }
    ImageRef::parse(value).map_or(FromSource::Unknown, FromSource::Image)
}

/// The first stage named `name` (case-insensitive), wherever it is declared.
fn stage_named<'a>(df: &'a Dockerfile, name: &str) -> Option<&'a Stage> {
    df.stages.iter().find(|s| {
        s.name
            .as_ref()
            .is_some_and(|n| n.value.eq_ignore_ascii_case(name))
    })
}

/// The variable references in `text` as Docker expands them (`$NAME`, `${NAME}`, `${NAME:-word}`,
/// nested ones included), outside single quotes and not escaped: each name with the byte range of the
/// whole reference in `text`.
pub(crate) fn var_refs(text: &str, escape: char) -> Vec<(&str, Range<usize>)> {
    let bytes = text.as_bytes();
    let esc = u8::try_from(escape).unwrap_or(b'\\');
    let mut refs = Vec::new();
    let mut single = false;
    let mut double = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if single {
            single = b != b'\'';
            i += 1;
            continue;
        }
        match b {
            _ if b == esc => i += 2,
            b'\'' if !double => {
                single = true;
                i += 1;
            }
            b'"' => {
                double = !double;
                i += 1;
            }
            b'$' => {
                let braced = bytes.get(i + 1) == Some(&b'{');
                let name_start = i + 1 + usize::from(braced);
                let name_len = bytes[name_start.min(bytes.len())..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                    .count();
                let name_end = name_start + name_len;
                if name_len == 0 || bytes[name_start].is_ascii_digit() {
                    i += 1;
                    continue;
                }
                let end = if braced {
                    closing_brace(bytes, i + 2).unwrap_or(bytes.len())
                } else {
                    name_end
                };
                refs.push((&text[name_start..name_end], i..end));
                // Go on right after the name: a braced reference can hold others (`${A:-$B}`).
                i = name_end;
            }
            _ => i += 1,
        }
    }
    refs
}

/// The index just past the `}` closing a `${` whose content starts at `from`.
fn closing_brace(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if i > 0 && bytes[i - 1] == b'$' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Labels on `finding` the default of each global ARG that `raw`, a FROM reference, uses: where the
/// resolved base image comes from (`` `TAG` defaults to `latest` ``).
pub(crate) fn label_arg_defaults(finding: &mut Finding, df: &Dockerfile, raw: &Spanned<String>) {
    for arg in from_arg_defaults(df, raw) {
        if let Some(default) = &arg.default {
            finding.label(
                default.range,
                format!("`{}` defaults to `{}`", arg.name.value, default.value),
            );
        }
    }
}

/// The global ARGs (declared before the first FROM) that `raw`, a FROM reference, uses and that have
/// a default.
fn from_arg_defaults<'a>(df: &'a Dockerfile, raw: &Spanned<String>) -> Vec<&'a ArgDecl> {
    if !raw.value.contains('$') {
        return Vec::new();
    }
    let refs = var_refs(&raw.value, df.ast.escape);
    let mut out: Vec<&ArgDecl> = Vec::new();
    for (name, _) in refs {
        // The last declaration of a name wins.
        if let Some(arg) = df.global_args.iter().rev().find(|a| a.name.value == name)
            && arg.default.is_some()
            && !out.iter().any(|a| std::ptr::eq(*a, arg))
        {
            out.push(arg);
        }
    }
    out
}

/// The instruction that starts the containers of `stage`: the ENTRYPOINT in force or, without one,
/// the CMD in force (see [`last_in_chain`]).
pub(crate) fn start_instruction<'a>(
    df: &'a Dockerfile,
    stage: &'a Stage,
) -> Option<(usize, &'a Instruction)> {
    last_in_chain(df, stage, Keyword::Entrypoint, None)
        .or_else(|| last_in_chain(df, stage, Keyword::Cmd, None))
}

/// The last `keyword` instruction of `stage` or, when it has none, of the nearest stage it is built
/// `FROM`: the one in force for the stage (ENTRYPOINT, CMD, SHELL, HEALTHCHECK). With `before`, only
/// instructions of `stage` before that index count.
pub(crate) fn last_in_chain<'a>(
    df: &'a Dockerfile,
    stage: &'a Stage,
    keyword: Keyword,
    before: Option<usize>,
) -> Option<(usize, &'a Instruction)> {
    ancestors(df, stage).find_map(|s| {
        df.stage_instructions(s)
            .filter(|(i, ins)| {
                ins.keyword == keyword && (s.index != stage.index || before.is_none_or(|b| *i < b))
            })
            .last()
    })
}

/// The program an ENTRYPOINT or CMD starts: the first exec-form item, or the first shell word after
/// an `exec`, without its directory.
pub(crate) fn start_program(ins: &Instruction) -> Option<String> {
    let first = match (ins.exec_args(), ins.shell_text()) {
        (Some(exec), _) => exec.items.first()?.value.clone(),
        (_, Some(text)) => {
            let words = text.words();
            let mut it = words.into_iter().skip_while(|w| w.value == "exec");
            it.next()?.value
        }
        _ => return None,
    };
    Some(first.rsplit('/').next().unwrap_or(&first).to_string())
}

/// The `keyword` instructions of `stage` that a later one of the same stage overrides (only the last
/// CMD, ENTRYPOINT or HEALTHCHECK of a stage applies), each with the last one.
pub(crate) fn overridden<'a>(
    df: &'a Dockerfile,
    stage: &Stage,
    keyword: Keyword,
) -> Vec<(&'a Instruction, &'a Instruction)> {
    let all: Vec<&Instruction> = df
        .stage_instructions(stage)
        .filter(|(_, ins)| ins.keyword == keyword)
        .map(|(_, ins)| ins)
        .collect();
    match all.split_last() {
        Some((last, earlier)) => earlier.iter().map(|ins| (*ins, *last)).collect(),
        None => Vec::new(),
    }
}

/// A Windows base image: `mcr.microsoft.com/windows/...`, or a `windowsservercore` / `nanoserver` tag.
pub(crate) fn is_windows_image(image: &ImageRef) -> bool {
    let microsoft = image.registry.as_deref() == Some("mcr.microsoft.com")
        && (image.repository == "windows" || image.repository.starts_with("windows/"));
    microsoft
        || image.tag.as_deref().is_some_and(|t| {
            t.split('-')
                .any(|w| w.starts_with("windowsservercore") || w.starts_with("nanoserver"))
        })
}

#[cfg(test)]
mod tests {
    use cw_diagnostics::{Spanned, TextRange};
    use cw_model::dockerfile::ImageRef;

    use super::{literal_tag_range, var_refs};

    fn names(text: &str) -> Vec<(&str, &str)> {
        var_refs(text, '\\')
            .into_iter()
            .map(|(n, r)| (n, &text[r]))
            .collect()
    }

    #[test]
    fn variable_references() {
        assert_eq!(names("$A/bin:${B}"), vec![("A", "$A"), ("B", "${B}")]);
        assert_eq!(names("${A:-$B}x"), vec![("A", "${A:-$B}"), ("B", "$B")]);
        assert_eq!(
            names("${A:-${B}}"),
            vec![("A", "${A:-${B}}"), ("B", "${B}")]
        );
        assert_eq!(names(r#"'$A' \$B "$C" $1 $"#), vec![("C", "$C")]);
        assert_eq!(names("$AB_1-x"), vec![("AB_1", "$AB_1")]);
    }

    #[test]
    fn tag_ranges() {
        let source = "FROM registry:5000/team/tool:latest AS t\nFROM node:${TAG}\n";
        let raw = Spanned::new(
            "registry:5000/team/tool:latest".to_string(),
            TextRange::new(5, 35),
        );
        let image = ImageRef::parse(&raw.value).expect("valid");
        assert_eq!(
            literal_tag_range(&raw, &image, source),
            Some(TextRange::new(29, 35))
        );
        // A tag that comes from a variable has no literal range.
        let raw = Spanned::new("node:${TAG}".to_string(), TextRange::new(46, 57));
        let image = ImageRef::parse("node:latest").expect("valid");
        assert_eq!(literal_tag_range(&raw, &image, source), None);
    }
}
