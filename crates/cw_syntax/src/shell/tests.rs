use cw_diagnostics::TextRange;

use super::*;
use crate::dockerfile;

/// Parses the shell-form arguments of the first RUN of `src` (a Dockerfile).
fn run_script(src: &str) -> Script {
    let ast = dockerfile::parse(src);
    let run = ast
        .instructions
        .iter()
        .find(|i| i.keyword == dockerfile::Keyword::Run)
        .expect("a RUN");
    let text = run.shell_text().expect("shell form");
    parse(&text.text, &text.offsets)
}

fn at(src: &str, r: TextRange) -> &str {
    &src[r.as_usize()]
}

/// `name arg arg` for every command, with the file text of each command's range.
fn summary<'a>(src: &'a str, script: &Script) -> Vec<(String, &'a str)> {
    script
        .commands()
        .map(|c| {
            let mut words = vec![c.name.value.clone()];
            words.extend(c.args.iter().map(|a| a.value.clone()));
            (words.join(" "), at(src, c.range))
        })
        .collect()
}

#[test]
fn apt_get_chain_gives_three_commands_with_exact_ranges() {
    let src = "FROM debian\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.* && rm -rf /var/lib/apt/lists/*\n";
    let script = run_script(src);
    assert_eq!(script.error, None);
    assert_eq!(
        summary(src, &script),
        [
            ("apt-get update".to_string(), "apt-get update"),
            (
                "apt-get install -y --no-install-recommends curl=7.*".to_string(),
                "apt-get install -y --no-install-recommends curl=7.*"
            ),
            (
                "rm -rf /var/lib/apt/lists/*".to_string(),
                "rm -rf /var/lib/apt/lists/*"
            ),
        ]
    );
    let install = script.commands().nth(1).expect("install");
    let pinned = install.args.last().expect("curl=7.*");
    assert_eq!(at(src, pinned.range), "curl=7.*");
    assert_eq!(
        pinned.range.start as usize,
        src.find("curl=").expect("curl")
    );
    assert_eq!(script.pipelines.len(), 3);
}

#[test]
fn pipes_make_one_pipeline() {
    let src = "FROM a\nRUN curl -fsSL https://x.sh | sh\n";
    let script = run_script(src);
    assert_eq!(script.pipelines.len(), 1);
    let p = &script.pipelines[0];
    assert_eq!(p.commands.len(), 2);
    assert_eq!(p.commands[1].name.value, "sh");
    assert_eq!(at(src, p.range), "curl -fsSL https://x.sh | sh");
    assert!(!p.negated);
    let negated = run_script("FROM a\nRUN ! grep -q x f\n");
    assert!(negated.pipelines[0].negated);
}

#[test]
fn positions_across_continuation_lines() {
    let src = "FROM a\nRUN apt-get update \\\n    && apt-get install -y \\\n       curl \\\n    # comment\n       wget\n";
    let script = run_script(src);
    let install = script.commands().nth(1).expect("install");
    let words: Vec<_> = install.args.iter().map(|w| at(src, w.range)).collect();
    assert_eq!(words, ["install", "-y", "curl", "wget"]);
    // `wget` is on line 6 of the file.
    let wget = install.args[3].range.start as usize;
    assert_eq!(src[..wget].matches('\n').count(), 5);
    assert_eq!(
        at(src, install.range),
        &src[src.find("apt-get install").expect("i")..src.rfind("wget").expect("w") + 4]
    );
}

#[test]
fn sh_c_is_parsed_with_file_ranges() {
    let src = "FROM a\nRUN sh -c 'apk add x && rm y' && bash -euxc \"echo \\\"hi\\\" | tee /f\"\n";
    let script = run_script(src);
    let names: Vec<_> = script.commands().map(|c| c.name.value.as_str()).collect();
    assert_eq!(names, ["sh", "apk", "rm", "bash", "echo", "tee"]);
    let outer = script.commands().next().expect("sh");
    assert_eq!(outer.via_shell_c, None);
    let apk = script.commands().nth(1).expect("apk");
    assert_eq!(at(src, apk.range), "apk add x");
    assert_eq!(apk.via_shell_c, Some(outer.range));
    let rm = script.commands().nth(2).expect("rm");
    assert_eq!(at(src, rm.args[0].range), "y");
    let echo = script.commands().nth(4).expect("echo");
    assert_eq!(echo.args[0].value, "hi");
    // The inner `"hi"` starts at the escaped quote (the backslash is not part of the inner script).
    assert_eq!(at(src, echo.args[0].range), "\"hi\\\"");
    let tee = script.commands().nth(5).expect("tee");
    assert_eq!(at(src, tee.args[0].range), "/f");
    assert!(tee.via_shell_c.is_some());
}

