//! Inline suppressions: `# cloudwright: ignore[CODE,name] reason`, `# cloudwright: ignore-file[...]`,
//! and the peers' syntax mapped through the rules' peer IDs: `# hadolint ignore=DL3008`,
//! `# hadolint global ignore=...`, `# checkov:skip=CKV_X_1:reason`, `#tfsec:ignore:ID`, `#trivy:ignore:ID`,
//! `# zizmor: ignore[audit,audit] reason`.

use cw_diagnostics::{PeerTool, TextRange};

use crate::registry::{RULES, rule_by_code_or_name};

/// One code named in a directive.
#[derive(Debug)]
pub(crate) struct DirectiveCode {
    /// The registry indices it stands for (several when a peer ID maps to several rules). Empty when unknown.
    pub rules: Vec<usize>,
    pub range: TextRange,
    pub text: String,
    pub used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    File,
    /// Findings that start inside this range.
    Range(TextRange),
}

#[derive(Debug)]
pub(crate) struct Directive {
    pub scope: Scope,
    pub codes: Vec<DirectiveCode>,
    /// Our own syntax (unknown and unused codes are reported); peers' directives stay quiet.
    pub own: bool,
}

const MARKERS: [&str; 6] = [
    "cloudwright:",
    "hadolint",
    "checkov:",
    "tfsec:",
    "trivy:",
    "zizmor:",
];

/// Whether the text may hold a suppression comment (a cheap test before computing constructs).
pub(crate) fn has_markers(text: &str) -> bool {
    MARKERS.iter().any(|m| text.contains(m))
}

/// Finds the directives of a file. `constructs` are the ranges of the file's top-level constructs
/// (Dockerfile instructions, YAML entries...), sorted: a directive on its own line covers the next one.
/// `today` (`YYYY-MM-DD`) expires tfsec/Trivy comments with an earlier `:exp:` date.
pub(crate) fn parse(text: &str, constructs: &[TextRange], today: &str) -> Vec<Directive> {
    if !has_markers(text) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(hash) = comment_start(line) else {
            continue;
        };
        let comment_at = start + hash;
        let body = &line[hash + 1..];
        let body_start = comment_at + 1;
        let own_line = line[..hash].trim().is_empty();
        let Some((codes, own, file_scope)) = parse_directive(body, body_start, today) else {
            continue;
        };
        let line_end = start + line.trim_end_matches(['\n', '\r']).len();
        // Checkov's skip comment sits anywhere inside the resource it skips.
        let enclosing = body
            .trim_start()
            .starts_with("checkov:")
            .then(|| {
                constructs
                    .iter()
                    .filter(|c| (c.start as usize) < comment_at && comment_at < c.end as usize)
                    .min_by_key(|c| c.start)
            })
            .flatten();
        let scope = if file_scope {
            Scope::File
        } else if let Some(c) = enclosing {
            Scope::Range(*c)
        } else if own_line {
            next_construct(text, line_end, constructs)
        } else {
            let line_range = TextRange::from_usize(start, line_end);
            let covering = constructs
                .iter()
                .find(|c| c.start as usize >= start && (c.start as usize) < line_end);
            Scope::Range(covering.map_or(line_range, |c| c.cover(line_range)))
        };
        out.push(Directive { scope, codes, own });
    }
    out
}

/// Byte index of a `#` that starts a comment: at the line start or after white space.
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(i) = line[from..].find('#') {
        let at = from + i;
        if at == 0 || bytes[at - 1].is_ascii_whitespace() {
            let rest = &line[at + 1..];
            if MARKERS.iter().any(|m| rest.trim_start().starts_with(m)) {
                return Some(at);
            }
        }
        from = at + 1;
    }
    None
}

/// The construct after the directive's line: the first one starting after `line_end`, or the next
/// non-blank line when no construct starts there.
fn next_construct(text: &str, line_end: usize, constructs: &[TextRange]) -> Scope {
    let next_line_start = text[line_end..]
        .find('\n')
        .map_or(text.len(), |i| line_end + i + 1);
    let mut pos = next_line_start;
    // Skip blank and comment-only lines between the directive and the construct.
    for line in text[next_line_start..].split_inclusive('\n') {
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') {
            break;
        }
        pos += line.len();
    }
    let i = constructs.partition_point(|c| (c.start as usize) < pos);
    if let Some(c) = constructs.get(i) {
        let line_of_pos_end = text[pos..].find('\n').map_or(text.len(), |e| pos + e);
        if (c.start as usize) <= line_of_pos_end {
            return Scope::Range(*c);
        }
    }
    let end = text[pos..].find('\n').map_or(text.len(), |e| pos + e);
    Scope::Range(TextRange::from_usize(pos, end))
}

