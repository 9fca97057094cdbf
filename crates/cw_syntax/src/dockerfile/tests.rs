use cw_diagnostics::TextRange;

use super::*;

fn at(src: &str, r: TextRange) -> &str {
    &src[r.as_usize()]
}

fn shell(ins: &Instruction) -> &ShellText {
    ins.shell_text().expect("shell form")
}

fn no_errors(src: &str) -> DockerfileAst {
    let ast = parse(src);
    assert!(ast.errors.is_empty(), "{src:?}: {:?}", ast.errors);
    ast
}

fn errors(src: &str) -> Vec<(String, &str)> {
    parse(src)
        .errors
        .into_iter()
        .map(|e| (e.message, at(src, e.range)))
        .collect()
}

// ---- whole files ---------------------------------------------------------------------------

#[test]
fn empty_and_comment_only_files_have_no_instructions_and_no_errors() {
    for src in [
        "",
        "\n\n",
        "   \t\n",
        "# just a comment\n# another",
        "\u{feff}",
        "\u{feff}# c\r\n",
    ] {
        let ast = no_errors(src);
        assert!(ast.instructions.is_empty(), "{src:?}");
    }
    let ast = no_errors("# a\n\n  # b\n");
    let comments: Vec<_> = ast.comments.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(comments, ["# a", "# b"]);
    assert_eq!(at("# a\n\n  # b\n", ast.comments[1].range), "# b");
}

#[test]
fn keywords_are_case_insensitive_and_ranges_are_exact() {
    let src = "from alpine:3.20 AS Build\n\trun echo hi  \nCmd [\"sh\"]\n";
    let ast = no_errors(src);
    let kws: Vec<_> = ast.instructions.iter().map(|i| i.keyword).collect();
    assert_eq!(kws, [Keyword::From, Keyword::Run, Keyword::Cmd]);
    let run = &ast.instructions[1];
    assert_eq!(at(src, run.keyword_range), "run");
    assert_eq!(at(src, run.range), "run echo hi  ");
    assert_eq!(shell(run).text, "echo hi");
    assert_eq!(at(src, shell(run).range), "echo hi");
    assert_eq!(shell(run).offsets.len(), "echo hi".len() + 1);
}

#[test]
fn bom_and_crlf() {
    let src = "\u{feff}FROM a\r\nRUN b \\\r\n  c\r\n";
    let ast = no_errors(src);
    assert_eq!(ast.instructions.len(), 2);
    assert_eq!(at(src, ast.instructions[0].range), "FROM a");
    let run = &ast.instructions[1];
    assert_eq!(shell(run).text, "b   c");
    assert_eq!(at(src, run.range), "RUN b \\\r\n  c");
}

// ---- directives --------------------------------------------------------------------------

#[test]
fn directives_at_the_top() {
    let src = "# syntax=docker/dockerfile:1.7\n#  ESCAPE = `\n# check=skip=JSONArgsRecommended;error=true\nFROM a\n";
    let ast = no_errors(src);
    let names: Vec<_> = ast
        .directives
        .iter()
        .map(|d| d.name.value.as_str())
        .collect();
    assert_eq!(names, ["syntax", "escape", "check"]);
    assert_eq!(ast.escape, '`');
    assert_eq!(at(src, ast.directives[1].name.range), "ESCAPE");
    assert_eq!(at(src, ast.directives[1].value.range), "`");
    assert_eq!(
        ast.directives[2].value.value,
        "skip=JSONArgsRecommended;error=true"
    );
    assert_eq!(
        at(src, ast.directives[0].range),
        "# syntax=docker/dockerfile:1.7"
    );
    assert!(ast.comments.is_empty(), "directives are not comments");
}

#[test]
fn directives_stop_at_the_first_other_line() {
    // A blank line, a plain comment or an instruction ends them: later ones are comments.
    for src in [
        "\n# escape=`\nFROM a\n",
        "# hello\n# escape=`\nFROM a\n",
        "FROM a\n# escape=`\n",
        "# unknown=1\n# escape=`\nFROM a\n",
    ] {
        let ast = no_errors(src);
        assert_eq!(ast.escape, '\\', "{src:?}");
        assert!(ast.directives.is_empty(), "{src:?}");
    }
}

