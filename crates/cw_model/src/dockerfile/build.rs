//! Building the model from the syntax tree: global ARGs, stages with resolved bases and users, and
//! every RUN's script.

use std::collections::HashMap;

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::dockerfile::{self, DockerfileAst, Instruction, Keyword};

use super::runs::{default_shell, mounts, script};
use super::vars::{PLATFORM_ARGS, VarValue, Vars};
use super::{ArgDecl, BaseImage, BaseKind, Dockerfile, ImageRef, Run, Stage, UserRef};

impl Dockerfile {
    /// Parses `text` and builds the model.
    pub fn from_source(text: &str) -> Dockerfile {
        Dockerfile::build(dockerfile::parse(text))
    }

    /// Builds the model from a parsed file.
    pub fn build(ast: DockerfileAst) -> Dockerfile {
        let escape = if ast.escape == '`' { '`' } else { '\\' };
        let mut df = Dockerfile {
            ast,
            global_args: Vec::new(),
            stages: Vec::new(),
            runs: Vec::new(),
            global_vars: global_scope(escape),
            stage_env: Vec::new(),
            stage_shells: Vec::new(),
            escape,
        };
        let first_from = df
            .ast
            .instructions
            .iter()
            .position(|i| i.keyword == Keyword::From)
            .unwrap_or(df.ast.instructions.len());
        for index in 0..first_from {
            let ins = &df.ast.instructions[index];
            match ins.keyword {
                Keyword::Arg => {
                    for kv in ins.key_values() {
                        df.global_args.push(ArgDecl {
                            name: kv.key.clone(),
                            default: kv.value.clone(),
                            instruction: index,
                        });
                    }
                    apply_arg(&mut df.global_vars, ins, None);
                }
                // Before any FROM: a Docker error, but the RUN is still worth checking.
                Keyword::Run => {
                    let run = make_run(ins, index, None, &default_shell());
                    df.runs.push(run);
                }
                Keyword::Onbuild => df.onbuild_run(index, &default_shell()),
                _ => {}
            }
        }
        let froms: Vec<usize> = (first_from..df.ast.instructions.len())
            .filter(|&i| df.ast.instructions[i].keyword == Keyword::From)
            .collect();
        let mut names = HashMap::new();
        for (n, &from) in froms.iter().enumerate() {
            let end = froms
                .get(n + 1)
                .copied()
                .unwrap_or(df.ast.instructions.len());
            df.build_stage(from, from + 1..end, &mut names);
        }
        df
    }

    /// The ARG and ENV values in force just before the instruction at `instruction` runs (for a
    /// FROM, the global ARGs it can use). Costs one pass over the stage up to that point.
    pub fn vars_at(&self, instruction: usize) -> Vars {
        let Some(stage) = self.stages.iter().find(|s| s.body.contains(&instruction)) else {
            if instruction >= self.first_from() {
                return self.global_vars.clone();
            }
            let mut vars = global_scope(self.escape);
            for ins in &self.ast.instructions[..instruction] {
                apply_arg(&mut vars, ins, None);
            }
            return vars;
        };
        let mut vars = self.stage_start(&stage.base);
        for ins in &self.ast.instructions[stage.body.start..instruction] {
            self.apply(&mut vars, ins);
        }
        vars
    }

    /// The environment of the single instruction `ins` applied to `vars`.
    fn apply(&self, vars: &mut Vars, ins: &Instruction) {
        match ins.keyword {
            Keyword::Arg => apply_arg(vars, ins, Some(&self.global_vars)),
            Keyword::Env => apply_env(vars, ins),
            _ => {}
        }
    }

    fn first_from(&self) -> usize {
        self.stages
            .first()
            .map_or(self.ast.instructions.len(), |s| s.from)
    }

    /// What a stage starts with: its parent stage's ENV, or nothing (and, with a registry image, unknown
    /// values for everything the image may set).
    fn stage_start(&self, base: &BaseImage) -> Vars {
        match base.kind {
            BaseKind::Stage(parent) => self.stage_env[parent].env_only(),
            BaseKind::Scratch => Vars::new(VarValue::Unset, self.escape),
            BaseKind::Image(_) | BaseKind::Unknown => Vars::new(VarValue::Unknown, self.escape),
        }
    }

