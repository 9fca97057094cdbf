//! `EXPOSE` port specifications (`80`, `8000-8010/tcp`, `53/udp`) as Docker parses them.

use cw_diagnostics::TextRange;
use cw_model::dockerfile::{Dockerfile, Stage};
use cw_syntax::dockerfile::{Instruction, Keyword};

use super::stages::keyword_instructions;

/// One word of an `EXPOSE`, variables expanded.
#[derive(Debug)]
pub(crate) struct ExposeWord {
    /// The word after expansion and quote removal.
    pub(crate) value: String,
    /// The word as written in the file.
    pub(crate) range: TextRange,
    pub(crate) spec: PortSpec,
}

/// What Docker makes of a port word.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PortSpec {
    /// Ports `start..=end` with protocol `tcp`, `udp` or `sctp`.
    Ports { start: u16, end: u16, proto: String },
    /// Docker rejects it; the reason, for a message.
    Invalid(String),
    /// A form this linter does not judge (`ip:host:container` mappings).
    Other,
}

/// The words of every `EXPOSE` of the file's stages, in order, each with its stage; words using a
/// variable without a known value are left out.
pub(crate) fn exposed_words<'a>(df: &'a Dockerfile, source: &str) -> Vec<(&'a Stage, ExposeWord)> {
    let mut out = Vec::new();
    for (stage, index, ins) in keyword_instructions(df, &[Keyword::Expose]) {
        out.extend(
            expose_words(df, index, ins, source)
                .into_iter()
                .map(|word| (stage, word)),
        );
    }
    out
}

/// The words of an EXPOSE at instruction `index`; words using a variable without a known value are
/// left out.
fn expose_words(df: &Dockerfile, index: usize, ins: &Instruction, source: &str) -> Vec<ExposeWord> {
    let Some(text) = ins.shell_text() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut vars = None;
    for word in text.words() {
        let value = if word.value.contains('$') {
            let vars = vars.get_or_insert_with(|| df.vars_at(index));
            match vars.expand(word.range.slice(source)) {
                Some(v) => v,
                None => continue,
            }
        } else {
            word.value
        };
        let spec = parse_port_spec(&value);
        out.push(ExposeWord {
            value,
            range: word.range,
            spec,
        });
    }
    out
}

/// Parses `port[-port][/proto]` like Docker's `nat.ParsePortSpec`.
fn parse_port_spec(word: &str) -> PortSpec {
    if word.contains(':') {
        return PortSpec::Other;
    }
    // Like Docker's `SplitProtoPort`: the protocol is the part after the first `/` (anything after
    // a second `/` is ignored), `tcp` when empty.
    let mut parts = word.split('/');
    let ports = parts.next().unwrap_or(word);
    let proto = match parts.next() {
        None | Some("") => "tcp".to_string(),
        Some(p) => p.to_ascii_lowercase(),
    };
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return PortSpec::Invalid(format!(
            "`{proto}` is not a protocol Docker knows (tcp, udp, sctp)"
        ));
    }
    let (first, last) = ports.split_once('-').unwrap_or((ports, ports));
    let (start, end) = match (port_number(first), port_number(last)) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(reason), _) | (_, Err(reason)) => return PortSpec::Invalid(reason),
    };
    if end < start {
        return PortSpec::Invalid(format!("the range `{ports}` ends before it starts"));
    }
    PortSpec::Ports { start, end, proto }
}

fn port_number(s: &str) -> Result<u16, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{s}` is not a port number"));
    }
    s.parse::<u16>()
        .map_err(|_| format!("port `{s}` is outside 0-65535"))
}

#[cfg(test)]
mod tests {
    use super::{PortSpec, parse_port_spec};

    fn ports(start: u16, end: u16, proto: &str) -> PortSpec {
        PortSpec::Ports {
            start,
            end,
            proto: proto.to_string(),
        }
    }

    #[test]
    fn port_specs() {
        assert_eq!(parse_port_spec("80"), ports(80, 80, "tcp"));
        assert_eq!(parse_port_spec("53/UDP"), ports(53, 53, "udp"));
        assert_eq!(parse_port_spec("8000-8010/"), ports(8000, 8010, "tcp"));
        assert_eq!(parse_port_spec("80/tcp/x"), ports(80, 80, "tcp"));
        assert_eq!(parse_port_spec("0"), ports(0, 0, "tcp"));
        assert_eq!(parse_port_spec("65535"), ports(65535, 65535, "tcp"));
        assert_eq!(parse_port_spec("127.0.0.1:80:80"), PortSpec::Other);
        for bad in ["65536", "http", "90-80", "80/http", "-1", "", "80-", "8O80"] {
            assert!(
                matches!(parse_port_spec(bad), PortSpec::Invalid(_)),
                "{bad}"
            );
        }
    }
}
