//! Baselines: the findings a team has accepted for now. A baseline records fingerprints (code + path +
//! normalized construct), which survive line shifts; scanning with it reports only new findings.

use std::collections::HashMap;

use cw_diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};

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

/// A parsed baseline: how many findings of each fingerprint are accepted.
#[derive(Debug, Default)]
pub struct Baseline {
    accepted: HashMap<String, usize>,
}

impl Baseline {
    /// Reads a baseline written by [`Baseline::write`].
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.version != 1 {
            return Err(format!("unsupported baseline version {}", file.version));
        }
        let mut accepted = HashMap::new();
        for e in file.findings {
            *accepted.entry(e.fingerprint).or_insert(0) += 1;
        }
        Ok(Baseline { accepted })
    }

    /// The baseline file for `diagnostics`, as pretty JSON.
    pub fn write(diagnostics: &[Diagnostic]) -> String {
        let file = File {
            version: 1,
            findings: diagnostics
                .iter()
                .map(|d| Entry {
                    fingerprint: d.fingerprint.clone(),
                    code: d.rule.code.to_string(),
                    path: d.path.clone(),
                    line: d.start.line,
                    message: d.message.clone(),
                })
                .collect(),
        };
        let mut s = serde_json::to_string_pretty(&file).expect("invariant: plain data serializes");
        s.push('\n');
        s
    }

    /// Drops the accepted findings; returns the new ones and how many were dropped.
    pub fn filter(&self, diagnostics: Vec<Diagnostic>) -> (Vec<Diagnostic>, usize) {
        let mut left = self.accepted.clone();
        let mut dropped = 0;
        let kept = diagnostics
            .into_iter()
            .filter(|d| match left.get_mut(&d.fingerprint) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    dropped += 1;
                    false
                }
                _ => true,
            })
            .collect();
        (kept, dropped)
    }
}