#[test]
fn directive_errors() {
    assert_eq!(
        errors("# escape=x\nFROM a\n"),
        [(
            "invalid escape token 'x' does not match ` or \\".to_string(),
            "x"
        )]
    );
    assert_eq!(
        errors("# syntax=a\n# syntax=b\nFROM a\n"),
        [(
            "only one syntax parser directive can be used".to_string(),
            "# syntax=b"
        )]
    );
}

// ---- continuations -----------------------------------------------------------------------

#[test]
fn continuation_with_trailing_whitespace_comments_and_empty_lines() {
    let src = "FROM a\nRUN apt-get update \\  \n  # a comment\n\n    && apt-get install -y curl\n";
    let ast = no_errors(src);
    let run = &ast.instructions[1];
    let text = shell(run);
    assert_eq!(text.text, "apt-get update     && apt-get install -y curl");
    let curl = text.text.find("curl").expect("curl");
    assert_eq!(at(src, text.range_of(curl, curl + 4)), "curl");
    let amp = text.text.find("&&").expect("&&");
    assert_eq!(text.offsets[amp] as usize, src.find("&&").expect("&&"));
    assert_eq!(ast.comments.len(), 1);
    assert_eq!(ast.comments[0].value, "# a comment");
    assert_eq!(at(src, run.range), &src[7..src.len() - 1]);
}

#[test]
fn escaped_escape_at_end_of_line_is_not_a_continuation() {
    let src = "FROM a\nRUN echo \\\\\nRUN b\n";
    let ast = no_errors(src);
    assert_eq!(ast.instructions.len(), 3);
    assert_eq!(shell(&ast.instructions[1]).text, "echo \\\\");
}

#[test]
fn backtick_escape() {
    let src = "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN powershell -Command `\n    Write-Host C:\\path\\ `\n    ; exit 0\n";
    let ast = no_errors(src);
    let run = &ast.instructions[1];
    assert_eq!(
        shell(run).text,
        "powershell -Command     Write-Host C:\\path\\     ; exit 0"
    );
    assert_eq!(shell(run).escape, '`');
    let words: Vec<_> = shell(run).words().into_iter().map(|w| w.value).collect();
    assert_eq!(words[3], "C:\\path\\");
}

#[test]
fn continuation_at_end_of_file() {
    let src = "FROM a\nRUN a \\";
    let ast = no_errors(src);
    assert_eq!(shell(&ast.instructions[1]).text, "a");
    assert_eq!(at(src, ast.instructions[1].range), "RUN a \\");
}

#[test]
fn a_line_of_only_the_escape_character_continues() {
    let src = "FROM a\n\\\nRUN b\n";
    let ast = no_errors(src);
    assert_eq!(ast.instructions.len(), 2);
    assert_eq!(ast.instructions[1].keyword, Keyword::Run);
    assert_eq!(at(src, ast.instructions[1].keyword_range), "RUN");
}

// ---- heredocs ----------------------------------------------------------------------------

#[test]
fn heredoc_basic() {
    let src = "FROM a\nRUN <<EOF\napt-get update\necho done\nEOF\nUSER app\n";
    let ast = no_errors(src);
    assert_eq!(ast.instructions.len(), 3);
    let run = &ast.instructions[1];
    let [doc] = run.heredocs.as_slice() else {
        panic!("one heredoc: {:?}", run.heredocs)
    };
    assert_eq!(doc.delimiter, "EOF");
    assert!(!doc.quoted && !doc.strip_tabs);
    assert_eq!(at(src, doc.marker_range), "<<EOF");
    assert_eq!(doc.body, "apt-get update\necho done\n");
    assert_eq!(at(src, doc.body_range), doc.body);
    assert_eq!(
        at(src, run.range),
        "RUN <<EOF\napt-get update\necho done\nEOF"
    );
    assert_eq!(ast.instructions[2].keyword, Keyword::User);
}

#[test]
fn heredoc_strip_tabs_and_quotes() {
    let src = "FROM a\nRUN <<-\"EOT\" bash\n\techo $HOME\n\t\tEOT\nCOPY <<'X' /x\nbody\nX\n";
    let ast = no_errors(src);
    let doc = &ast.instructions[1].heredocs[0];
    assert_eq!(doc.delimiter, "EOT");
    assert!(doc.quoted && doc.strip_tabs);
    assert_eq!(doc.body, "\techo $HOME\n");
    assert_eq!(doc.content(), "echo $HOME\n");
    assert_eq!(at(src, doc.marker_range), "<<-\"EOT\"");
    let copy = &ast.instructions[2].heredocs[0];
    assert_eq!((copy.delimiter.as_str(), copy.quoted), ("X", true));
    assert_eq!(copy.body, "body\n");
}

