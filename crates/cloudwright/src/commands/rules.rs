//! `cloudwright rules` and `cloudwright rule CODE|NAME`.

use std::io::Write;

use cw_linter::{RULES, Selector, rule_by_code_or_name};

use crate::Outcome;
use crate::args::{ListFormat, RuleArgs, RulesArgs};
use crate::printer;

#[derive(serde::Serialize)]
struct RuleRow {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    category: &'static str,
    fix: &'static str,
    status: &'static str,
    summary: String,
    peers: Vec<String>,
}

pub(crate) fn list(args: &RulesArgs) -> anyhow::Result<Outcome> {
    let mut out = printer::output(None)?;
    match args.format {
        ListFormat::Json => {
            let rows: Vec<RuleRow> = RULES
                .iter()
                .map(|r| {
                    let m = r.meta;
                    RuleRow {
                        code: m.code,
                        name: m.name,
                        severity: m.severity.as_str(),
                        category: m.category.as_str(),
                        fix: m.fix.as_str(),
                        status: m.status.as_str(),
                        summary: m.summary(),
                        peers: m.peers.iter().map(ToString::to_string).collect(),
                    }
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        ListFormat::Text => {
            let width = RULES.iter().map(|r| r.meta.name.len()).max().unwrap_or(0);
            writeln!(
                out,
                "{:<7} {:<width$} {:<8} {:<16} {:<9} PEERS",
                "CODE", "NAME", "SEVERITY", "CATEGORY", "FIX"
            )?;
            for r in RULES {
                let m = r.meta;
                let peers: Vec<String> = m.peers.iter().map(ToString::to_string).collect();
                writeln!(
                    out,
                    "{:<7} {:<width$} {:<8} {:<16} {:<9} {}",
                    m.code,
                    m.name,
                    m.severity.as_str(),
                    m.category.as_str(),
                    m.fix.as_str(),
                    peers.join(", ")
                )?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

pub(crate) fn show(args: &RuleArgs) -> anyhow::Result<Outcome> {
    let Some((_, entry)) = rule_by_code_or_name(&args.rule) else {
        let hint = match args.rule.parse::<Selector>() {
            Err(e) => e.to_string(),
            Ok(_) => format!(
                "`{}` is a prefix, not a rule; `cloudwright rules` lists them",
                args.rule
            ),
        };
        anyhow::bail!("{hint}");
    };
    let mut out = printer::output(None)?;
    out.write_all(cw_linter::docs::rule_page(entry.meta).as_bytes())?;
    out.flush()?;
    Ok(Outcome::Clean)
}