/// Parses the text after `#`. Returns the codes, whether it is our syntax, and whether it is file-scoped.
fn parse_directive(
    body: &str,
    body_start: usize,
    today: &str,
) -> Option<(Vec<DirectiveCode>, bool, bool)> {
    let trimmed = body.trim_start();
    let lead = body.len() - trimmed.len();
    let base = body_start + lead;
    if let Some(rest) = trimmed.strip_prefix("cloudwright:") {
        let r = rest.trim_start();
        let at = base + "cloudwright:".len() + (rest.len() - r.len());
        let (file, after) = if let Some(a) = r.strip_prefix("ignore-file[") {
            (true, (a, at + "ignore-file[".len()))
        } else if let Some(a) = r.strip_prefix("ignore[") {
            (false, (a, at + "ignore[".len()))
        } else {
            return None;
        };
        let (list, list_at) = after;
        let close = list.find(']')?;
        let codes = split_codes(&list[..close], list_at, ',')
            .map(|(text, range)| DirectiveCode {
                rules: rule_by_code_or_name(text)
                    .map(|(i, _)| vec![i])
                    .unwrap_or_default(),
                range,
                text: text.to_string(),
                used: false,
            })
            .collect();
        return Some((codes, true, file));
    }
    if let Some(rest) = trimmed.strip_prefix("hadolint") {
        let r = rest.trim_start();
        let (global, r) = match r.strip_prefix("global") {
            Some(g) => (true, g.trim_start()),
            None => (false, r),
        };
        let list = r.strip_prefix("ignore=")?;
        let list_at = base + (trimmed.len() - list.len());
        let list = list.split_whitespace().next().unwrap_or("");
        let codes = peer_codes(PeerTool::Hadolint, list, list_at, ',');
        return Some((codes, false, global));
    }
    if let Some(rest) = trimmed.strip_prefix("checkov:skip=") {
        let list_at = base + "checkov:skip=".len();
        let id = rest
            .split([':', ' ', '\t', '\r', '\n'])
            .next()
            .unwrap_or("");
        return Some((
            peer_codes(PeerTool::Checkov, id, list_at, ','),
            false,
            false,
        ));
    }
    if let Some(rest) = trimmed.strip_prefix("zizmor:") {
        // `# zizmor: ignore[template-injection,artipacked] optional reason`
        let list = rest.trim_start().strip_prefix("ignore[")?;
        let list_at = base + (trimmed.len() - list.len());
        let close = list.find(']')?;
        return Some((
            peer_codes(PeerTool::Zizmor, &list[..close], list_at, ','),
            false,
            false,
        ));
    }
    for prefix in ["tfsec:ignore:", "trivy:ignore:"] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            // `#trivy:ignore:AVD-AWS-0089:exp:2025-01-02`: ignored until that date (included).
            let list_at = base + prefix.len();
            let id = rest
                .split([' ', '\t', '\r', '\n', ':'])
                .next()
                .unwrap_or("");
            let expires = rest[id.len()..]
                .split(':')
                .skip_while(|part| *part != "exp")
                .nth(1)
                .map(|d| d.split_whitespace().next().unwrap_or(""));
            if !today.is_empty() && expires.is_some_and(|d| d < today) {
                return None;
            }
            return Some((peer_codes(PeerTool::Trivy, id, list_at, ','), false, false));
        }
    }
    None
}

fn split_codes(list: &str, at: usize, sep: char) -> impl Iterator<Item = (&str, TextRange)> {
    let mut offset = 0;
    list.split(sep).filter_map(move |part| {
        let start = offset;
        offset += part.len() + 1;
        let t = part.trim();
        if t.is_empty() {
            return None;
        }
        let lead = part.len() - part.trim_start().len();
        let s = at + start + lead;
        Some((t, TextRange::from_usize(s, s + t.len())))
    })
}

fn peer_codes(tool: PeerTool, list: &str, at: usize, sep: char) -> Vec<DirectiveCode> {
    split_codes(list, at, sep)
        .map(|(text, range)| DirectiveCode {
            rules: rules_for_peer(tool, text),
            range,
            text: text.to_string(),
            used: false,
        })
        .collect()
}

/// Rules whose peer list names `id` of `tool`. Trivy IDs are compared in a normal form, so `DS002`,
/// `DS-0002` and `AVD-DS-0002` are the same.
pub(crate) fn rules_for_peer(tool: PeerTool, id: &str) -> Vec<usize> {
    let want = normalize_peer(tool, id);
    RULES
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.meta
                .peers
                .iter()
                .any(|p| p.tool == tool && normalize_peer(tool, p.id) == want)
        })
        .map(|(i, _)| i)
        .collect()
}

