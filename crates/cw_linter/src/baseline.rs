//! Baselines: the findings a team has accepted for now. A baseline records fingerprints (code + path +
//! normalized construct), which survive line shifts; scanning with it reports only new findings.

use std::collections::HashMap;
use std::io;

use cw_diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};

/// The file format's version.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    code: String,
    path: String,
    /// For people reading the file; matching uses only the fingerprint.
    line: u32,
    message: String,
}

impl Entry {
    fn new(d: &Diagnostic) -> Self {
        Self {
            fingerprint: d.fingerprint.clone(),
            code: d.rule.code.to_owned(),
            path: d.path.clone(),
            line: d.start.line,
            message: d.message.clone(),
        }
    }
}

/// A parsed baseline: how many findings of each fingerprint are still accepted.
#[derive(Debug, Default)]
pub struct Baseline {
    accepted: HashMap<String, usize>,
}

impl Baseline {
    /// Reads a baseline written by [`BaselineWriter`].
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.version != VERSION {
            return Err(format!("unsupported baseline version {}", file.version));
        }
        let mut accepted = HashMap::new();
        for e in file.findings {
            *accepted.entry(e.fingerprint).or_insert(0) += 1;
        }
        Ok(Baseline { accepted })
    }

    /// Whether the baseline accepts `d`, using up one accepted finding of its fingerprint: a
    /// baseline that recorded a fingerprint twice accepts two findings with it.
    pub fn accepts(&mut self, d: &Diagnostic) -> bool {
        match self.accepted.get_mut(&d.fingerprint) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }
}

/// Writes a baseline file (pretty JSON) a finding at a time.
pub struct BaselineWriter<W: io::Write> {
    out: W,
    written: usize,
}

impl<W: io::Write> BaselineWriter<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        write!(out, "{{\n  \"version\": {VERSION},\n  \"findings\": [")?;
        Ok(Self { out, written: 0 })
    }

    pub fn add(&mut self, d: &Diagnostic) -> io::Result<()> {
        let json = serde_json::to_string_pretty(&Entry::new(d))?;
        let separator = if self.written == 0 { "" } else { "," };
        // Nested two levels deep; JSON strings escape their line breaks.
        write!(
            self.out,
            "{separator}\n    {}",
            json.replace('\n', "\n    ")
        )?;
        self.written += 1;
        Ok(())
    }

    /// Ends the file; returns the writer and the number of findings written.
    pub fn finish(mut self) -> io::Result<(W, usize)> {
        let close = if self.written == 0 { "]" } else { "\n  ]" };
        write!(self.out, "{close}\n}}\n")?;
        Ok((self.out, self.written))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RULES;
    use cw_diagnostics::{LineCol, TextRange};

    fn diag(fingerprint: &str, line: u32) -> Diagnostic {
        let at = LineCol { line, column: 1 };
        Diagnostic {
            rule: RULES[0].meta,
            severity: RULES[0].meta.severity,
            message: "a \"quoted\"\nmessage".to_owned(),
            path: "app/Dockerfile".to_owned(),
            range: TextRange::new(0, 1),
            start: at,
            end: at,
            labels: Vec::new(),
            help: None,
            fix: None,
            resource: None,
            fingerprint: fingerprint.to_owned(),
            snippet: None,
        }
    }

    fn written(diagnostics: &[Diagnostic]) -> String {
        let mut writer = BaselineWriter::new(Vec::new()).expect("write");
        for d in diagnostics {
            writer.add(d).expect("write");
        }
        let (out, n) = writer.finish().expect("write");
        assert_eq!(n, diagnostics.len());
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn the_streamed_file_is_the_pretty_json_of_the_whole() {
        for n in 0..3 {
            let diagnostics: Vec<Diagnostic> = (0..n).map(|i| diag("f", i + 1)).collect();
            let whole = File {
                version: VERSION,
                findings: diagnostics.iter().map(Entry::new).collect(),
            };
            let expected = serde_json::to_string_pretty(&whole).expect("serializes") + "\n";
            assert_eq!(written(&diagnostics), expected);
        }
    }

    #[test]
    fn each_recorded_finding_is_accepted_once() {
        let text = written(&[diag("a", 1), diag("a", 2), diag("b", 3)]);
        let mut baseline = Baseline::parse(&text).expect("parses");
        let kept: Vec<u32> = [diag("a", 7), diag("c", 8), diag("a", 9), diag("a", 10)]
            .iter()
            .filter(|d| !baseline.accepts(d))
            .map(|d| d.start.line)
            .collect();
        assert_eq!(kept, [8, 10]);
        assert!(Baseline::parse("{\"version\": 2, \"findings\": []}").is_err());
    }
}
