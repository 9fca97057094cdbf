use cw_diagnostics::TextRange;
use cw_syntax::yaml::{YamlFile, parse_yaml};

use super::*;

/// The text of `range` in `text`.
fn at(text: &str, range: TextRange) -> &str {
    range.slice(text)
}

/// The line (1-based) of `range` in `text`.
fn line(text: &str, range: TextRange) -> usize {
    text[..range.start as usize].matches('\n').count() + 1
}

const PIPELINE: &str = "\
stages: [build, deploy]
variables:
  GLOBAL: one
  DEPLOY_USER: {value: bot, description: who deploys, expand: false}
default:
  image: node:20
  before_script: [echo default]
  interruptible: true
.base:
  image:
    name: ruby:3.3
    entrypoint: ['']
  variables:
    A: from-base
    B: from-base
  script:
    - echo base
  tags: [docker]
.middle:
  extends: .base
  variables:
    B: from-middle
  services:
    - postgres:16
    - name: docker:24-dind
      alias: docker
      variables: {DOCKER_TLS_CERTDIR: ''}
build:
  stage: build
  extends: .middle
  variables:
    C: own
  script:
    - echo one
    - [echo nested, [echo deeper]]
plain:
  script: echo plain
  inherit:
    default: [image]
    variables: false
";

#[test]
fn jobs_and_globals() {
    let p = GitlabCiFile::from_source(PIPELINE);
    let names: Vec<_> = p.jobs().map(|j| j.name.value).collect();
    assert_eq!(names, [".base", ".middle", "build", "plain"]);
    let visible: Vec<_> = p.visible_jobs().map(|j| j.name.value).collect();
    assert_eq!(visible, ["build", "plain"]);
    let stages: Vec<_> = p.stages().iter().map(|s| s.value).collect();
    assert_eq!(stages, ["build", "deploy"]);
    let vars = p.variables();
    assert_eq!(vars.len(), 2);
    let user = p.variable("DEPLOY_USER").expect("var");
    assert_eq!(user.value.as_ref().map(|v| v.value), Some("bot"));
    assert_eq!(
        user.description.as_ref().map(|v| v.value),
        Some("who deploys")
    );
    assert!(!user.expand);
    assert_eq!(p.job(".base").expect("base").display(), "template .base");
    assert_eq!(p.job("build").expect("build").display(), "job build");
}

#[test]
fn extends_merges_deeply_and_keeps_spans() {
    let p = GitlabCiFile::from_source(PIPELINE);
    let build = p.job("build").expect("build");
    assert!(build.is_complete());
    // Hashes merge: A from .base, B from .middle (later wins), C from the job.
    let vars: Vec<_> = build
        .own_variables()
        .into_iter()
        .map(|v| (v.name.value, v.value.map(|s| s.value)))
        .collect();
    assert!(vars.contains(&("A", Some("from-base"))));
    assert!(vars.contains(&("B", Some("from-middle"))));
    assert!(vars.contains(&("C", Some("own"))));
    let a = build.variable("A").expect("A");
    assert_eq!(line(PIPELINE, a.name.range), 14, "A is written in .base");
    // Arrays are replaced: the job's script, not the template's; nested lists flatten.
    let script: Vec<_> = build.script().iter().map(|l| l.text).collect();
    assert_eq!(script, ["echo one", "echo nested", "echo deeper"]);
    // The image comes from .base (the job's own, after extends), with its span.
    let image = build.image().expect("image");
    assert_eq!(image.name.value, "ruby:3.3");
    assert_eq!(at(PIPELINE, image.name.range), "ruby:3.3");
    assert!(image.entrypoint().is_some());
    // Services come from .middle.
    let services = build.services();
    assert_eq!(services.len(), 2);
    assert_eq!(services[1].name.value, "docker:24-dind");
    assert_eq!(services[1].hostnames(), ["docker"]);
    assert_eq!(services[0].hostnames(), ["postgres", "postgres"]);
    assert_eq!(services[1].variables()[0].name.value, "DOCKER_TLS_CERTDIR");
    // Global variables are inherited, own ones win.
    let all: Vec<_> = build
        .variables()
        .into_iter()
        .map(|v| v.name.value)
        .collect();
    assert!(all.contains(&"GLOBAL"));
    assert_eq!(build.extends()[0].value, ".middle");
}

