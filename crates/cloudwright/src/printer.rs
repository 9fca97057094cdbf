//! The one place that writes to the terminal: standard output, the `--output` file, warnings and errors.
#![expect(
    clippy::print_stderr,
    reason = "the printer is where messages to the user go"
)]

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;

/// Standard output (buffered), or the `--output` file.
pub(crate) fn output(path: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => {
            Box::new(BufWriter::new(File::create(p).map_err(|e| {
                anyhow::anyhow!("cannot write {}: {e}", p.display())
            })?))
        }
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

pub(crate) fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

pub(crate) fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}

/// A status line for people (not part of the output format).
pub(crate) fn note(message: &str) {
    eprintln!("{message}");
}

pub(crate) fn warning(message: &str) {
    eprintln!("warning: {message}");
}

pub(crate) fn error(err: &anyhow::Error) {
    eprintln!("cloudwright failed: {err}");
    for cause in err.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
}
