use cw_diagnostics::TextRange;

use super::*;

fn workflow(src: &str) -> ActionsFile {
    ActionsFile::from_source(src, false)
}

fn at(src: &str, r: TextRange) -> &str {
    &src[r.as_usize()]
}

fn trigger_names(file: &ActionsFile) -> Vec<String> {
    file.workflow()
        .and_then(|w| w.on())
        .map(|t| t.list.iter().map(|t| t.name.value.to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn on_as_string_list_and_map() {
    assert_eq!(trigger_names(&workflow("on: push\njobs: {}\n")), ["push"]);
    assert_eq!(
        trigger_names(&workflow("on: [push, pull_request]\n")),
        ["push", "pull_request"]
    );
    let src = "\"on\":\n  pull_request_target:\n    types: [opened, synchronize]\n  workflow_run:\n    workflows: [CI]\n  push:\n    tags: ['v*']\n  workflow_dispatch:\n";
    let file = workflow(src);
    assert_eq!(
        trigger_names(&file),
        [
            "pull_request_target",
            "workflow_run",
            "push",
            "workflow_dispatch"
        ]
    );
    let on = file.workflow().and_then(|w| w.on()).expect("on");
    let prt = on.get("pull_request_target").expect("prt");
    assert_eq!(at(src, prt.name.range), "pull_request_target");
    let types: Vec<_> = prt.types().iter().map(|t| t.value).collect();
    assert_eq!(types, ["opened", "synchronize"]);
    assert!(on.get("workflow_dispatch").expect("wd").config.is_none());
    assert!(on.get("push").expect("push").has_filter("tags"));
    assert_eq!(
        on.any_of(PRIVILEGED_TRIGGERS).map(|t| t.name.value),
        Some("pull_request_target")
    );
    assert!(!on.is_reusable_only());
}

#[test]
fn workflow_call_inputs_and_secrets() {
    let src = "on:\n  workflow_call:\n    inputs:\n      env:\n        type: string\n    secrets:\n      token:\n        required: true\njobs: {}\n";
    let file = workflow(src);
    let on = file.workflow().and_then(|w| w.on()).expect("on");
    assert!(on.is_reusable_only());
    let call = on.get("workflow_call").expect("call");
    assert_eq!(call.inputs()[0].0.value, "env");
    assert_eq!(call.secrets()[0].0.value, "token");
}

#[test]
fn uses_references() {
    let Some(Uses::Repository(r)) = Uses::parse("github/codeql-action/init@v3") else {
        panic!("repository");
    };
    assert_eq!(
        (r.owner, r.repo, r.path, r.git_ref),
        ("github", "codeql-action", Some("init"), Some("v3"))
    );
    assert!(r.is("github/codeql-action/init"));
    assert!(r.is("github/codeql-action/*"));
    assert!(!r.is("github/codeql-action"));
    assert!(!r.is_sha_pinned());
    assert_eq!(r.major_version(), Some(3));
    let sha =
        Uses::parse("Actions/Checkout@11bd71901bbe5b1630ceea73d27597364c9af683").expect("sha");
    let r = sha.as_repository().expect("repo");
    assert!(r.is_sha_pinned() && r.is("actions/checkout"));
    let short = Uses::parse("actions/checkout@11bd719").expect("short");
    assert!(!short.as_repository().expect("repo").is_sha_pinned());
    let wf = Uses::parse("octo/pipelines/.github/workflows/build.yml@main").expect("wf");
    assert!(wf.as_repository().expect("repo").is_reusable_workflow());
    assert_eq!(
        Uses::parse("./.github/actions/setup"),
        Some(Uses::Local("./.github/actions/setup"))
    );
    assert_eq!(Uses::parse("${{ matrix.action }}"), None);
    let Some(Uses::Docker(d)) = Uses::parse("docker://ghcr.io:443/org/tool:1.2@sha256:abc") else {
        panic!("docker");
    };
    assert_eq!(
        (d.name, d.tag, d.digest),
        ("ghcr.io:443/org/tool", Some("1.2"), Some("sha256:abc"))
    );
    assert!(d.is_digest_pinned());
    let plain = DockerImage::parse("localhost:5000/alpine").expect("image");
    assert_eq!((plain.name, plain.tag), ("localhost:5000/alpine", None));
}

/// The expressions of the first step's `run:` with the file text each range covers.
fn run_expressions(src: &str) -> Vec<(String, bool, String)> {
    let file = workflow(src);
    let steps = file.steps();
    let run = steps[0].run().expect("run");
    file.expressions(run)
        .iter()
        .map(|e| (e.text.clone(), e.exact, at(src, e.range).to_string()))
        .collect()
}

const JOB: &str = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n";

#[test]
fn expression_ranges_in_plain_and_quoted_scalars() {
    let src = format!("{JOB}      - run: echo ${{{{ github.head_ref }}}} and ${{{{ env.A }}}}\n");
    assert_eq!(
        run_expressions(&src),
        [
            (
                "${{ github.head_ref }}".into(),
                true,
                "${{ github.head_ref }}".into()
            ),
            ("${{ env.A }}".into(), true, "${{ env.A }}".into()),
        ]
    );
    let src = format!("{JOB}      - run: 'it''s ${{{{ github.head_ref }}}}'\n");
    assert_eq!(run_expressions(&src)[0].2, "${{ github.head_ref }}");
    let src = format!("{JOB}      - run: \"echo \\\"${{{{ github.head_ref }}}}\\\"\"\n");
    let found = run_expressions(&src);
    assert!(found[0].1);
    assert_eq!(found[0].2, "${{ github.head_ref }}");
    // A plain scalar folded over two lines.
    let src = format!("{JOB}      - run: echo a\n          ${{{{ github.head_ref }}}}\n");
    assert_eq!(run_expressions(&src)[0].2, "${{ github.head_ref }}");
}

#[test]
fn expression_ranges_in_block_scalars() {
    let src = format!(
        "{JOB}      - run: |\n          echo start\n            indented \"${{{{ github.event.issue.title }}}}\"\n\n          echo ${{{{ github.head_ref }}}}\n"
    );
    let found = run_expressions(&src);
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|f| f.1));
    assert_eq!(found[0].2, "${{ github.event.issue.title }}");
    assert_eq!(found[1].2, "${{ github.head_ref }}");
    let src = format!("{JOB}      - run: |-\n          echo ${{{{ github.head_ref }}}}\n");
    assert_eq!(run_expressions(&src)[0].2, "${{ github.head_ref }}");
    // CRLF line breaks.
    let src = format!("{JOB}      - run: |\n          a\n          b ${{{{ github.head_ref }}}}\n")
        .replace('\n', "\r\n");
    assert_eq!(run_expressions(&src)[0].2, "${{ github.head_ref }}");
    // Folded scalars fall back to the whole scalar.
    let src =
        format!("{JOB}      - run: >\n          echo\n          ${{{{ github.head_ref }}}}\n");
    let found = run_expressions(&src);
    assert!(!found[0].1);
    assert!(found[0].2.starts_with('>'));
    // An indentation indicator also falls back.
    let src = format!("{JOB}      - run: |2\n            echo ${{{{ github.head_ref }}}}\n");
    assert!(!run_expressions(&src)[0].1);
}

#[test]
fn text_maps_round_trip() {
    let src = "a: \"x\\ty \\\\ z\"\nb: 'q''r'\nc: |\n  l1\n\n  l3\n";
    let yaml = cw_syntax::yaml::parse_yaml(src);
    let root = &yaml.documents[0].root;
    for key in ["a", "b", "c"] {
        let node = root.get(key).expect("key");
        let text = &node.as_scalar().expect("scalar").text;
        let map = text_map(node, src).expect("mapped");
        for (i, b) in text.bytes().enumerate() {
            let off = map.offset(i).expect("offset") as usize;
            let written = src.as_bytes()[off];
            let ok = written == b
                || (b == b'\n' && written == b'\n')
                || (b == b'\t' && written == b'\\')
                || (b == b'\\' && written == b'\\');
            assert!(ok, "{key}: byte {i} {b:?} mapped to {written:?}");
        }
    }
}

#[test]
fn expression_language() {
    let e = expr::parse("format('{0}-{1}', github.event.issue.title, github.sha)").expect("parse");
    let flows: Vec<String> = e.flowing_contexts().iter().map(|c| c.path()).collect();
    assert_eq!(flows, ["github.event.issue.title", "github.sha"]);
    let e = expr::parse("contains(github.event.pull_request.title, 'x') && 'yes' || 'no'")
        .expect("parse");
    assert!(e.flowing_contexts().is_empty());
    assert_eq!(e.contexts().len(), 1);
    let e = expr::parse("github.event.commits[0].message").expect("parse");
    assert!(e.as_context().expect("context").is_attacker_controlled());
    let e = expr::parse("github.EVENT['pull_request'].head.ref").expect("parse");
    assert!(e.as_context().expect("context").is_attacker_controlled());
    for safe in [
        "github.event.pull_request.head.sha",
        "github.event.issue.number",
        "github.sha",
        "inputs.name",
    ] {
        let e = expr::parse(safe).expect("parse");
        assert!(
            !e.as_context().expect("context").is_attacker_controlled(),
            "{safe}"
        );
    }
    // A whole object holding attacker text.
    let e = expr::parse("toJSON(github.event)").expect("parse");
    assert!(e.flowing_contexts()[0].is_attacker_controlled());
    let e = expr::parse("toJSON(secrets)").expect("parse");
    assert!(e.flowing_contexts()[0].is_all_secrets());
    let e = expr::parse("fromJSON(secrets.CREDS).password").expect("parse");
    assert!(matches!(e, Expr::Access(..)));
    assert!(e.flowing_contexts()[0].is_secret());
    let e =
        expr::parse("!(a == 'b') || steps.s-1.outputs.o != 0x1F && -1.5e3 < null").expect("parse");
    assert_eq!(e.contexts().len(), 2);
    assert_eq!(expr::parse("a.b("), None);
    assert_eq!(expr::parse("'open"), None);
    let cond = expr::parse_condition("${{ github.event_name == 'push' }}").expect("cond");
    assert!(matches!(cond, Expr::Binary(BinOp::Eq, ..)));
    let found = expr::find_expressions("a ${{ '}}' }} b ${{ x }}");
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].0, 2..13);
}