#[test]
fn default_inheritance() {
    let p = GitlabCiFile::from_source(PIPELINE);
    let build = p.job("build").expect("build");
    // Inherits before_script and interruptible from default:, not image (its own wins).
    let before: Vec<_> = build.before_script().iter().map(|l| l.text).collect();
    assert_eq!(before, ["echo default"]);
    assert_eq!(build.interruptible().map(|b| b.value), Some(true));
    let main: Vec<_> = build.main_shell().iter().map(|l| l.text).collect();
    assert_eq!(main[0], "echo default");
    // inherit: default: [image] takes only the image; inherit: variables: false none.
    let plain = p.job("plain").expect("plain");
    assert_eq!(plain.image().map(|i| i.name.value), Some("node:20"));
    assert_eq!(line(PIPELINE, plain.image().expect("image").name.range), 6);
    assert!(plain.before_script().is_empty());
    assert!(plain.variables().is_empty());
    assert_eq!(plain.script()[0].text, "echo plain");
    // Hidden jobs take nothing from default:.
    let base = p.job(".base").expect("base");
    assert!(base.before_script().is_empty());
    assert!(p.defaults().image().is_some());
}

#[test]
fn deprecated_global_defaults_and_inherit_false() {
    let text = "\
image: alpine:3.19
services: [redis]
default:
  after_script: [echo bye]
a:
  script: [x]
b:
  inherit: {default: false}
  script: [x]
";
    let p = GitlabCiFile::from_source(text);
    let a = p.job("a").expect("a");
    assert_eq!(a.image().map(|i| i.name.value), Some("alpine:3.19"));
    assert_eq!(a.services()[0].name.value, "redis");
    assert_eq!(a.after_script()[0].text, "echo bye");
    let b = p.job("b").expect("b");
    assert!(b.image().is_none());
    assert!(b.after_script().is_empty());
}

#[test]
fn extends_cycles_and_missing_templates() {
    let text = "\
.a:
  extends: .b
  script: [a]
.b:
  extends: .a
  image: b
job:
  extends: [.a, .missing]
  stage: test
";
    let p = GitlabCiFile::from_source(text);
    let job = p.job("job").expect("job");
    assert!(!job.is_complete());
    let missing: Vec<_> = job
        .unresolved_extends()
        .iter()
        .map(|s| s.value.as_str())
        .collect();
    assert_eq!(
        missing,
        [".a", ".missing"],
        "the cycle back to .a, and .missing"
    );
    assert_eq!(job.script()[0].text, "a");
    assert_eq!(job.image().map(|i| i.name.value), Some("b"));
    assert_eq!(job.stage().map(|s| s.value), Some("test"));
}

#[test]
fn extends_null_removes_a_key() {
    let text = "\
.t:
  variables: {A: '1', B: '2'}
  image: x
job:
  extends: .t
  image: null
  variables: {B: null}
";
    let p = GitlabCiFile::from_source(text);
    let job = p.job("job").expect("job");
    assert!(job.image().is_none());
    let b = job.variable("B").expect("B");
    assert!(b.value.is_none());
}

#[test]
fn references_resolve_after_extends() {
    let text = "\
.setup:
  script:
    - echo setup
.rules:
  rules:
    - if: $CI_COMMIT_TAG
.child:
  extends: .setup
job:
  script:
    - !reference [.child, script]
    - echo job
    - !reference [.nowhere, script]
  rules: !reference [.rules, rules]
  image: !reference [.missing, image]
";
    let p = GitlabCiFile::from_source(text);
    let job = p.job("job").expect("job");
    let script: Vec<_> = job.script().iter().map(|l| l.text).collect();
    assert_eq!(script, ["echo setup", "echo job"]);
    assert_eq!(
        line(text, job.script()[0].node.range),
        3,
        "where it is written"
    );
    assert!(!job.scripts_complete());
    let rules = job.rules().expect("rules");
    assert!(rules.complete);
    assert_eq!(
        rules.clauses[0].condition().map(|c| c.value),
        Some("$CI_COMMIT_TAG")
    );
    assert!(job.image().is_none(), "an unresolved reference is unknown");
}

#[test]
fn no_copy_without_extends_or_includes() {
    let p = GitlabCiFile::from_source("job:\n  script: [x]\n");
    assert!(p.resolved.root.is_none());
    assert_eq!(p.jobs().count(), 1);
}

#[test]
fn spec_header_document() {
    let text = "\
spec:
  inputs:
    stage: {default: test}
---
job:
  stage: $[[ inputs.stage ]]
  script: [x]
";
    let p = GitlabCiFile::from_source(text);
    assert_eq!(p.jobs().count(), 1);
}