fn normalize_peer(tool: PeerTool, id: &str) -> String {
    let id = id.trim().to_ascii_uppercase();
    if tool != PeerTool::Trivy {
        return id;
    }
    let id = id.strip_prefix("AVD-").unwrap_or(&id);
    let letters: String = id
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>();
    let digits: String = id.chars().filter(char::is_ascii_digit).collect();
    let number = digits.trim_start_matches('0');
    format!("{letters}{number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_syntax_and_scopes() {
        let text = "FROM a\n# cloudwright: ignore[CW001, nope] reason\n\nRUN x \\\n  y\nRUN z # cloudwright: ignore[invalid-syntax]\n";
        let runs: Vec<TextRange> = vec![
            TextRange::new(0, 6),
            TextRange::from_usize(
                text.find("RUN x").expect("x"),
                text.find("  y").expect("y") + 3,
            ),
            TextRange::from_usize(text.find("RUN z").expect("z"), text.len() - 1),
        ];
        let d = parse(text, &runs, "2026-11-22");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].scope, Scope::Range(runs[1]));
        assert_eq!(d[0].codes.len(), 2);
        assert_eq!(d[0].codes[1].range.slice(text), "nope");
        assert!(d[0].codes[1].rules.is_empty());
        assert!(d[1].own);
        assert!(matches!(d[1].scope, Scope::Range(r) if r.contains(runs[2].start)));
    }

    #[test]
    fn file_scope_and_peers() {
        let text = "# cloudwright: ignore-file[CW001]\n# hadolint global ignore=DL9999\n";
        let d = parse(text, &[], "2026-11-22");
        assert_eq!(d[0].scope, Scope::File);
        assert_eq!(d[1].scope, Scope::File);
        assert!(!d[1].own);
        assert_eq!(d[1].codes[0].range.slice(text), "DL9999");
    }

    #[test]
    fn trivy_ids_normalize() {
        assert_eq!(normalize_peer(PeerTool::Trivy, "AVD-DS-0002"), "DS2");
        assert_eq!(normalize_peer(PeerTool::Trivy, "DS002"), "DS2");
        assert_eq!(normalize_peer(PeerTool::Trivy, "KSV-0017"), "KSV17");
    }

    #[test]
    fn zizmor_ignore_comments() {
        let text = "      run: | # zizmor: ignore[template-injection, artipacked] i promise\n        echo \"${{ github.event.issue.title }}\"\n";
        let run = TextRange::from_usize(text.find("run:").expect("run"), text.len() - 1);
        let d = parse(text, &[run], "2026-11-22");
        assert_eq!(d.len(), 1);
        assert!(!d[0].own);
        assert_eq!(
            d[0].scope,
            Scope::Range(TextRange::from_usize(0, text.len() - 1))
        );
        let codes: Vec<&str> = d[0].codes.iter().map(|c| c.range.slice(text)).collect();
        assert_eq!(codes, ["template-injection", "artipacked"]);
        let injection = rules_for_peer(PeerTool::Zizmor, "template-injection");
        assert_eq!(d[0].codes[0].rules, injection);
        assert!(injection.iter().any(|&i| RULES[i].meta.code == "GHA002"));
        assert!(parse("# zizmor: ignored\n", &[], "2026-11-22").is_empty());
    }

    #[test]
    fn hash_inside_words_is_not_a_comment() {
        assert!(
            parse(
                "RUN curl http://x/#cloudwright: ignore[CW001]\n",
                &[],
                "2026-11-22"
            )
            .is_empty()
        );
    }

    #[test]
    fn trivy_and_tfsec_comments_expire() {
        let text = "#trivy:ignore:AVD-AWS-0089:exp:2026-11-21\n#tfsec:ignore:AVD-AWS-0089:exp:2026-11-22\n#trivy:ignore:AVD-AWS-0089\n";
        let d = parse(text, &[], "2026-11-22");
        assert_eq!(d.len(), 2, "the first one expired yesterday");
        assert_eq!(d[0].codes[0].text, "AVD-AWS-0089");
        // Without a date to compare with, nothing expires.
        assert_eq!(parse(text, &[], "").len(), 3);
    }

    #[test]
    fn checkov_skips_the_construct_they_sit_in() {
        let text = "resource \"a\" \"b\" {\n  #checkov:skip=CKV_AWS_21:why\n  x = 1\n}\n";
        let block = TextRange::from_usize(0, text.len() - 1);
        let attr = TextRange::from_usize(text.find("x =").expect("x"), text.len() - 3);
        let d = parse(text, &[block, attr], "2026-11-22");
        assert_eq!(d[0].scope, Scope::Range(block));
        // Before the block, it covers the block as any directive does.
        let text = "#checkov:skip=CKV_AWS_21\nresource \"a\" \"b\" {}\n";
        let block = TextRange::from_usize(25, text.len() - 1);
        assert_eq!(parse(text, &[block], "")[0].scope, Scope::Range(block));
    }
}
