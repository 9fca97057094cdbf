use cw_diagnostics::TextRange;

use super::*;

fn at(src: &str, r: TextRange) -> &str {
    &src[r.as_usize()]
}

fn image(df: &Dockerfile, stage: usize) -> &ImageRef {
    match &df.stages[stage].base.kind {
        BaseKind::Image(i) => i,
        other => panic!("stage {stage} base is {other:?}"),
    }
}

// ---- base images and ARG substitution ------------------------------------------------------

#[test]
fn global_arg_substitution_in_from() {
    let src = "ARG TAG=3.12\nARG NOVAL\nFROM python:${TAG}-slim AS Build\nFROM python:$NOVAL\n\
               FROM python:${NOVAL:-3.11}\nFROM python:${TAG:+x}${UNDECLARED-y}\nFROM python:$UNDECLARED\n";
    let df = Dockerfile::from_source(src);
    assert!(df.ast.errors.is_empty(), "{:?}", df.ast.errors);
    let names: Vec<_> = df
        .global_args
        .iter()
        .map(|a| a.name.value.as_str())
        .collect();
    assert_eq!(names, ["TAG", "NOVAL"]);
    assert_eq!(
        df.global_args[0].default.as_ref().map(|d| d.value.as_str()),
        Some("3.12")
    );
    assert!(df.global_args[1].default.is_none());

    let s0 = &df.stages[0];
    assert_eq!(at(src, s0.base.raw.range), "python:${TAG}-slim");
    assert_eq!(s0.base.resolved.as_deref(), Some("python:3.12-slim"));
    assert_eq!(image(&df, 0).tag.as_deref(), Some("3.12-slim"));
    assert_eq!(s0.name.as_ref().map(|n| n.value.as_str()), Some("build"));
    assert_eq!(at(src, s0.name.as_ref().expect("name").range), "Build");

    // An ARG without a default is never guessed.
    assert_eq!(df.stages[1].base.resolved, None);
    assert!(matches!(df.stages[1].base.kind, BaseKind::Unknown));
    // ... but its explicit fallback is what the build uses.
    assert_eq!(df.stages[2].base.resolved.as_deref(), Some("python:3.11"));
    assert_eq!(df.stages[3].base.resolved.as_deref(), Some("python:xy"));
    assert_eq!(df.stages[4].base.resolved, None);
}

#[test]
fn platform_args_are_unknown() {
    let df = Dockerfile::from_source(
        "FROM --platform=$BUILDPLATFORM golang:1.22-${TARGETARCH:-amd64}\n",
    );
    let stage = &df.stages[0];
    assert_eq!(stage.base.resolved, None);
    assert_eq!(
        stage.platform.as_ref().map(|p| p.value.as_str()),
        Some("$BUILDPLATFORM")
    );
}

#[test]
fn scratch_and_stage_references() {
    let src = "FROM golang:1.22 AS Builder\nFROM scratch\nFROM builder AS final\nFROM BUILDER\nFROM final2\n";
    let df = Dockerfile::from_source(src);
    assert!(matches!(df.stages[1].base.kind, BaseKind::Scratch));
    assert!(matches!(df.stages[2].base.kind, BaseKind::Stage(0)));
    assert!(matches!(df.stages[3].base.kind, BaseKind::Stage(0)));
    // Not an earlier stage: a registry image named `final2`.
    assert_eq!(image(&df, 4).repository, "final2");
    assert_eq!(df.stage_by_ref("BUILDER", 4).map(|s| s.index), Some(0));
    assert_eq!(df.stage_by_ref("1", 4).map(|s| s.index), Some(1));
    assert_eq!(df.stages[0].body, 1..1);
    assert_eq!(df.final_stage().map(|s| s.index), Some(4));
}

/// `(registry, repository, tag, digest)`.
type Parts<'a> = (Option<&'a str>, &'a str, Option<&'a str>, Option<&'a str>);