#[test]
fn several_heredocs_per_instruction() {
    let src = "FROM a\nCOPY <<a.txt <<b.txt /dst/\nA\na.txt\nB\nb.txt\nRUN <<A cat - <<B\nbody a\nA\nbody b\nB\nRUN x\n";
    let ast = no_errors(src);
    let copy = &ast.instructions[1];
    let names: Vec<_> = copy.heredocs.iter().map(|h| h.delimiter.as_str()).collect();
    assert_eq!(names, ["a.txt", "b.txt"]);
    assert_eq!(copy.heredocs[0].body, "A\n");
    assert_eq!(copy.heredocs[1].body, "B\n");
    let run = &ast.instructions[2];
    assert_eq!(run.heredocs[0].body, "body a\n");
    assert_eq!(run.heredocs[1].body, "body b\n");
    assert_eq!(at(src, run.heredocs[1].marker_range), "<<B");
    assert_eq!(ast.instructions[3].keyword, Keyword::Run);
    assert_eq!(ast.instructions.len(), 4);
}

#[test]
fn heredoc_crlf_terminator() {
    let src = "FROM a\r\nRUN <<EOF\r\necho\r\nEOF\r\nRUN b\r\n";
    let ast = no_errors(src);
    assert_eq!(ast.instructions.len(), 3);
    assert_eq!(ast.instructions[1].heredocs[0].body, "echo\r\n");
}

#[test]
fn unterminated_heredoc() {
    let src = "FROM a\nRUN <<EOF\necho\n";
    let ast = parse(src);
    assert_eq!(ast.errors.len(), 1);
    assert_eq!(ast.errors[0].message, "unterminated heredoc");
    assert_eq!(at(src, ast.errors[0].range), "<<EOF");
    assert_eq!(ast.instructions[1].heredocs[0].body, "echo\n");
}

#[test]
fn heredoc_like_text_that_is_not_a_heredoc() {
    // Not RUN/COPY/ADD, exec form, quoted marker, here-string, arithmetic shift.
    let src = "FROM a\nENV A=<<EOF\nRUN [\"cat\", \"<<EOF\"]\nRUN echo '<<EOF' \"<<X\"\nRUN cat <<< hi\nRUN echo $((1<<2))\n";
    let ast = no_errors(src);
    assert_eq!(ast.instructions.len(), 6);
    assert!(ast.instructions.iter().all(|i| i.heredocs.is_empty()));
}

#[test]
fn heredoc_with_fd_and_continuation_on_the_instruction_line() {
    let src = "FROM a\nRUN 3<<EOF \\\n  cat /dev/fd/3\nhello\nEOF\n";
    let ast = no_errors(src);
    let run = &ast.instructions[1];
    assert_eq!(run.heredocs[0].body, "hello\n");
    assert_eq!(shell(run).text, "3<<EOF   cat /dev/fd/3");
}

// ---- exec form ---------------------------------------------------------------------------

#[test]
fn exec_form_items_and_ranges() {
    let src = "FROM a\nCMD [ \"nginx\", \"-g\",\"daemon off;\", \"\\u00e9\\n\" ]\n";
    let ast = no_errors(src);
    let cmd = &ast.instructions[1];
    let exec = cmd.exec_args().expect("exec form");
    let items: Vec<_> = exec.items.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(items, ["nginx", "-g", "daemon off;", "é\n"]);
    assert_eq!(at(src, exec.items[2].range), "\"daemon off;\"");
    assert_eq!(at(src, exec.range), &src[11..src.len() - 1]);
}

#[test]
fn exec_form_edge_cases() {
    let cases = [
        ("CMD [\"a\", 'b']", false),
        ("CMD []", true),
        ("CMD [\"a\"] extra", false),
        ("CMD [\"a\",]", false),
        ("CMD [\"a\" \"b\"]", false),
        ("CMD [a]", false),
        ("ENTRYPOINT [\"a\"]  ", true),
        ("RUN [\"a\\\"b\"]", true),
        ("ENV A [\"x\"]", false),
        ("CMD [\"\\ud83d\\ude00\"]", true),
    ];
    for (line, exec) in cases {
        let src = format!("FROM a\n{line}\n");
        let ast = no_errors(&src);
        assert_eq!(ast.instructions[1].is_exec_form(), exec, "{line}");
    }
    let ast = parse("FROM a\nCMD [\"\\ud83d\\ude00\"]\n");
    assert_eq!(
        ast.instructions[1].exec_args().expect("exec").items[0].value,
        "😀"
    );
}