#[test]
fn context_text_as_written() {
    let src =
        format!("{JOB}      - run: echo ${{{{ format('{{0}}', GitHub.Event.Issue.Title) }}}}\n");
    let file = workflow(&src);
    let steps = file.steps();
    let e = &file.expressions(steps[0].run().expect("run"))[0];
    let ctx = e.flowing_contexts()[0];
    assert_eq!(e.context_text(ctx), "GitHub.Event.Issue.Title");
    assert!(e.is_attacker_controlled());
}

#[test]
fn permissions_forms() {
    let src = "on: push\npermissions: write-all\njobs:\n  a:\n    permissions: {}\n    runs-on: x\n  b:\n    permissions:\n      contents: read\n  c:\n    permissions: read-all\n";
    let file = workflow(src);
    let w = file.workflow().expect("workflow");
    assert!(matches!(w.permissions(), Some(Permissions::WriteAll(_))));
    let jobs = w.jobs();
    assert!(matches!(jobs[0].permissions(), Some(Permissions::Empty(_))));
    let b = jobs[1].permissions().expect("b");
    assert_eq!(b.scope("contents").map(|s| s.value), Some("read"));
    assert!(matches!(
        jobs[2].permissions(),
        Some(Permissions::ReadAll(_))
    ));
}

#[test]
fn jobs_runners_containers_and_reusable_calls() {
    let src = "on: push\njobs:\n  a:\n    runs-on: [self-hosted, linux]\n    container:\n      image: node:20\n      credentials:\n        username: u\n        password: p\n    services:\n      db: postgres:16\n    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n        include:\n          - os: self-hosted\n  b:\n    runs-on:\n      group: big\n  c:\n    uses: octo/repo/.github/workflows/x.yml@v1\n    secrets: inherit\n  d:\n    runs-on: ${{ matrix.os }}\n";
    let file = workflow(src);
    let jobs = file.workflow().expect("w").jobs();
    let a = &jobs[0];
    let runs_on = a.runs_on().expect("runs-on");
    assert!(runs_on.self_hosted().is_some());
    assert_eq!(runs_on.os(), RunnerOs::Linux);
    let container = a.container().expect("container");
    assert_eq!(container.image().map(|i| i.value), Some("node:20"));
    assert_eq!(container.password().and_then(|p| p.as_str()), Some("p"));
    let services = a.services();
    assert_eq!(services[0].0.value, "db");
    assert_eq!(services[0].1.image_ref().and_then(|i| i.tag), Some("16"));
    let values: Vec<_> = a
        .matrix_values("os")
        .expect("values")
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    assert_eq!(values, ["ubuntu-latest", "windows-latest", "self-hosted"]);
    assert_eq!(
        jobs[1].runs_on().and_then(|r| r.group).map(|g| g.value),
        Some("big")
    );
    assert!(jobs[2].is_reusable_call());
    assert!(jobs[2].secrets_inherit().is_some());
    assert!(jobs[2].uses().is_some());
    assert!(jobs[3].runs_on().expect("d").is_dynamic());
    assert_eq!(jobs[3].runs_on().expect("d").os(), RunnerOs::Unknown);
}