#[test]
fn image_references() {
    let cases: [(&str, Option<Parts>); 14] = [
        (
            "python:3.12-slim",
            Some((None, "python", Some("3.12-slim"), None)),
        ),
        (
            "localhost:5000/x:1",
            Some((Some("localhost:5000"), "x", Some("1"), None)),
        ),
        ("localhost/x", Some((Some("localhost"), "x", None, None))),
        (
            "ghcr.io/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            Some((
                Some("ghcr.io"),
                "a/b",
                None,
                Some("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
            )),
        ),
        ("repo:5000", Some((None, "repo", Some("5000"), None))),
        ("repo:5000/x", Some((Some("repo:5000"), "x", None, None))),
        ("library/python", Some((None, "library/python", None, None))),
        ("Registry/x", Some((Some("Registry"), "x", None, None))),
        (
            "[::1]:5000/x:v",
            Some((Some("[::1]:5000"), "x", Some("v"), None)),
        ),
        ("Python:3", None),
        ("python:", None),
        ("a/b:c/d", None),
        ("x@sha256:short", None),
        ("", None),
    ];
    for (reference, expected) in cases {
        let got = ImageRef::parse(reference);
        let got = got.as_ref().map(|r| {
            (
                r.registry.as_deref(),
                r.repository.as_str(),
                r.tag.as_deref(),
                r.digest.as_deref(),
            )
        });
        assert_eq!(got, expected, "{reference}");
        if let Some(r) = ImageRef::parse(reference) {
            assert_eq!(r.to_string(), reference);
        }
    }
    assert_eq!(
        ImageRef::parse("library/python")
            .map(|r| r.short_name().to_string())
            .as_deref(),
        Some("python")
    );
}

// ---- variables --------------------------------------------------------------------------

#[test]
fn vars_at_follows_arg_and_env_in_the_stage() {
    let src = "ARG VERSION=1.0\nARG OTHER=o\nFROM alpine\nARG VERSION\nENV APP=/opt/app-${VERSION} HOME2=$HOME\n\
               ENV A=1 B=$A\nARG X=${APP}/x\nRUN true\nFROM scratch\nRUN true\n";
    let df = Dockerfile::from_source(src);
    let vars = df.vars_at(7);
    assert_eq!(vars.get("VERSION"), Some("1.0"));
    assert_eq!(vars.get("APP"), Some("/opt/app-1.0"));
    assert_eq!(vars.get("X"), Some("/opt/app-1.0/x"));
    // From the base image: unknown.
    assert_eq!(vars.get("HOME2"), None);
    assert_eq!(vars.value("PATH"), &VarValue::Unknown);
    // Global ARGs are not visible in a stage unless declared there.
    assert_eq!(vars.get("OTHER"), None);
    // `ENV A=1 B=$A` expands with the environment before the instruction.
    assert_eq!(vars.get("A"), Some("1"));
    assert_eq!(vars.get("B"), None);
    // Before the ARG in the stage, VERSION is not visible.
    assert_eq!(df.vars_at(3).get("VERSION"), None);
    // FROM lines see the global ARGs.
    assert_eq!(df.vars_at(2).get("OTHER"), Some("o"));
    assert_eq!(df.vars_at(1).get("OTHER"), None);
    // `FROM scratch` has no environment at all.
    assert_eq!(df.vars_at(9).value("PATH"), &VarValue::Unset);
    assert_eq!(
        df.vars_at(9).expand("python:${PY:-3}"),
        Some("python:3".to_string())
    );
}

#[test]
fn env_of_a_parent_stage_is_inherited() {
    let src = "FROM alpine AS base\nENV TAG=3.12\nARG NOT_INHERITED=1\nFROM base\nRUN echo\n";
    let df = Dockerfile::from_source(src);
    let vars = df.vars_at(4);
    assert_eq!(vars.get("TAG"), Some("3.12"));
    assert_eq!(vars.get("NOT_INHERITED"), None);
}

