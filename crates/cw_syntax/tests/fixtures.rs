//! Real-world shaped Dockerfiles (heredocs, `escape=\``, long chains, CRLF, BOM, Windows) parse
//! without a single error, and every range they produce slices the source.

use std::path::PathBuf;

use cw_diagnostics::TextRange;
use cw_syntax::dockerfile::{self, Arguments, Instruction, Keyword};

#[expect(clippy::disallowed_methods, reason = "tests read their fixture files")]
fn fixtures() -> Vec<(PathBuf, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/data")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("utf-8 fixture");
            (p, text)
        })
        .collect();
    files.sort();
    files
}

fn check_range(src: &str, r: TextRange, what: &str) {
    assert!(
        r.start <= r.end && r.end as usize <= src.len(),
        "{what}: {r:?}"
    );
    assert!(
        src.is_char_boundary(r.start as usize) && src.is_char_boundary(r.end as usize),
        "{what}: {r:?}"
    );
}

fn check_instruction(src: &str, ins: &Instruction) {
    check_range(src, ins.range, "instruction");
    check_range(src, ins.keyword_range, "keyword");
    assert!(ins.range.contains_range(ins.keyword_range));
    for f in &ins.flags {
        check_range(src, f.range, "flag");
    }
    match &ins.args {
        Arguments::Shell(text) => {
            check_range(src, text.range, "args");
            for w in text.words() {
                check_range(src, w.range, "word");
            }
        }
        Arguments::Exec(exec) => {
            for item in &exec.items {
                check_range(src, item.range, "item");
            }
        }
    }
    for h in &ins.heredocs {
        check_range(src, h.body_range, "heredoc body");
        assert_eq!(&src[h.body_range.as_usize()], h.body);
    }
    if let Some(trigger) = &ins.onbuild {
        check_instruction(src, trigger);
    }
}

#[test]
fn fixtures_parse_without_errors() {
    let files = fixtures();
    assert!(files.len() >= 15, "only {} fixtures", files.len());
    for (path, src) in &files {
        let ast = dockerfile::parse(src);
        assert!(
            ast.errors.is_empty(),
            "{}: {:?}",
            path.display(),
            ast.errors
        );
        assert!(
            ast.instructions.iter().any(|i| i.keyword == Keyword::From),
            "{}",
            path.display()
        );
        assert!(
            ast.instructions
                .iter()
                .all(|i| i.keyword != Keyword::Unknown)
        );
        for ins in &ast.instructions {
            check_instruction(src, ins);
        }
        for c in &ast.comments {
            assert_eq!(&src[c.range.as_usize()], c.value);
        }
    }
}

#[test]
fn fixture_features_are_seen() {
    let files = fixtures();
    let get = |name: &str| {
        let (_, src) = files
            .iter()
            .find(|(p, _)| p.file_name().is_some_and(|f| f == name))
            .expect("fixture");
        dockerfile::parse(src)
    };
    assert_eq!(get("windows-servercore.Dockerfile").escape, '`');
    let heredocs = get("heredocs.Dockerfile");
    let count: usize = heredocs.instructions.iter().map(|i| i.heredocs.len()).sum();
    assert_eq!(count, 7);
    let crlf = get("crlf.Dockerfile");
    assert_eq!(crlf.instructions.len(), 4);
    assert_eq!(crlf.instructions[2].heredocs[0].body, "echo heredoc\r\n");
    let bom = get("bom-tabs.Dockerfile");
    assert_eq!(bom.directives.len(), 1);
    assert_eq!(bom.instructions.len(), 3);
}
