//! JUnit XML: a test suite per file, a failing test case per finding.

use std::io::{self, Write as _};

use cw_diagnostics::{Diagnostic, ScanStats};

use crate::spool::Spool;
use crate::{FormatWriter, Tally, fix_hint};

/// The root element carries the total, so the suites wait in a spool until the end. A suite is a run
/// of findings with the same path; it is complete when the path changes.
#[derive(Default)]
pub(crate) struct Junit {
    suite: Option<Suite>,
    /// The finished `<testsuite>` elements.
    suites: Spool,
}

struct Suite {
    path: String,
    /// `path`, escaped for attributes.
    name: String,
    tests: usize,
    /// The `<testcase>` elements.
    cases: Vec<u8>,
}

impl Junit {
    fn close_suite(&mut self) -> io::Result<()> {
        let Some(Suite {
            name, tests, cases, ..
        }) = self.suite.take()
        else {
            return Ok(());
        };
        writeln!(
            self.suites,
            r#"  <testsuite name="{name}" tests="{tests}" failures="{tests}" errors="0">"#
        )?;
        self.suites.write_all(&cases)?;
        writeln!(self.suites, "  </testsuite>")
    }
}

impl FormatWriter for Junit {
    fn finding(&mut self, d: &Diagnostic, _: &mut dyn io::Write) -> io::Result<()> {
        if self.suite.as_ref().is_some_and(|s| s.path != d.path) {
            self.close_suite()?;
        }
        let suite = self.suite.get_or_insert_with(|| Suite {
            path: d.path.clone(),
            name: escape(&d.path, true),
            tests: 0,
            cases: Vec::new(),
        });
        suite.tests += 1;
        testcase(d, &suite.name, &mut suite.cases)
    }

    fn finish(&mut self, tally: &Tally, _: &ScanStats, out: &mut dyn io::Write) -> io::Result<()> {
        self.close_suite()?;
        let total = tally.total();
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        if total == 0 {
            return writeln!(
                out,
                r#"<testsuites name="cloudwright" tests="1" failures="0" errors="0">
  <testsuite name="cloudwright" tests="1" failures="0" errors="0">
    <testcase classname="cloudwright" name="cloudwright"/>
  </testsuite>
</testsuites>"#
            );
        }
        writeln!(
            out,
            r#"<testsuites name="cloudwright" tests="{total}" failures="{total}" errors="0">"#
        )?;
        self.suites.copy_to(out)?;
        writeln!(out, "</testsuites>")
    }
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