#[test]
fn shells_and_env_lookup() {
    let src = "on: push\nenv:\n  A: workflow\n  B: workflow\ndefaults:\n  run:\n    shell: bash\njobs:\n  win:\n    runs-on: windows-latest\n    env:\n      B: job\n    steps:\n      - run: x\n        env:\n          C: step\n      - run: y\n        shell: pwsh\n  mac:\n    runs-on: macos-14\n    defaults:\n      run:\n        shell: sh -e {0}\n    steps:\n      - run: z\n  any:\n    runs-on: ${{ matrix.os }}\n    defaults:\n      run:\n        shell: ${{ matrix.shell }}\n    steps:\n      - run: z\n";
    let file = workflow(src);
    let steps = file.steps();
    assert_eq!(steps[0].shell(), Shell::Bash);
    assert_eq!(steps[1].shell(), Shell::Pwsh);
    assert_eq!(steps[2].shell(), Shell::Sh);
    assert_eq!(steps[3].shell(), Shell::Unknown);
    let var = |name: &str| {
        steps[0]
            .env_var(name)
            .map(|v| (v.value.as_str().unwrap_or(""), v.level))
    };
    assert_eq!(var("A"), Some(("workflow", EnvLevel::Workflow)));
    assert_eq!(var("B"), Some(("job", EnvLevel::Job)));
    assert_eq!(var("C"), Some(("step", EnvLevel::Step)));
    assert_eq!(var("D"), None);
    assert!(
        file.run_script(&steps[1])
            .expect("script")
            .script
            .error
            .is_some()
    );
}

