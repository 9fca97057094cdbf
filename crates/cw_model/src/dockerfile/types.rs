use std::ops::Range;

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::dockerfile::{DockerfileAst, Instruction, Keyword};
use cw_syntax::shell::Script;

/// A Dockerfile, parsed and resolved.
#[derive(Clone, Debug)]
pub struct Dockerfile {
    pub ast: DockerfileAst,
    /// `ARG`s declared before the first `FROM` (usable in `FROM` lines), with their defaults.
    pub global_args: Vec<ArgDecl>,
    pub stages: Vec<Stage>,
    /// One entry per RUN instruction (in any stage, and in `ONBUILD RUN`), in source order.
    pub runs: Vec<Run>,
    /// The global ARGs as variables (what FROM lines see).
    pub(super) global_vars: super::Vars,
    /// Each stage's ARG and ENV values at its end.
    pub(super) stage_env: Vec<super::Vars>,
    /// Each stage's SHELL at its end.
    pub(super) stage_shells: Vec<Vec<String>>,
    /// The escape character in force.
    pub(super) escape: char,
}

impl Dockerfile {
    /// The stage that is built when no `--target` is given: the last one.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The instruction at `index` in `ast.instructions`.
    pub fn instruction(&self, index: usize) -> &Instruction {
        &self.ast.instructions[index]
    }

    /// The instructions of `stage` (its FROM excluded), with their indices.
    pub fn stage_instructions<'a>(
        &'a self,
        stage: &Stage,
    ) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
        let range = stage.body.clone();
        self.ast.instructions[range.clone()]
            .iter()
            .enumerate()
            .map(move |(i, ins)| (range.start + i, ins))
    }

    /// The RUN entries of `stage`.
    pub fn stage_runs<'a>(&'a self, stage: &Stage) -> impl Iterator<Item = &'a Run> + 'a {
        let index = stage.index;
        self.runs.iter().filter(move |r| r.stage == Some(index))
    }

    /// The stage named `name` (case-insensitive) or with that index (`COPY --from=0`), declared before `before`.
    pub fn stage_by_ref(&self, name: &str, before: usize) -> Option<&Stage> {
        let stages = &self.stages[..before.min(self.stages.len())];
        if let Ok(i) = name.parse::<usize>() {
            return stages.get(i);
        }
        stages.iter().find(|s| {
            s.name
                .as_ref()
                .is_some_and(|n| n.value.eq_ignore_ascii_case(name))
        })
    }
}

/// `ARG NAME[=default]`.
#[derive(Clone, Debug)]
pub struct ArgDecl {
    pub name: Spanned<String>,
    /// The default as written, when there is one.
    pub default: Option<Spanned<String>>,
    /// Index of the ARG instruction.
    pub instruction: usize,
}

/// `FROM image [AS name]` and what follows until the next FROM.
#[derive(Clone, Debug)]
pub struct Stage {
    /// 0-based position among the stages.
    pub index: usize,
    /// Index of the FROM instruction in `ast.instructions`.
    pub from: usize,
    /// `AS name`, lowercased as Docker does.
    pub name: Option<Spanned<String>>,
    pub base: BaseImage,
    /// `--platform=...` on the FROM line.
    pub platform: Option<Spanned<String>>,
    /// Indices of the stage's instructions after its FROM, in `ast.instructions`.
    pub body: Range<usize>,
    /// The stage's effective user after its last `USER` (inherited from a parent stage built in this file).
    /// `None` when no USER is set in this stage or a parent stage of this file.
    pub user: Option<UserRef>,
}

impl Stage {
    /// `name` if the stage has one, else its index: how `COPY --from` refers to it.
    pub fn display_name(&self) -> String {
        self.name
            .as_ref()
            .map_or_else(|| self.index.to_string(), |n| n.value.clone())
    }
}

/// The last `USER` that applies, with the instruction that set it.
#[derive(Clone, Debug)]
pub struct UserRef {
    /// The user part as written (before `:group`), after ARG/ENV substitution when known.
    pub user: Spanned<String>,
    /// The group part, if any.
    pub group: Option<String>,
    /// Index of the USER instruction (in this stage or a parent stage).
    pub instruction: usize,
    /// The value contains a variable whose value is not known.
    pub unknown: bool,
}

impl UserRef {
    /// `root` or UID `0` (known values only).
    pub fn is_root(&self) -> bool {
        !self.unknown && (self.user.value == "root" || self.user.value == "0")
    }
}

/// The base of a stage.
#[derive(Clone, Debug)]
pub struct BaseImage {
    /// The image as written: `python:${TAG}-slim`.
    pub raw: Spanned<String>,
    /// After ARG substitution (global ARGs, `${V:-default}`, `${V:+alt}`); `None` when a variable has no known value.
    pub resolved: Option<String>,
    pub kind: BaseKind,
}

#[derive(Clone, Debug)]
pub enum BaseKind {
    /// `FROM scratch`.
    Scratch,
    /// `FROM <earlier stage name>`: the index of that stage.
    Stage(usize),
    /// A registry image, parsed from `resolved`.
    Image(ImageRef),
    /// The reference could not be resolved (unknown variable) or parsed.
    Unknown,
}

/// `[registry/]repository[:tag][@digest]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// `ghcr.io`, `registry:5000`; `None` for Docker Hub short names.
    pub registry: Option<String>,
    /// `library/python` is written `python`: the repository as written, without registry.
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:...`
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses `[registry/]repository[:tag][@digest]` (no variables). `None` when it is not a valid reference.
    ///
    /// As Docker's reference grammar: the first path component is a registry when it contains `.` or
    /// `:`, is `localhost`, or has upper-case letters (`localhost:5000/x`, `ghcr.io/a/b`); otherwise
    /// `repo:5000` is repository `repo` with tag `5000`. Repository components must be lower case.
    pub fn parse(reference: &str) -> Option<ImageRef> {
        super::image::parse(reference)
    }

    /// The last path component of the repository: `python` for `library/python`.
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }
}

/// A RUN instruction (or `ONBUILD RUN`) with its shell script parsed.
#[derive(Clone, Debug)]
pub struct Run {
    /// Index of the RUN instruction in `ast.instructions` (for ONBUILD, of the ONBUILD instruction).
    pub instruction: usize,
    /// The stage it belongs to (`None` for ONBUILD triggers, which run in a child image).
    pub stage: Option<usize>,
    /// The shell commands: from the shell-form text, or from each heredoc body run by a shell.
    /// Exec-form RUN (`RUN ["apt-get", "install"]`) is one pipeline of one command.
    pub script: Script,
    /// `--mount=type=...` flags, parsed.
    pub mounts: Vec<Mount>,
    /// The `SHELL` in force for this RUN (`["/bin/sh", "-c"]` by default), for pipefail checks.
    pub shell: Vec<String>,
    pub keyword: Keyword,
    pub range: TextRange,
}

/// `--mount=type=cache,target=/root/.cache,...`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// `bind` when not given, as BuildKit defaults.
    pub kind: String,
    pub target: Option<String>,
    /// Every `key=value` option as written.
    pub options: Vec<(String, String)>,
    pub range: TextRange,
}
