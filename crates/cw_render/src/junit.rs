//! JUnit XML: a test suite per file, a failing test case per finding.

use std::io;

use cw_diagnostics::{Diagnostic, ScanReport};

use crate::fix_hint;

pub(crate) fn render(report: &ScanReport, out: &mut dyn io::Write) -> io::Result<()> {
    let total = report.diagnostics.len();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    if total == 0 {
        writeln!(
            out,
            r#"<testsuites name="cloudwright" tests="1" failures="0" errors="0">
  <testsuite name="cloudwright" tests="1" failures="0" errors="0">
    <testcase classname="cloudwright" name="cloudwright"/>
  </testsuite>
</testsuites>"#
        )?;
        return Ok(());
    }
    writeln!(
        out,
        r#"<testsuites name="cloudwright" tests="{total}" failures="{total}" errors="0">"#
    )?;
    for suite in report.diagnostics.chunk_by(|a, b| a.path == b.path) {
        let path = escape(&suite[0].path, true);
        let n = suite.len();
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{n}" failures="{n}" errors="0">"#
        )?;
        for d in suite {
            testcase(d, &path, out)?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

fn testcase(d: &Diagnostic, path: &str, out: &mut dyn io::Write) -> io::Result<()> {
    let name = format!(
        "{} {} {}:{}",
        d.code(),
        d.name(),
        d.start.line,
        d.start.column
    );
    writeln!(
        out,
        r#"    <testcase classname="{path}" name="{}">"#,
        escape(&name, true)
    )?;
    let mut body = format!(
        "{}: {}\n  --> {}:{}:{}",
        d.severity, d.message, d.path, d.start.line, d.start.column
    );
    for line in d.help.iter().cloned().chain(d.fix.as_ref().map(fix_hint)) {
        body.push_str("\n  help: ");
        body.push_str(&line);
    }
    body.push_str("\n  docs: ");
    body.push_str(&d.rule.help_uri());
    writeln!(
        out,
        r#"      <failure type="{}" message="{}">{}</failure>"#,
        d.code(),
        escape(&d.message, true),
        escape(&body, false)
    )?;
    writeln!(out, "    </testcase>")
}

/// Escapes XML markup; in attributes also line breaks and tabs, so they survive parsing.
/// Characters XML 1.0 cannot hold become U+FFFD.
fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escaping() {
        assert_eq!(
            escape("a<b & \"c\"\n\u{1}", true),
            "a&lt;b &amp; &quot;c&quot;&#10;\u{fffd}"
        );
        assert_eq!(escape("a<b \"c\"\n\r", false), "a&lt;b \"c\"\n&#13;");
    }
}