#[test]
fn run_scripts_map_back_to_the_file() {
    let src = format!(
        "{JOB}      - run: |\n          echo \"${{{{ secrets.TOKEN }}}}\" | base64\n          echo \"X=$TITLE\" >> \"$GITHUB_ENV\"\n"
    );
    let file = workflow(&src);
    let steps = file.steps();
    let run = file.run_script(&steps[0]).expect("script");
    assert_eq!(run.script.error, None);
    assert!(run.is_exact());
    let commands: Vec<_> = run.script.commands().collect();
    assert_eq!(commands.len(), 3);
    let echo = commands[0];
    assert_eq!(
        at(&src, run.file_range(echo.args[0].range)),
        "\"${{ secrets.TOKEN }}\""
    );
    let exprs = file.expressions(steps[0].run().expect("run"));
    assert_eq!(expressions_within(exprs, echo.args[0].range).count(), 1);
    let write = commands[2];
    assert_eq!(write.redirects[0].0, ">>");
    assert_eq!(write.redirects[0].1.raw, "\"$GITHUB_ENV\"");
    assert_eq!(referenced_variables(&write.args[0].raw), ["TITLE"]);
    assert_eq!(
        at(&src, run.file_range(write.range)),
        "echo \"X=$TITLE\" >> \"$GITHUB_ENV\""
    );
}

#[test]
fn quoting_positions() {
    let s = "echo a \"b c\" 'd' $(printf '%s' \"e\") # f\ncat <<EOF\ng\nEOF\n";
    let q = |needle: &str| quoting_at(s, s.find(needle).expect("needle"));
    assert_eq!(q("a "), Quoting::Plain);
    assert_eq!(q("b c"), Quoting::Double);
    assert_eq!(q("d'"), Quoting::Single);
    assert_eq!(q("%s"), Quoting::Single);
    assert_eq!(q("e\""), Quoting::Double);
    assert_eq!(q("f\n"), Quoting::Comment);
    assert_eq!(q("g\n"), Quoting::Unknown);
    assert_eq!(referenced_variables("\"$A\"'$B'${C:-x}$1"), ["A", "C"]);
}

#[test]
fn composite_action_steps() {
    let src = "name: setup\ninputs:\n  version:\n    default: '1'\nruns:\n  using: composite\n  steps:\n    - uses: actions/setup-node@v4\n    - run: echo ${{ inputs.version }}\n      shell: bash\n";
    let file = ActionsFile::from_source(src, true);
    assert!(file.workflow().is_none());
    let action = file.action().expect("action");
    assert!(action.is_composite());
    assert_eq!(action.inputs()[0].0.value, "version");
    let steps = file.steps();
    assert_eq!(steps.len(), 2);
    assert!(steps[0].uses_action("actions/setup-node"));
    assert_eq!(steps[1].shell(), Shell::Bash);
    assert_eq!(steps[1].display(), "action step 2");
    assert!(file.run_script(&steps[1]).is_some());
}

#[test]
fn odd_files_do_not_panic() {
    for src in [
        "",
        "- a\n",
        "on:\njobs:\n",
        "jobs: [a]\n",
        "jobs:\n  a: 1\n",
        "on: {push: [}",
    ] {
        let file = workflow(src);
        let _ = file.steps();
        if let Some(w) = file.workflow() {
            let _ = w.on();
            let _ = w.jobs();
        }
    }
}