#[test]
fn sh_c_with_options_taking_values() {
    let src = "FROM a\nRUN /bin/bash -o pipefail -c 'wget -O- x | tar xz'\n";
    let script = run_script(src);
    let names: Vec<_> = script.commands().map(|c| c.name.value.as_str()).collect();
    assert_eq!(names, ["/bin/bash", "wget", "tar"]);
    // `sh script.sh` is not `-c`.
    let plain = run_script("FROM a\nRUN sh ./install.sh 'a && b'\n");
    assert_eq!(plain.commands().count(), 1);
}

#[test]
fn assignments_redirects_and_words() {
    let src = "FROM a\nRUN DEBIAN_FRONTEND=noninteractive A=\"x y\" apt-get install -y \"$PKG\" 'lit $X' >/var/log/x.log 2>&1\n";
    let script = run_script(src);
    let [c] = script.commands().collect::<Vec<_>>()[..] else {
        panic!("one command")
    };
    assert_eq!(c.assignments.len(), 2);
    assert_eq!(c.assignments[0].name, "DEBIAN_FRONTEND");
    assert_eq!(c.assignments[0].value.value, "noninteractive");
    assert_eq!(at(src, c.assignments[1].value.range), "\"x y\"");
    assert_eq!(c.assignments[1].value.value, "x y");
    assert_eq!(at(src, c.assignments[1].range), "A=\"x y\"");
    let pkg = &c.args[2];
    assert!(!pkg.literal);
    assert_eq!(
        (pkg.value.as_str(), pkg.raw.as_str()),
        ("\"$PKG\"", "\"$PKG\"")
    );
    let lit = &c.args[3];
    assert!(lit.literal);
    assert_eq!(lit.value, "lit $X");
    let ops: Vec<_> = c
        .redirects
        .iter()
        .map(|(op, w)| (op.as_str(), w.value.as_str()))
        .collect();
    assert_eq!(ops, [(">", "/var/log/x.log"), ("2>&", "1")]);
    assert_eq!(at(src, c.redirects[0].1.range), "/var/log/x.log");
    assert!(at(src, c.range).starts_with("DEBIAN_FRONTEND="));
}

#[test]
fn compound_commands_functions_and_substitutions() {
    let src = "FROM a\nRUN if [ -f /x ]; then curl -o /y https://z; else wget q; fi; \
               for p in a b; do pip install $p; done; f() { echo in-f; }; \
               V=$(curl -s https://v | jq -r .tag) && echo `date`; (cd /tmp && make) | tee log\n";
    let script = run_script(src);
    assert_eq!(script.error, None);
    let names: Vec<_> = script.commands().map(|c| c.name.value.as_str()).collect();
    assert_eq!(
        names,
        [
            "[", "curl", "wget", "pip", "echo", "curl", "jq", "echo", "date", "tee", "cd", "make"
        ]
    );
    let jq = script
        .commands()
        .find(|c| c.name.value == "jq")
        .expect("jq");
    assert_eq!(at(src, jq.range), "jq -r .tag");
    let date = script
        .commands()
        .find(|c| c.name.value == "date")
        .expect("date");
    assert_eq!(at(src, date.range), "date");
}

#[test]
fn non_ascii_text_maps_char_positions_to_bytes() {
    let src = "FROM a\nRUN echo «é» && apt-get install -y ü-pkg\n";
    let script = run_script(src);
    let install = script.commands().nth(1).expect("install");
    assert_eq!(at(src, install.args[2].range), "ü-pkg");
    assert_eq!(at(src, install.name.range), "apt-get");
}

#[test]
fn heredoc_body_script_with_continuations() {
    let body = "set -e\napt-get update \\\n  && apt-get install -y curl\r\n";
    let src = format!("FROM a\nRUN <<EOF\n{body}EOF\n");
    let base = src.find("set -e").expect("body") as u32;
    let script = parse_at(body, base);
    assert_eq!(script.error, None);
    let curl = script.commands().nth(2).expect("install").args[2].range;
    assert_eq!(at(&src, curl), "curl");
}

#[test]
fn scripts_brush_rejects_are_errors_not_panics() {
    for bad in [
        "if true; then",
        "echo $(",
        "a && && b",
        "echo 'x",
        "case x in",
        "((",
        "done",
    ] {
        let script = parse(bad, &(0..=bad.len() as u32).collect::<Vec<_>>());
        assert!(script.error.is_some(), "{bad}");
        assert!(script.pipelines.is_empty());
    }
    let deep = format!("{}a;{}", "{ ".repeat(500), "} ".repeat(500));
    assert!(parse_at(&deep, 0).error.is_some());
    let deep = format!("echo {}a{}", "$(".repeat(500), ")".repeat(500));
    assert!(parse_at(&deep, 0).error.is_some());
}

#[test]
fn offsets_shorter_than_text_do_not_panic() {
    let script = parse("echo a b", &[5]);
    assert_eq!(script.commands().count(), 1);
    let script = parse("echo a b", &[]);
    assert_eq!(script.commands().count(), 1);
}
