//! Rendering a diagnostic about a very long line: only a window of the line
//! around the places the diagnostic points at, marked with `…`, with the
//! line and column numbers of the whole file.
//!
//! Without it, a diagnostic about a megabyte-long line would print the
//! whole megabyte, once per diagnostic.

use super::{Diagnostic, Label};
use crate::source::{Source, Span};
use codespan_reporting::files::{Error, Files};
use std::ops::Range;

/// Lines longer than this many bytes are shown as a window.
pub(super) const LONG_LINE: usize = 400;

/// How much of a long line to show on each side of the places.
const CONTEXT: usize = 80;

/// Where each line of a text starts.
pub(super) struct Lines {
    starts: Vec<usize>,
    len: usize,
}

impl Lines {
    pub(super) fn new(text: &str) -> Lines {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            starts,
            len: text.len(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset on a
    /// character boundary, as `Source::line_col` gives them.
    pub(super) fn line_col(&self, text: &str, byte: usize) -> (usize, usize) {
        let index = self.index(byte);
        let start = self.starts[index];
        (index + 1, text[start..byte].chars().count() + 1)
    }

    fn index(&self, byte: usize) -> usize {
        self.starts
            .binary_search(&byte)
            .unwrap_or_else(|next| next - 1)
    }

    /// The line's bytes, without its line break.
    fn content(&self, text: &str, index: usize) -> Range<usize> {
        let start = self.starts[index];
        let end = self.starts.get(index + 1).copied().unwrap_or(self.len);
        let line = &text[start..end];
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        start..start + line.len()
    }
}

/// The spans of a diagnostic, primary first.
fn spans(diagnostic: &Diagnostic) -> impl Iterator<Item = Span> + '_ {
    diagnostic
        .span
        .into_iter()
        .chain(diagnostic.labels.iter().map(|l| l.span))
}

fn clamp(text: &str, span: Span) -> Span {
    let start = floor(text, span.start.min(text.len()));
    let end = floor(text, span.end.clamp(start, text.len()));
    Span::new(start, end)
}

fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Whether a diagnostic points into a line longer than [`LONG_LINE`].
pub(super) fn touches_long_line(text: &str, lines: &Lines, diagnostic: &Diagnostic) -> bool {
    spans(diagnostic).any(|span| {
        let span = clamp(text, span);
        lines.content(text, lines.index(span.start)).len() > LONG_LINE
    })
}

/// One shown line of an excerpt.
struct Shown {
    /// Where it starts in the excerpt.
    start: usize,
    /// Where the original text starts in the excerpt (after a `…`).
    window: usize,
    /// The original range shown.
    original: Range<usize>,
    /// Its 1-based line number in the file.
    number: usize,
    /// The 0-based column (in characters) of its first shown character.
    column: usize,
}

/// The lines a diagnostic points into, windowed, as a file for the
/// renderer.
pub(super) struct Excerpt<'a> {
    name: &'a str,
    text: String,
    lines: Vec<Shown>,
}

impl Excerpt<'_> {
    /// The excerpt's length in bytes.
    pub(super) fn len(&self) -> usize {
        self.text.len()
    }

    fn map(&self, line: usize, at: usize) -> usize {
        let shown = &self.lines[line];
        shown.window + (at.clamp(shown.original.start, shown.original.end) - shown.original.start)
    }
}

/// The excerpt for one diagnostic, and the diagnostic with its spans moved
/// into it.
pub(super) fn excerpt<'a>(
    source: &'a Source,
    lines: &Lines,
    diagnostic: &Diagnostic,
) -> (Excerpt<'a>, Diagnostic) {
    let text = source.text.as_str();
    // A window around each span: the whole line if it is short, else the
    // span (up to LONG_LINE of it) with some context. Windows on one line
    // that overlap are merged; others are shown as lines of their own,
    // with the same line number.
    let mut windows: Vec<(usize, usize, usize)> = spans(diagnostic)
        .map(|span| {
            let span = clamp(text, span);
            let index = lines.index(span.start);
            let content = lines.content(text, index);
            if content.len() <= LONG_LINE {
                return (index, content.start, content.end);
            }
            let end = span.end.min(span.start + LONG_LINE).min(content.end);
            (
                index,
                floor(text, span.start.saturating_sub(CONTEXT).max(content.start)),
                ceil(text, (end + CONTEXT).min(content.end).max(span.start)),
            )
        })
        .collect();
    windows.sort_unstable();
    let mut merged: Vec<(usize, usize, usize)> = Vec::new();
    for (index, from, to) in windows {
        match merged.last_mut() {
            Some((i, _, last_to)) if *i == index && from <= *last_to => {
                *last_to = (*last_to).max(to);
            }
            _ => merged.push((index, from, to)),
        }
    }

    let mut excerpt = Excerpt {
        name: source.name.as_str(),
        text: String::new(),
        lines: Vec::new(),
    };
    for (index, from, to) in merged {
        let content = lines.content(text, index);
        let start = excerpt.text.len();
        if from > content.start {
            excerpt.text.push('…');
        }
        let window = excerpt.text.len();
        excerpt.text.push_str(&text[from..to]);
        if to < content.end {
            excerpt.text.push('…');
        }
        excerpt.text.push('\n');
        excerpt.lines.push(Shown {
            start,
            window,
            original: from..to,
            number: index + 1,
            column: text[content.start..from].chars().count(),
        });
    }

    let moved = |span: Span| {
        let span = clamp(text, span);
        let number = lines.index(span.start) + 1;
        let line = excerpt
            .lines
            .iter()
            .position(|l| {
                l.number == number && l.original.start <= span.start && span.start <= l.original.end
            })
            .unwrap_or(0);
        Span::new(excerpt.map(line, span.start), excerpt.map(line, span.end))
    };
    let mut shown = diagnostic.clone();
    shown.span = diagnostic.span.map(moved);
    shown.labels = diagnostic
        .labels
        .iter()
        .map(|label| Label {
            span: moved(label.span),
            message: label.message.clone(),
        })
        .collect();
    (excerpt, shown)
}

impl<'a> Files<'a> for Excerpt<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .lines
            .partition_point(|line| line.start <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, Error> {
        Ok(self
            .lines
            .get(line_index)
            .map_or(line_index + 1, |l| l.number))
    }

    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let Some(line) = self.lines.get(line_index) else {
            return Ok(1);
        };
        let at = byte_index.clamp(line.window, self.text.len());
        let shown = self
            .text
            .get(line.window..at)
            .map_or(0, |s| s.chars().count());
        Ok(line.column + shown + 1)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        let start = self
            .lines
            .get(line_index)
            .map_or(self.text.len(), |l| l.start);
        let end = self
            .lines
            .get(line_index + 1)
            .map_or(self.text.len(), |l| l.start);
        Ok(start..end)
    }
}