#[test]
fn includes_in_every_form() {
    let text = "\
include:
  - 'ci/a.yml'
  - https://example.com/ci.yml
  - local: /ci/b.yml
  - local: 'ci/*.yml'
  - project: group/templates
    ref: v1.2.3
    file: [/a.yml, /b.yml]
  - project: group/other
    file: /c.yml
  - remote: https://example.com/x.yml
    integrity: sha256-abc
  - template: Auto-DevOps.gitlab-ci.yml
  - component: $CI_SERVER_FQDN/g/p/build@1.0.0
  - local: ci/a.yml
";
    let p = GitlabCiFile::from_source(text);
    let entries = p.include_entries();
    assert_eq!(entries.len(), 10);
    match &entries[4].kind {
        IncludeKind::Project {
            project,
            reference,
            files,
        } => {
            assert_eq!(project.value, "group/templates");
            assert_eq!(reference.as_ref().map(|r| r.value), Some("v1.2.3"));
            assert_eq!(files.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        &entries[5].kind,
        IncludeKind::Project {
            reference: None,
            ..
        }
    ));
    assert!(matches!(
        &entries[1].kind,
        IncludeKind::Remote {
            integrity: None,
            ..
        }
    ));
    assert!(matches!(
        &entries[6].kind,
        IncludeKind::Remote {
            integrity: Some(_),
            ..
        }
    ));
    assert!(matches!(&entries[7].kind, IncludeKind::Template(_)));
    assert!(matches!(&entries[8].kind, IncludeKind::Component(_)));
    let locals: Vec<_> = p.local_includes().into_iter().map(|s| s.value).collect();
    assert_eq!(locals, ["ci/a.yml", "/ci/b.yml", "ci/*.yml"]);
    let first = &p.local_includes()[0];
    assert_eq!(at(text, first.range), "'ci/a.yml'");

    let single = GitlabCiFile::from_source("include: ci/one.yml\n");
    assert_eq!(single.local_includes()[0].value, "ci/one.yml");
    let map = GitlabCiFile::from_source("include:\n  local: ci/two.yml\n");
    assert_eq!(map.local_includes()[0].value, "ci/two.yml");
}

/// Parses `text` and moves it to `base` in the scan's address space.
fn shifted(text: &str, base: u32) -> YamlFile {
    let mut yaml = parse_yaml(text);
    yaml.shift(base);
    yaml
}

#[test]
fn local_includes_merge_under_the_main_file() {
    let main_text = "\
include:
  - local: ci/deploy.yml
variables:
  MAIN: m
deploy:
  variables:
    OWN: main
  script: [./deploy main]
build:
  extends: .build
";
    let deploy_text = "\
include: ci/nested.yml
variables:
  MAIN: overridden
  FROM_DEPLOY: d
.build:
  image: golang:1.22
  script: [go build]
deploy:
  stage: deploy
  image: alpine:3.19
  variables:
    INCLUDED: yes
    OWN: included
  script: [./deploy included]
";
    let base = main_text.len() as u32 + 1;
    let p = GitlabCiFile::with_includes(
        parse_yaml(main_text),
        vec![("ci/deploy.yml".to_string(), shifted(deploy_text, base))],
    );
    let span_text = |r: TextRange| {
        if r.start >= base {
            at(deploy_text, TextRange::new(r.start - base, r.end - base))
        } else {
            at(main_text, r)
        }
    };
    let deploy = p.job("deploy").expect("deploy");
    // The main file wins for what it sets; the rest comes from the included file.
    assert_eq!(deploy.script()[0].text, "./deploy main");
    assert_eq!(deploy.stage().map(|s| s.value), Some("deploy"));
    let image = deploy.image().expect("image");
    assert!(
        image.name.range.start >= base,
        "written in the included file"
    );
    assert_eq!(span_text(image.name.range), "alpine:3.19");
    let own = deploy.variable("OWN").expect("OWN");
    assert_eq!(own.value.map(|v| v.value), Some("main"));
    assert!(deploy.variable("INCLUDED").is_some());
    // Global variables merge too, the main file's value wins.
    assert_eq!(
        p.variable("MAIN").and_then(|v| v.value).map(|v| v.value),
        Some("m")
    );
    assert!(p.variable("FROM_DEPLOY").is_some());
    // A job of the main file extends a template of the included file.
    let build = p.job("build").expect("build");
    assert!(build.is_complete());
    assert_eq!(
        span_text(build.image().expect("image").name.range),
        "golang:1.22"
    );
    // The job's key is where the main file writes it.
    assert_eq!(span_text(deploy.name.range), "deploy");
    assert!(deploy.name.range.start < base);
    // Local includes of the main file and of the included one, for the caller to follow.
    let locals: Vec<_> = p.local_includes().into_iter().map(|s| s.value).collect();
    assert_eq!(locals, ["ci/deploy.yml", "ci/nested.yml"]);
    assert_eq!(p.include_entries()[1].file, Some("ci/deploy.yml"));
}

#[test]
fn later_includes_win_over_earlier_ones() {
    let a = "job:\n  image: a:1\n  script: [a]\n";
    let b = "job:\n  image: b:1\n";
    let main = "include: [a.yml, b.yml]\n";
    let p = GitlabCiFile::with_includes(
        parse_yaml(main),
        vec![
            ("a.yml".into(), shifted(a, 100)),
            ("b.yml".into(), shifted(b, 200)),
        ],
    );
    let job = p.job("job").expect("job");
    assert_eq!(job.image().map(|i| i.name.value), Some("b:1"));
    assert_eq!(job.script()[0].text, "a");
}

#[test]
fn rules_only_except_environment() {
    let text = "\
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"
    - if: $CI_COMMIT_BRANCH
deploy:
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      when: manual
    - when: never
  environment:
    name: production
    url: https://example.com
legacy:
  only: [main, tags]
  except:
    variables: [$SKIP]
  environment: review/$CI_COMMIT_REF_SLUG
stop:
  environment: {name: staging, action: stop}
";
    let p = GitlabCiFile::from_source(text);
    let wf = p.workflow_rules().expect("workflow");
    assert_eq!(wf.clauses.len(), 2);
    let deploy = p.job("deploy").expect("deploy");
    let rules = deploy.rules().expect("rules");
    assert_eq!(rules.clauses[0].when().map(|w| w.value), Some("manual"));
    assert!(rules.clauses[1].is_never());
    assert!(!rules.clauses[1].has_condition());
    assert!(rules.clauses[0].expr().is_some());
    let env = deploy.environment().expect("env");
    assert_eq!(env.name.as_ref().map(|n| n.value), Some("production"));
    assert_eq!(env.tier(), Some(Tier::Production));
    assert!(env.starts());
    let legacy = p.job("legacy").expect("legacy");
    let only = legacy.only().expect("only");
    let refs: Vec<_> = only.refs.iter().map(|r| r.value).collect();
    assert_eq!(refs, ["main", "tags"]);
    let except = legacy.except().expect("except");
    assert!(!except.has_refs());
    assert_eq!(except.variables[0].value, "$SKIP");
    let review = legacy.environment().expect("env");
    assert!(review.is_dynamic());
    assert_eq!(review.tier(), Some(Tier::Development));
    let stop = p.job("stop").expect("stop").environment().expect("env");
    assert!(!stop.starts());
}

#[test]
fn variable_expansion() {
    let text = "\
variables:
  REGISTRY: registry.example.com
  TAG: latest
  RAW: {value: '$TAG', expand: false}
job:
  variables:
    IMAGE: $REGISTRY/app:${TAG}
  image: $IMAGE
";
    let p = GitlabCiFile::from_source(text);
    let job = p.job("job").expect("job");
    assert_eq!(
        job.expand("$IMAGE").as_deref(),
        Some("registry.example.com/app:latest")
    );
    assert_eq!(job.expand("$RAW").as_deref(), Some("$TAG"));
    assert_eq!(job.expand("$CI_REGISTRY_IMAGE:x"), None);
    assert_eq!(job.expand("a$$b").as_deref(), Some("a$b"));
}

#[test]
fn script_lines_map_to_file_positions() {
    let text = "\
job:
  script:
    - echo plain $TOKEN
    - 'echo ''single'' $TOKEN'
    - \"echo \\\"double\\\" \\t $TOKEN\"
    - |
      set -x
      curl -H \"Authorization: $TOKEN\" https://x
    - >-
      echo folded
      $TOKEN
    - echo multi
      line $TOKEN
";
    let p = GitlabCiFile::from_source(text);
    let job = p.job("job").expect("job");
    for l in job.script() {
        let raw = at(text, l.node.range);
        let script = l.parse(raw);
        assert!(script.error.is_none(), "{:?}", script.error);
        let token = script
            .commands()
            .flat_map(|c| c.args.iter())
            .find(|w| w.raw.contains("$TOKEN"))
            .unwrap_or_else(|| panic!("no $TOKEN in {}", l.text));
        let written = at(text, token.range);
        assert!(written.contains("$TOKEN"), "{written:?} for {:?}", l.text);
        // Without the source text, every range is the scalar's.
        let coarse = l.parse("");
        let first = coarse.commands().next().expect("command");
        assert_eq!(first.name.range, l.node.range);
    }
    let literal = &job.script()[3];
    let script = literal.parse(at(text, literal.node.range));
    let set = script.commands().next().expect("set");
    assert_eq!(at(text, set.range), "set -x");
    assert_eq!(line(text, set.range), 7);
}
