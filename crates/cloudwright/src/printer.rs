//! The one place that writes to the terminal: standard output, the `--output` file, warnings and errors.
#![expect(
    clippy::print_stderr,
    reason = "the printer is where messages to the user go"
)]

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;

use indicatif::ProgressBar;

/// Standard output (buffered), or the `--output` file.
pub(crate) fn output(path: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    output_below(path, None)
}

/// As [`output`]; when standard output is the terminal that shows `bar`, the bar is hidden while the
/// output is written (it streams while the scan runs).
pub(crate) fn output_below<'a>(
    path: Option<&Path>,
    bar: Option<&'a ProgressBar>,
) -> anyhow::Result<Box<dyn Write + 'a>> {
    Ok(match path {
        Some(p) => {
            Box::new(BufWriter::new(File::create(p).map_err(|e| {
                anyhow::anyhow!("cannot write {}: {e}", p.display())
            })?))
        }
        None => match bar.filter(|_| stdout_is_terminal()) {
            Some(bar) => Box::new(BufWriter::new(AboveBar {
                out: io::stdout().lock(),
                bar,
            })),
            None => Box::new(BufWriter::new(io::stdout().lock())),
        },
    })
}

/// Standard output that clears the progress bar for each (buffered) write and redraws it after.
struct AboveBar<'a> {
    out: io::StdoutLock<'static>,
    bar: &'a ProgressBar,
}

impl Write for AboveBar<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bar.suspend(|| self.out.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.bar.suspend(|| self.out.flush())
    }
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
