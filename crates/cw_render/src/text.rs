//! Rustc-like code frames, one per finding, then a summary line.

use std::io;
use std::ops::Range;

use annotate_snippets::renderer::Style;
use annotate_snippets::{
    AnnotationKind, Element, Group, Level, Origin, Patch, Renderer, Snippet as Frame,
};
use cw_diagnostics::{Diagnostic, Fix, ScanStats, Severity, Snippet, TextRange};

use crate::{FormatWriter, RenderOptions, Tally, fix_hint, summary_sentence};

/// A frame per finding as it arrives, the summary line at the end.
pub(crate) struct Text {
    renderer: Renderer,
    opts: RenderOptions,
}

impl Text {
    pub(crate) fn new(opts: RenderOptions) -> Self {
        let renderer = if opts.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        Self { renderer, opts }
    }
}

impl FormatWriter for Text {
    fn finding(&mut self, d: &Diagnostic, out: &mut dyn io::Write) -> io::Result<()> {
        writeln!(out, "{}\n", self.renderer.render(&groups(d, self.opts)))
    }

    fn finish(
        &mut self,
        tally: &Tally,
        stats: &ScanStats,
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        let summary = summary_sentence(tally, stats);
        if self.opts.color {
            let bold = Style::new().bold();
            writeln!(out, "{bold}{summary}{bold:#}")
        } else {
            writeln!(out, "{summary}")
        }
    }
}

/// The finding's frame with its help, then (with `show_fixes`) the fix as a diff.
fn groups(diag: &Diagnostic, opts: RenderOptions) -> Vec<Group<'_>> {
    let title = level(diag.severity)
        .primary_title(diag.message.as_str())
        .id(format!("{} {}", diag.code(), diag.name()));
    let mut primary = title.element(location(diag));
    if let Some(help) = &diag.help {
        primary = primary.element(Level::HELP.message(help.as_str()));
    }
    let Some(fix) = &diag.fix else {
        return vec![primary];
    };
    let diff = if opts.show_fixes {
        patch_frame(diag, fix)
    } else {
        None
    };
    match diff {
        Some(frame) => vec![
            primary,
            Level::HELP.secondary_title(fix_hint(fix)).element(frame),
        ],
        None => vec![primary.element(Level::HELP.message(fix_hint(fix)))],
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// The code frame when the snippet holds the finding, otherwise just the path (and position).
fn location(diag: &Diagnostic) -> Element<'_> {
    let Some(snippet) = &diag.snippet else {
        return Origin::path(diag.path.as_str()).into();
    };
    let Some(primary) = local_span(snippet, diag.range) else {
        return Origin::path(diag.path.as_str())
            .line(diag.start.line as usize)
            .char_column(diag.start.column as usize)
            .into();
    };
    let labels = diag.labels.iter().filter_map(|label| {
        let span = local_span(snippet, label.range)?;
        Some(
            AnnotationKind::Context
                .span(span)
                .label(label.message.as_str()),
        )
    });
    frame(diag, snippet)
        .annotation(AnnotationKind::Primary.span(primary))
        .annotations(labels)
        .into()
}

/// The fix as a diff, when every edit falls inside the snippet.
fn patch_frame<'a>(diag: &'a Diagnostic, fix: &'a Fix) -> Option<Frame<'a, Patch<'a>>> {
    let snippet = diag.snippet.as_ref()?;
    // annotate-snippets would draw an edit after the final line break on the last line.
    let past_last_line =
        |span: &Range<usize>| span.start == snippet.text.len() && snippet.text.ends_with('\n');
    let patches = fix
        .edits
        .iter()
        .map(|edit| {
            let span = local_span(snippet, edit.range).filter(|s| !past_last_line(s))?;
            Some(Patch::new(span, edit.content.as_str()))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(frame(diag, snippet).patches(patches))
}

fn frame<'a, T: Clone>(diag: &'a Diagnostic, snippet: &'a Snippet) -> Frame<'a, T> {
    Frame::source(snippet.text.as_str())
        .line_start(snippet.first_line as usize)
        .path(diag.path.as_str())
}

/// `range` (file bytes) as bytes of the snippet text, if it lies inside it.
fn local_span(snippet: &Snippet, range: TextRange) -> Option<Range<usize>> {
    let start = range.start.checked_sub(snippet.offset)? as usize;
    let end = range.end.checked_sub(snippet.offset)? as usize;
    let text = &snippet.text;
    (start <= end
        && end <= text.len()
        && text.is_char_boundary(start)
        && text.is_char_boundary(end))
    .then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cw_diagnostics::{Category, Edit, FixAvailability, LineCol, RuleMeta, Status};

    static RULE: RuleMeta = RuleMeta {
        code: "DKR004",
        name: "final-user-root",
        category: Category::Security,
        severity: Severity::Error,
        fix: FixAvailability::Always,
        status: Status::Stable { since: "0.1.0" },
        peers: &[],
        docs: "",
        file: "",
    };

    fn diag_with_fix(edit: Edit) -> Diagnostic {
        let at = LineCol { line: 2, column: 6 };
        Diagnostic {
            rule: &RULE,
            severity: Severity::Error,
            message: "root".to_owned(),
            path: "Dockerfile".to_owned(),
            range: TextRange::new(15, 19),
            start: at,
            end: at,
            labels: Vec::new(),
            help: None,
            fix: Some(Fix::safe("fix it", vec![edit])),
            resource: None,
            fingerprint: String::new(),
            snippet: Some(Snippet {
                first_line: 2,
                offset: 10,
                text: "USER root\n".to_owned(),
            }),
        }
    }

    fn render_text(diag: &Diagnostic) -> String {
        let opts = RenderOptions {
            color: false,
            show_fixes: true,
        };
        let groups = groups(diag, opts);
        Renderer::plain().render(&groups)
    }

    #[test]
    fn fixes_at_the_end_of_the_snippet_fall_back_to_a_hint() {
        let shown = render_text(&diag_with_fix(Edit::replace(TextRange::new(15, 19), "app")));
        assert!(shown.contains("2 + USER app"), "{shown}");
        let hint = render_text(&diag_with_fix(Edit::insert(20, "USER app\n")));
        assert!(
            hint.contains("= help: fix available: fix it (safe)"),
            "{hint}"
        );
        let outside = render_text(&diag_with_fix(Edit::insert(40, "x")));
        assert!(outside.contains("= help: fix available"), "{outside}");
    }

    #[test]
    fn spans_outside_the_snippet_are_dropped() {
        let snippet = Snippet {
            first_line: 3,
            offset: 10,
            text: "USER é\n".to_owned(),
        };
        assert_eq!(local_span(&snippet, TextRange::new(15, 17)), Some(5..7));
        assert_eq!(local_span(&snippet, TextRange::new(9, 12)), None);
        assert_eq!(local_span(&snippet, TextRange::new(15, 18)), Some(5..8));
        assert_eq!(local_span(&snippet, TextRange::new(15, 19)), None);
        // Inside the two-byte `é`.
        assert_eq!(local_span(&snippet, TextRange::new(16, 17)), None);
    }
}
