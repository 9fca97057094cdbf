//! GitHub Actions workflow commands (`::error file=…,line=…::message`), one per finding.

use std::io;

use cw_diagnostics::{Diagnostic, ScanStats};

use crate::{FormatWriter, Tally};

/// One command per finding, nothing before or after.
pub(crate) struct Github;

impl FormatWriter for Github {
    fn finding(&mut self, d: &Diagnostic, out: &mut dyn io::Write) -> io::Result<()> {
        let title = format!("{} {}", d.code(), d.name());
        write!(
            out,
            "::{} file={},line={},col={},endLine={}",
            d.severity.github_command(),
            escape_property(&d.path),
            d.start.line,
            d.start.column,
            d.end.line,
        )?;
        // GitHub only accepts an end column on single-line annotations.
        if d.start.line == d.end.line {
            write!(out, ",endColumn={}", d.end.column)?;
        }
        writeln!(
            out,
            ",title={}::{}",
            escape_property(&title),
            escape_data(&d.message)
        )
    }

    fn finish(&mut self, _: &Tally, _: &ScanStats, _: &mut dyn io::Write) -> io::Result<()> {
        Ok(())
    }
}

/// The command's message: `%`, CR and LF are encoded.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as data, plus `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100%: a,b\r\n"), "100%25: a,b%0D%0A");
        assert_eq!(escape_property("100%: a,b\n"), "100%25%3A a%2Cb%0A");
    }
}