#[test]
fn expand_helper() {
    let lookup = |name: &str| match name {
        "TAG" => Some("3.12".to_string()),
        "EMPTY" => Some(String::new()),
        _ => None,
    };
    let cases = [
        ("python:$TAG", Some("python:3.12")),
        ("python:${TAG}", Some("python:3.12")),
        ("${EMPTY:-d}", Some("d")),
        ("${EMPTY-d}", Some("")),
        ("${TAG:+alt}", Some("alt")),
        ("${TAG+alt}", Some("alt")),
        ("${TAG:-$UNKNOWN}", Some("3.12")),
        ("${UNKNOWN:-d}", None),
        ("$UNKNOWN", None),
        ("'$TAG' \"$TAG\" \\$TAG", Some("$TAG 3.12 $TAG")),
        ("${TAG%.12}", Some("3")),
        ("${TAG#3.}", Some("12")),
        ("${TAG#*.}", None),
        ("${", None),
        ("${TAG", None),
        ("a$ b", Some("a$ b")),
    ];
    for (text, expected) in cases {
        assert_eq!(expand(text, lookup).as_deref(), expected, "{text}");
    }
}

// ---- USER --------------------------------------------------------------------------------

#[test]
fn user_takes_a_redeclared_global_arg_and_env_wins_over_arg() {
    let src = "ARG APP_USER=app\nFROM a\nARG APP_USER\nUSER ${APP_USER}\n\
               FROM a\nENV NAME=fromenv\nARG NAME=fromarg\nUSER $NAME\nFROM a\nUSER $APP_USER\n";
    let df = Dockerfile::from_source(src);
    let user = |i: usize| {
        let u = df.stages[i].user.as_ref().expect("user");
        (u.user.value.clone(), u.unknown)
    };
    assert_eq!(user(0), ("app".to_string(), false));
    assert_eq!(user(1), ("fromenv".to_string(), false));
    // Not declared in the stage: the global ARG is not visible, so the value is unknown.
    assert_eq!(user(2), ("$APP_USER".to_string(), true));
}

#[test]
fn user_is_the_last_user_of_the_stage_or_inherited() {
    let src = "FROM alpine AS base\nUSER root\nARG UID=1000\nUSER ${UID}:app\nFROM base AS child\nRUN x\n\
               FROM alpine\nUSER $UNKNOWN_UID\nFROM alpine\nUSER 0\n";
    let df = Dockerfile::from_source(src);
    let base = df.stages[0].user.as_ref().expect("user");
    assert_eq!(base.user.value, "1000");
    assert_eq!(base.group.as_deref(), Some("app"));
    assert!(!base.unknown && !base.is_root());
    assert_eq!(base.instruction, 3);
    assert_eq!(at(src, base.user.range), "${UID}:app");
    let child = df.stages[1].user.as_ref().expect("inherited");
    assert_eq!((child.user.value.as_str(), child.instruction), ("1000", 3));
    let unknown = df.stages[2].user.as_ref().expect("user");
    assert!(unknown.unknown);
    assert!(!unknown.is_root());
    assert!(df.stages[3].user.as_ref().expect("user").is_root());
    let src = "FROM a\nUSER app:app\n";
    let df = Dockerfile::from_source(src);
    assert_eq!(
        at(src, df.stages[0].user.as_ref().expect("u").user.range),
        "app"
    );
    assert!(
        Dockerfile::from_source("FROM a\nRUN x\n").stages[0]
            .user
            .is_none()
    );
}

// ---- RUN ---------------------------------------------------------------------------------

#[test]
fn shell_is_scoped_to_its_stage() {
    let src = "FROM a AS one\nRUN x\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN y\n\
               FROM a\nRUN z\nFROM one\nRUN w\n";
    let df = Dockerfile::from_source(src);
    let shells: Vec<_> = df.runs.iter().map(|r| r.shell.join(" ")).collect();
    assert_eq!(
        shells,
        [
            "/bin/sh -c",
            "/bin/bash -o pipefail -c",
            "/bin/sh -c",
            // Built FROM `one`: its SHELL carries over.
            "/bin/bash -o pipefail -c"
        ]
    );
    let stages: Vec<_> = df.runs.iter().map(|r| r.stage).collect();
    assert_eq!(stages, [Some(0), Some(0), Some(1), Some(2)]);
    assert_eq!(df.stage_runs(&df.stages[0]).count(), 2);
}