#[test]
fn exec_form_with_non_strings_is_an_error() {
    let src = "FROM a\nCMD [\"a\", 1, {\"k\": [true, null]}]\n";
    assert_eq!(
        errors(src),
        [(
            "when using JSON array syntax, arrays must be comprised of strings only".to_string(),
            "[\"a\", 1, {\"k\": [true, null]}]"
        )]
    );
}

#[test]
fn exec_form_across_continuation_lines() {
    let src = "FROM a\nENTRYPOINT [\"a\", \\\n    \"b\"]\n";
    let ast = no_errors(src);
    let exec = ast.instructions[1].exec_args().expect("exec");
    assert_eq!(at(src, exec.items[1].range), "\"b\"");
}

// ---- flags -------------------------------------------------------------------------------

#[test]
fn flags_with_values_repeats_and_quotes() {
    let src = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n\
               RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=npm --network=none make\n\
               COPY --from=build --chown=\"app user\":app --link /out /app\n";
    let ast = no_errors(src);
    let from = &ast.instructions[0];
    let platform = from.flag("platform").expect("platform");
    assert_eq!(at(src, platform.range), "--platform=$BUILDPLATFORM");
    assert_eq!(at(src, platform.name.range), "platform");
    let value = platform.value.as_ref().expect("value");
    assert_eq!(
        (value.value.as_str(), at(src, value.range)),
        ("$BUILDPLATFORM", "$BUILDPLATFORM")
    );
    assert_eq!(shell(from).text, "golang:1.22 AS build");

    let run = &ast.instructions[1];
    let mounts: Vec<_> = run
        .flags_named("mount")
        .map(|f| f.value.as_ref().expect("v").value.as_str())
        .collect();
    assert_eq!(
        mounts,
        ["type=cache,target=/root/.cache", "type=secret,id=npm"]
    );
    assert_eq!(shell(run).text, "make");

    let copy = &ast.instructions[2];
    let chown = copy.flag("chown").expect("chown");
    assert_eq!(chown.value.as_ref().expect("v").value, "app user:app");
    assert_eq!(
        at(src, chown.value.as_ref().expect("v").range),
        "\"app user\":app"
    );
    let link = copy.flag("link").expect("link");
    assert!(link.value.is_none());
    assert_eq!(at(src, link.name.range), "link");
    assert_eq!(shell(copy).text, "/out /app");
}

#[test]
fn double_dash_ends_flags_and_flags_work_on_any_instruction() {
    let src = "FROM a\nRUN --network=host -- --not-a-flag\nHEALTHCHECK --interval=5s --start-period=1m CMD curl -f http://x/\n";
    let ast = no_errors(src);
    let run = &ast.instructions[1];
    assert_eq!(run.flags.len(), 1);
    assert_eq!(shell(run).text, "--not-a-flag");
    let hc = &ast.instructions[2];
    assert_eq!(hc.flags.len(), 2);
    assert_eq!(
        hc.flag("start-period")
            .and_then(|f| f.value.clone())
            .map(|v| v.value)
            .as_deref(),
        Some("1m")
    );
    assert_eq!(shell(hc).text, "CMD curl -f http://x/");
}

#[test]
fn flags_only_leaves_empty_arguments_anchored_after_them() {
    let src = "FROM a\nRUN --mount=type=cache,target=/x\n";
    let ast = parse(src);
    let run = &ast.instructions[1];
    assert_eq!(shell(run).text, "");
    assert_eq!(shell(run).range, TextRange::empty((src.len() - 1) as u32));
}

// ---- ONBUILD -----------------------------------------------------------------------------

