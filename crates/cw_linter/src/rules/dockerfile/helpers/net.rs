//! Downloads inside RUN: `curl` and `wget` command lines, where their output goes.

use cw_syntax::shell::{SimpleCommand, Word};

use super::cli::{CmdLine, basename, parse_args, unwrapped};

/// A download tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Downloader {
    Curl,
    Wget,
}

/// A `curl` or `wget` call (seen through `sudo`/`env`), its options parsed.
#[derive(Debug)]
pub(crate) struct Download<'a> {
    pub(crate) tool: Downloader,
    /// The word naming the tool.
    pub(crate) word: &'a Word,
    pub(crate) line: CmdLine<'a>,
}

/// curl's short options that take a value (`-o file`, `-H header`).
const CURL_SHORT: &[u8] = b"AbcCdDeEFHhKmoPQrtTuUwxXyYz";
const CURL_LONG: &[&str] = &[
    "output",
    "output-dir",
    "header",
    "user",
    "data",
    "data-raw",
    "data-binary",
    "data-urlencode",
    "request",
    "url",
    "user-agent",
    "cacert",
    "capath",
    "cert",
    "key",
    "proxy",
    "max-time",
    "connect-timeout",
    "retry",
    "retry-delay",
    "retry-max-time",
    "write-out",
    "form",
    "referer",
    "cookie",
    "cookie-jar",
    "range",
    "upload-file",
    "config",
    "proto",
    "proto-redir",
    "resolve",
    "connect-to",
    "limit-rate",
    "dump-header",
    "continue-at",
    "interface",
    "netrc-file",
    "oauth2-bearer",
    "tls-max",
];

/// wget's short options that take a value (`-O file`, `-e command`).
const WGET_SHORT: &[u8] = b"OoaeiPtTwQUlARDXIB";
const WGET_LONG: &[&str] = &[
    "output-document",
    "output-file",
    "append-output",
    "execute",
    "input-file",
    "directory-prefix",
    "tries",
    "timeout",
    "wait",
    "quota",
    "user-agent",
    "header",
    "user",
    "password",
    "post-data",
    "post-file",
    "ca-certificate",
    "ca-directory",
    "certificate",
    "private-key",
    "level",
    "accept",
    "reject",
    "domains",
];

/// The `curl` or `wget` call `cmd` runs, if any.
pub(crate) fn download(cmd: &SimpleCommand) -> Option<Download<'_>> {
    let (name, args) = unwrapped(cmd)?;
    if !name.literal {
        return None;
    }
    let (tool, line) = match basename(name) {
        "curl" => (Downloader::Curl, parse_args(args, CURL_SHORT, CURL_LONG)),
        "wget" => (Downloader::Wget, parse_args(args, WGET_SHORT, WGET_LONG)),
        _ => return None,
    };
    Some(Download {
        tool,
        word: name,
        line,
    })
}

impl Download<'_> {
    /// Whether the downloaded content is written to standard output (so that a pipe receives it):
    /// curl unless `-o`/`-O` is given, wget only with `-O -` (or `-O /dev/stdout`).
    pub(crate) fn to_stdout(&self) -> bool {
        match self.tool {
            Downloader::Curl => {
                let outputs = self
                    .line
                    .values(Some('o'), &["output"])
                    .into_iter()
                    .all(is_stdout);
                outputs
                    && !self
                        .line
                        .has(Some('O'), &["remote-name", "remote-name-all"])
            }
            Downloader::Wget => {
                let outputs = self.line.values(Some('O'), &["output-document"]);
                !outputs.is_empty() && outputs.into_iter().all(is_stdout)
            }
        }
    }

    /// The tool's name as written in messages.
    pub(crate) fn name(&self) -> &'static str {
        match self.tool {
            Downloader::Curl => "curl",
            Downloader::Wget => "wget",
        }
    }
}

fn is_stdout(path: &str) -> bool {
    matches!(path, "-" | "/dev/stdout" | "/proc/self/fd/1" | "/dev/fd/1")
}