#[test]
fn mounts_are_parsed() {
    let src = "FROM a\nRUN --mount=type=cache,target=/root/.cache,sharing=locked --mount=src=.,dst=/src,ro \\\n    --mount=type=secret,id=npmrc pip install .\n";
    let df = Dockerfile::from_source(src);
    let mounts = &df.runs[0].mounts;
    assert_eq!(mounts.len(), 3);
    assert_eq!(mounts[0].kind, "cache");
    assert_eq!(mounts[0].target.as_deref(), Some("/root/.cache"));
    assert!(
        mounts[0]
            .options
            .contains(&("sharing".to_string(), "locked".to_string()))
    );
    assert_eq!(mounts[1].kind, "bind");
    assert_eq!(mounts[1].target.as_deref(), Some("/src"));
    assert!(
        mounts[1]
            .options
            .contains(&("ro".to_string(), String::new()))
    );
    assert_eq!(mounts[2].kind, "secret");
    assert_eq!(at(src, mounts[2].range), "--mount=type=secret,id=npmrc");
    let names: Vec<_> = df.runs[0]
        .script
        .commands()
        .map(|c| c.name.value.as_str())
        .collect();
    assert_eq!(names, ["pip"]);
}

#[test]
fn exec_form_run_and_sh_c() {
    let src = "FROM a\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\nRUN [\"/bin/sh\", \"-c\", \"apk add x && rm -rf /var/cache/apk/*\"]\n";
    let df = Dockerfile::from_source(src);
    let install: Vec<_> = df.runs[0].script.commands().collect();
    assert_eq!(install.len(), 1);
    assert_eq!(install[0].name.value, "apt-get");
    assert_eq!(at(src, install[0].args[2].range), "\"curl\"");
    let names: Vec<_> = df.runs[1]
        .script
        .commands()
        .map(|c| c.name.value.as_str())
        .collect();
    assert_eq!(names, ["/bin/sh", "apk", "rm"]);
    let apk = df.runs[1].script.commands().nth(1).expect("apk");
    assert_eq!(at(src, apk.range), "apk add x");
    assert!(apk.via_shell_c.is_some());
}

#[test]
fn heredoc_runs() {
    let src = "FROM a\n\
        RUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n\
        RUN <<EOF bash\nset -e\nwget -q x\nEOF\n\
        RUN python3 <<EOF\nimport os\nprint(1)\nEOF\n\
        RUN cat <<EOF > /etc/app.conf\nkey = value\nEOF\n\
        RUN <<EOF\n#!/usr/bin/env python3\nprint(2)\nEOF\n\
        RUN <<-EOF sh -eux\n\tapk add git\n\tEOF\n";
    let df = Dockerfile::from_source(src);
    assert!(df.ast.errors.is_empty(), "{:?}", df.ast.errors);
    let names = |i: usize| -> Vec<&str> {
        df.runs[i]
            .script
            .commands()
            .map(|c| c.name.value.as_str())
            .collect()
    };
    assert_eq!(names(0), ["apt-get", "apt-get"]);
    let curl = df.runs[0].script.commands().nth(1).expect("install").args[2].range;
    assert_eq!(at(src, curl), "curl");
    assert_eq!(names(1), ["bash", "set", "wget"]);
    assert_eq!(names(2), ["python3"]);
    assert_eq!(names(3), ["cat"]);
    assert_eq!(names(4), Vec::<&str>::new());
    assert_eq!(names(5), ["sh", "apk"]);
    let git = df.runs[5].script.commands().nth(1).expect("apk").args[1].range;
    assert_eq!(at(src, git), "git");
    assert!(df.runs.iter().all(|r| r.script.error.is_none()));
}

#[test]
fn onbuild_run_and_non_posix_shells() {
    let src =
        "FROM a\nONBUILD RUN npm ci\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-ChildItem\n";
    let df = Dockerfile::from_source(src);
    assert_eq!(df.runs.len(), 2);
    assert_eq!(df.runs[0].keyword, cw_syntax::dockerfile::Keyword::Onbuild);
    assert_eq!(df.runs[0].stage, None);
    assert_eq!(df.runs[0].instruction, 1);
    assert_eq!(
        df.runs[0]
            .script
            .commands()
            .next()
            .map(|c| c.name.value.as_str()),
        Some("npm")
    );
    assert!(df.runs[1].script.error.is_some());
    assert_eq!(df.runs[1].script.commands().count(), 0);
}
