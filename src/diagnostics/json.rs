//! Diagnostics as JSON, one object per line, for editors and other tools.
//! The schema is documented in `docs/diagnostics.md`.

use super::{Diagnostic, Renderer, Severity};
use crate::source::{Source, Span};
use serde::Serialize;

/// One diagnostic, as written by [`to_json`].
#[derive(Serialize)]
struct Json<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    span: Option<Place>,
    label: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    rendered: String,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    span: Place,
}

/// A span: bytes, and 1-based lines and columns (columns in characters;
/// `end_column` is the column just past the span's last character).
#[derive(Serialize)]
struct Place {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

impl Place {
    fn new(renderer: &Renderer<'_>, span: Span) -> Place {
        let text = &renderer.source.text;
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let (line, column) = renderer.lines.line_col(text, start);
        let (end_line, end_column) = renderer.lines.line_col(text, end);
        Place {
            start,
            end,
            line,
            column,
            end_line,
            end_column,
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One diagnostic about `source` as one line of JSON (no trailing newline):
/// its code, severity, message, file, primary span (`null` when it has no
/// place), label, secondary labels, help (`null` when there is none) and
/// `rendered`, the plain text [`render`](super::render) gives for it alone.
///
/// Spans are byte offsets into the text plus 1-based lines and columns;
/// columns count characters (Unicode scalar values), not bytes. A span
/// that reaches past the text is clamped to it, as in the rendered form.
pub fn to_json(source: &Source, diagnostic: &Diagnostic) -> String {
    json(&Renderer::new(source), diagnostic)
}

/// Diagnostics about `source` as JSON, one [`to_json`] line each, each
/// ending in a newline: what `--message-format json` prints. Faster than
/// calling [`to_json`] for each when there are many, since the source's
/// lines are indexed once.
pub fn render_json(source: &Source, diagnostics: &[Diagnostic]) -> String {
    let renderer = Renderer::new(source);
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&json(&renderer, diagnostic));
        out.push('\n');
    }
    out
}

fn json(renderer: &Renderer<'_>, diagnostic: &Diagnostic) -> String {
    let json = Json {
        code: diagnostic.code,
        severity: diagnostic.severity,
        message: &diagnostic.message,
        file: &renderer.source.name,
        span: diagnostic.span.map(|span| Place::new(renderer, span)),
        label: diagnostic.label.as_deref(),
        labels: diagnostic
            .labels
            .iter()
            .map(|label| JsonLabel {
                message: &label.message,
                span: Place::new(renderer, label.span),
            })
            .collect(),
        help: diagnostic.help.as_deref(),
        rendered: renderer.plain(diagnostic),
    };
    // Serialising these plain structs cannot fail; should it ever, the
    // line still says what went wrong, as JSON.
    serde_json::to_string(&json).unwrap_or_else(|e| {
        serde_json::json!({ "code": diagnostic.code, "message": e.to_string() }).to_string()
    })
}
