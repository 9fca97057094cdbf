//! Rule documentation, generated from the registry: `cloudwright rule CODE` and `docs/rules/`.

use std::fmt::Write as _;

use cw_diagnostics::{PeerTool, RuleMeta};

use crate::registry::RULES;

/// The Markdown page of one rule.
pub fn rule_page(meta: &RuleMeta) -> String {
    let mut s = format!("# {} {}\n\n", meta.code, meta.name);
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(s, "| Code | `{}` |", meta.code);
    let _ = writeln!(s, "| Name | `{}` |", meta.name);
    let _ = writeln!(s, "| Default severity | {} |", meta.severity);
    let _ = writeln!(s, "| Category | {} |", meta.category);
    let _ = writeln!(s, "| Fix | {} |", fix_text(meta));
    let _ = writeln!(
        s,
        "| Status | {} since {} |",
        meta.status.as_str(),
        meta.status.since()
    );
    if !meta.peers.is_empty() {
        let _ = writeln!(s, "| Equivalent rules | {} |", peers_text(meta));
    }
    s.push('\n');
    s.push_str(&unindent_docs(meta.docs));
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// `docs/rules/index.md`: every rule in a table.
pub fn index_page() -> String {
    let mut s = String::from(
        "# Rules\n\nGenerated from the rule registry (`cloudwright rules`). Every rule runs by default; \
         select or ignore them with `--select`, `--ignore` or `cloudwright.toml`.\n\n\
         | Code | Name | Severity | Category | Fix | Equivalent rules |\n|---|---|---|---|---|---|\n",
    );
    for r in RULES {
        let m = r.meta;
        let _ = writeln!(
            s,
            "| [{code}]({code}-{name}.md) | {name} | {sev} | {cat} | {fix} | {peers} |",
            code = m.code,
            name = m.name,
            sev = m.severity,
            cat = m.category,
            fix = fix_text(m),
            peers = peers_text(m),
        );
    }
    s
}

/// Every generated file under `docs/rules/`: (file name, content).
pub fn generate() -> Vec<(String, String)> {
    let mut files = vec![("index.md".to_string(), index_page())];
    for r in RULES {
        files.push((
            format!("{}-{}.md", r.meta.code, r.meta.name),
            rule_page(r.meta),
        ));
    }
    files
}

fn fix_text(meta: &RuleMeta) -> &'static str {
    match meta.fix {
        cw_diagnostics::FixAvailability::None => "—",
        cw_diagnostics::FixAvailability::Sometimes => "sometimes",
        cw_diagnostics::FixAvailability::Always => "always",
    }
}

fn peers_text(meta: &RuleMeta) -> String {
    if meta.peers.is_empty() {
        return "—".to_string();
    }
    meta.peers
        .iter()
        .map(|p| match p.tool {
            PeerTool::Kics => format!("KICS \"{}\"", p.id),
            _ => format!("{} `{}`", p.tool.as_str(), p.id),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Doc comments arrive with one leading space per line (`/// text` → ` text`).
fn unindent_docs(docs: &str) -> String {
    docs.lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}