#[test]
fn onbuild_nests_the_trigger() {
    let src = "FROM a\nONBUILD RUN --mount=type=cache,target=/c npm ci\nONBUILD copy . /app\n";
    let ast = no_errors(src);
    let ob = &ast.instructions[1];
    assert_eq!(ob.keyword, Keyword::Onbuild);
    let trigger = ob.onbuild.as_deref().expect("trigger");
    assert_eq!(trigger.keyword, Keyword::Run);
    assert_eq!(at(src, trigger.keyword_range), "RUN");
    assert_eq!(trigger.flags.len(), 1);
    assert_eq!(shell(trigger).text, "npm ci");
    assert_eq!(at(src, shell(trigger).range), "npm ci");
    assert_eq!(
        at(src, trigger.range),
        "RUN --mount=type=cache,target=/c npm ci"
    );
    let copy = ast.instructions[2].onbuild.as_deref().expect("trigger");
    assert_eq!(copy.keyword, Keyword::Copy);
}

#[test]
fn onbuild_errors_and_heredocs() {
    assert_eq!(
        errors("FROM a\nONBUILD ONBUILD RUN x\n"),
        [(
            "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string(),
            "ONBUILD"
        )]
    );
    assert_eq!(
        errors("FROM a\nONBUILD from b\n"),
        [(
            "FROM isn't allowed as an ONBUILD trigger".to_string(),
            "from"
        )]
    );
    let src = "FROM a\nONBUILD RUN <<EOF\necho\nEOF\nRUN b\n";
    let ast = no_errors(src);
    assert_eq!(ast.instructions.len(), 3);
    let trigger = ast.instructions[1].onbuild.as_deref().expect("trigger");
    assert_eq!(trigger.heredocs[0].body, "echo\n");
    assert_eq!(ast.instructions[1].heredocs.len(), 1);
}

// ---- errors ------------------------------------------------------------------------------

#[test]
fn unknown_instruction_with_suggestion() {
    assert_eq!(
        errors("FORM alpine\nRUN x\n"),
        [(
            "unknown instruction: FORM (did you mean FROM?)".to_string(),
            "FORM"
        )]
    );
    let src = "FROM a\n  cpoy a b\nfoobarbaz x\n";
    assert_eq!(
        errors(src),
        [
            (
                "unknown instruction: cpoy (did you mean COPY?)".to_string(),
                "cpoy"
            ),
            ("unknown instruction: foobarbaz".to_string(), "foobarbaz"),
        ]
    );
    assert_eq!(parse(src).instructions[1].keyword, Keyword::Unknown);
}

#[test]
fn missing_arguments() {
    let cases = [
        (
            "FROM",
            "FROM requires either one or three arguments",
            "FROM",
        ),
        (
            "FROM a b",
            "FROM requires either one or three arguments",
            "FROM",
        ),
        (
            "FROM a AS 1x",
            "invalid name for build stage: \"1x\", name can't start with a number or contain symbols",
            "1x",
        ),
        (
            "FROM a\nCOPY a",
            "COPY requires at least two arguments, but only one was provided. Destination could not be determined",
            "COPY",
        ),
        (
            "FROM a\nADD",
            "ADD requires at least two arguments, but only one was provided. Destination could not be determined",
            "ADD",
        ),
        ("FROM a\nUSER", "USER requires exactly one argument", "USER"),
        (
            "FROM a\nWORKDIR   ",
            "WORKDIR requires exactly one argument",
            "WORKDIR",
        ),
        (
            "FROM a\nEXPOSE",
            "EXPOSE requires at least one argument",
            "EXPOSE",
        ),
        ("FROM a\nENV A", "ENV must have two arguments", "ENV"),
        (
            "FROM a\nENV A=1 B",
            "Syntax error - can't find = in \"B\". Must be of the form: name=value",
            "B",
        ),
        (
            "FROM a\nLABEL",
            "LABEL requires at least one argument",
            "LABEL",
        ),
        ("FROM a\nARG =x", "ARG names can not be blank", "=x"),
        (
            "FROM a\nHEALTHCHECK FOO",
            "Unknown type \"FOO\" in HEALTHCHECK (try CMD)",
            "FOO",
        ),
        (
            "FROM a\nHEALTHCHECK NONE x",
            "HEALTHCHECK NONE takes no arguments",
            "HEALTHCHECK",
        ),
        (
            "FROM a\nHEALTHCHECK CMD",
            "Missing command after HEALTHCHECK CMD",
            "CMD",
        ),
        (
            "FROM a\nSHELL /bin/sh -c",
            "SHELL requires the arguments to be in JSON form",
            "SHELL",
        ),
        (
            "FROM a\nSHELL []",
            "SHELL requires at least one argument",
            "SHELL",
        ),
        (
            "FROM a\nVOLUME [\"\"]",
            "VOLUME specified can not be an empty string",
            "\"\"",
        ),
        (
            "FROM a\nONBUILD",
            "ONBUILD requires at least one argument",
            "ONBUILD",
        ),
        (
            "FROM a\nCOPY <<EOF <<X\nx\nEOF\ny\nX",
            "COPY cannot accept a heredoc as a destination",
            "<<X",
        ),
    ];
    for (src, message, range) in cases {
        assert_eq!(errors(src), [(message.to_string(), range)], "{src}");
    }
    // Accepted by Docker: no error.
    for src in [
        "FROM a\nRUN",
        "FROM a\nCMD",
        "FROM a\nCOPY <<EOF /x\nhi\nEOF",
        "FROM a AS b-1.x_y",
        "FROM a as B",
        "ARG X\nFROM a\nARG Y=1 Z",
        "FROM a\nENV A 1 2 3",
        "FROM a\nLABEL \"a b\"=c",
        "FROM a\nHEALTHCHECK NONE",
        "FROM a\nSTOPSIGNAL SIGTERM",
    ] {
        assert_eq!(errors(src), [], "{src}");
    }
}