    /// Builds the stage of the FROM at `from`; `names` maps the names of the stages before it.
    fn build_stage(
        &mut self,
        from: usize,
        body: std::ops::Range<usize>,
        names: &mut HashMap<String, usize>,
    ) {
        let index = self.stages.len();
        let ins = &self.ast.instructions[from];
        let words = ins
            .shell_text()
            .map(cw_syntax::dockerfile::ShellText::raw_words)
            .unwrap_or_default();
        let raw = words.first().map_or_else(
            || Spanned::new(String::new(), ins.args_range()),
            |w| Spanned::new(w.value.to_string(), w.range),
        );
        let name = match words.as_slice() {
            [_, as_kw, name] if as_kw.value.eq_ignore_ascii_case("as") => {
                Some(Spanned::new(name.value.to_ascii_lowercase(), name.range))
            }
            _ => None,
        };
        let resolved = (!raw.value.is_empty())
            .then(|| self.global_vars.expand(&raw.value))
            .flatten();
        let kind = match resolved.as_deref() {
            None => BaseKind::Unknown,
            Some(r) if r.eq_ignore_ascii_case("scratch") => BaseKind::Scratch,
            Some(r) => names.get(r.to_ascii_lowercase().as_str()).map_or_else(
                || ImageRef::parse(r).map_or(BaseKind::Unknown, BaseKind::Image),
                |&i| BaseKind::Stage(i),
            ),
        };
        let base = BaseImage {
            raw,
            resolved,
            kind,
        };
        let (mut user, mut shell) = match base.kind {
            BaseKind::Stage(parent) => (
                self.stages[parent].user.clone(),
                self.stage_shells[parent].clone(),
            ),
            _ => (None, default_shell()),
        };
        let mut vars = self.stage_start(&base);
        for i in body.clone() {
            let ins = &self.ast.instructions[i];
            match ins.keyword {
                Keyword::User => user = Some(user_ref(ins, i, &vars)),
                Keyword::Shell => {
                    if let Some(exec) = ins.exec_args() {
                        shell = exec.items.iter().map(|s| s.value.clone()).collect();
                    }
                }
                Keyword::Run => {
                    let run = make_run(ins, i, Some(index), &shell);
                    self.runs.push(run);
                }
                Keyword::Onbuild => self.onbuild_run(i, &shell),
                _ => {}
            }
            self.apply(&mut vars, &self.ast.instructions[i]);
        }
        self.stage_env.push(vars);
        self.stage_shells.push(shell);
        let platform = self.ast.instructions[from]
            .flag("platform")
            .and_then(|f| f.value.clone());
        if let Some(n) = &name {
            names.entry(n.value.clone()).or_insert(index);
        }
        self.stages.push(Stage {
            index,
            from,
            name,
            base,
            platform,
            body,
            user,
        });
    }

    /// `ONBUILD RUN ...`: a RUN of no stage of this file.
    fn onbuild_run(&mut self, index: usize, shell: &[String]) {
        let ins = &self.ast.instructions[index];
        if let Some(trigger) = ins.onbuild.as_deref()
            && trigger.keyword == Keyword::Run
        {
            let mut run = make_run(trigger, index, None, shell);
            run.keyword = Keyword::Onbuild;
            self.runs.push(run);
        }
    }
}

fn make_run(ins: &Instruction, index: usize, stage: Option<usize>, shell: &[String]) -> Run {
    Run {
        instruction: index,
        stage,
        script: script(ins, shell),
        mounts: mounts(ins.flags_named("mount")),
        shell: shell.to_vec(),
        keyword: ins.keyword,
        range: ins.range,
    }
}

/// Before the first FROM: undeclared names are unset, except BuildKit's platform ARGs.
fn global_scope(escape: char) -> Vars {
    let mut vars = Vars::new(VarValue::Unset, escape);
    for name in PLATFORM_ARGS {
        vars.set_arg(name, VarValue::Unknown);
    }
    vars
}

/// `ARG NAME[=default] ...`: each default expanded with what is known so far; `ARG NAME` in a stage
/// takes the global ARG's value, or the platform value for BuildKit's platform ARGs.
fn apply_arg(vars: &mut Vars, ins: &Instruction, globals: Option<&Vars>) {
    if ins.keyword != Keyword::Arg {
        return;
    }
    for kv in ins.key_values() {
        let name = kv.key.value.as_str();
        let value = match &kv.raw_value {
            Some(raw) => vars.expand(raw).map_or(VarValue::Unknown, VarValue::Known),
            None => match globals {
                Some(g) if g.is_declared(name) => g.value(name).clone(),
                _ if PLATFORM_ARGS.contains(&name) => VarValue::Unknown,
                _ => VarValue::Unset,
            },
        };
        vars.set_arg(name, value);
    }
}

/// `ENV A=1 B=$A`: every value expanded with the environment before the instruction, as Docker does.
fn apply_env(vars: &mut Vars, ins: &Instruction) {
    let before = vars.clone();
    for kv in ins.key_values() {
        if let Some(raw) = &kv.raw_value {
            let value = before
                .expand(raw)
                .map_or(VarValue::Unknown, VarValue::Known);
            vars.set_env(&kv.key.value, value);
        }
    }
}

/// `USER name[:group]`, expanded with the variables in force.
fn user_ref(ins: &Instruction, index: usize, vars: &Vars) -> UserRef {
    let (raw, range) = ins
        .shell_text()
        .map_or((String::new(), ins.args_range()), |t| {
            (t.text.clone(), t.range)
        });
    let expanded = vars.expand(&raw);
    let unknown = expanded.is_none();
    let value = expanded.unwrap_or_else(|| raw.clone());
    let (user, group) = match value.split_once(':') {
        Some((u, g)) => (u.to_string(), Some(g.to_string())),
        None => (value, None),
    };
    // Point at the user part when it is written as is.
    let user_range = match raw.find(':') {
        Some(i) if !unknown && raw[..i] == user => {
            TextRange::new(range.start, range.start + i as u32)
        }
        _ => range,
    };
    UserRef {
        user: Spanned::new(user, user_range),
        group,
        instruction: index,
        unknown,
    }
}