#[test]
fn instructions_before_the_first_from() {
    assert_eq!(
        errors("# c\nARG V=1\nRUN x\nENV a=b\nFROM a\n"),
        [("no build stage in current context".to_string(), "RUN")]
    );
}

// ---- words and key/values ----------------------------------------------------------------

#[test]
fn words_remove_quotes_and_keep_file_ranges() {
    let src = "FROM a\nRUN echo \"a b\" 'c \\d' e\\ f \"x\\\"y\" ${A:-1 2} \\\n  last\n";
    let ast = no_errors(src);
    let words = shell(&ast.instructions[1]).words();
    let values: Vec<_> = words.iter().map(|w| w.value.as_str()).collect();
    assert_eq!(
        values,
        ["echo", "a b", "c \\d", "e f", "x\"y", "${A:-1 2}", "last"]
    );
    let raws: Vec<_> = words.iter().map(|w| at(src, w.range)).collect();
    assert_eq!(
        raws,
        [
            "echo",
            "\"a b\"",
            "'c \\d'",
            "e\\ f",
            "\"x\\\"y\"",
            "${A:-1 2}",
            "last"
        ]
    );
}

#[test]
fn key_values_of_env_label_arg() {
    let src = "FROM a\nENV a=b c=\"d e\" f=\nENV KEY value with  spaces\nLABEL \"a b\"=c\nARG NAME\nARG N2=default N3\n";
    let ast = no_errors(src);
    let kv = |i: usize| -> Vec<(String, Option<String>, String)> {
        ast.instructions[i]
            .key_values()
            .into_iter()
            .map(|kv| {
                (
                    kv.key.value,
                    kv.value.as_ref().map(|v| v.value.clone()),
                    at(src, kv.value.map_or(kv.key.range, |v| v.range)).to_string(),
                )
            })
            .collect()
    };
    let s = |x: &str| x.to_string();
    assert_eq!(
        kv(1),
        [
            (s("a"), Some(s("b")), s("b")),
            (s("c"), Some(s("d e")), s("\"d e\"")),
            (s("f"), Some(s("")), s(""))
        ]
    );
    assert_eq!(
        kv(2),
        [(
            s("KEY"),
            Some(s("value with  spaces")),
            s("value with  spaces")
        )]
    );
    assert_eq!(kv(3), [(s("a b"), Some(s("c")), s("c"))]);
    assert_eq!(kv(4), [(s("NAME"), None, s("NAME"))]);
    assert_eq!(
        kv(5),
        [
            (s("N2"), Some(s("default")), s("default")),
            (s("N3"), None, s("N3"))
        ]
    );
    let label = &ast.instructions[3].key_values()[0];
    assert_eq!(at(src, label.key.range), "\"a b\"");
    assert_eq!(at(src, label.range), "\"a b\"=c");
    assert!(ast.instructions[0].key_values().is_empty());
}

#[test]
fn tabs_and_non_ascii() {
    let src = "FROM\talpine\nRUN\techo «héllo» \\\n\t&& echo ü\n";
    let ast = no_errors(src);
    let run = &ast.instructions[1];
    let words = shell(run).words();
    assert_eq!(at(src, words[1].range), "«héllo»");
    assert_eq!(at(src, words[4].range), "ü");
}
