//! `esgen fmt`: one canonical layout for a spec, line by line, keeping
//! every comment where it is.
//!
//! - headers (`Model:`, `Entity:`, `State:`, `Streams:`, `Tags:`, a section's `Terms:`…) at
//!   the margin; items (`- …`, whatever the bullet was) indented two
//!   spaces; the lines under an item (rule lines, scenario steps) four;
//! - inside a line, one space wherever there were spaces or tabs, outside
//!   quoted text;
//! - trailing comments two spaces after the code, aligned in a run of
//!   lines of one indentation that have them, unless that would put a
//!   comment past the 100th column; a comment line takes the indentation
//!   of the line it documents;
//! - no blank line at the start, at most one in a row, one before each
//!   `Model:` (and the comments that document it) after the first, and
//!   one newline at the end; Windows line ends become `\n`.
//!
//! The text is read as lines only: whether the result still means the
//! same is checked by the caller, which compares the checked models.

/// A line, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    Blank,
    /// A whole-line comment (`# …`, its text from `#`).
    Comment(String),
    /// Code, at its canonical indentation, and its trailing comment.
    Code {
        indent: usize,
        code: String,
        comment: Option<String>,
    },
}

/// Where `#` starts a comment in `line`: the first one outside quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (at, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '#' if !quoted => return Some(at),
            _ => {}
        }
    }
    None
}

/// Runs of spaces and tabs made one space, outside quotes.
fn squeeze(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut quoted = false;
    let mut escaped = false;
    let mut space = false;
    for c in code.trim().chars() {
        if !quoted && (c == ' ' || c == '\t') {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            _ => {}
        }
        out.push(c);
    }
    out
}

/// The indentation a line of code takes, and the code with a canonical
/// bullet.
fn place(code: &str) -> (usize, String) {
    for bullet in ['-', '•', '*'] {
        if let Some(rest) = code.strip_prefix(bullet) {
            if rest.starts_with([' ', '\t']) {
                return (2, format!("- {}", rest.trim_start()));
            }
        }
    }
    let header = ["Model:", "Entity:", "State:", "Streams:", "Tags:"]
        .iter()
        .any(|h| code.starts_with(h))
        || is_section_header(code);
    (if header { 0 } else { 4 }, code.to_string())
}

/// `Terms:`, `Queries:`, … : one word and a colon, nothing after.
fn is_section_header(code: &str) -> bool {
    code.strip_suffix(':').is_some_and(|word| {
        word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

fn read(line: &str) -> Line {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Line::Blank;
    }
    if trimmed.starts_with('#') {
        return Line::Comment(trimmed.to_string());
    }
    let (code, comment) = match comment_start(trimmed) {
        Some(at) => (&trimmed[..at], Some(trimmed[at..].trim_end().to_string())),
        None => (trimmed, None),
    };
    let (indent, code) = place(&squeeze(code));
    Line::Code {
        indent,
        code,
        comment,
    }
}

/// The widest a line with an aligned comment may be.
const MAX_WIDTH: usize = 100;

/// The spec's text in the canonical layout.
pub fn format(text: &str) -> String {
    // A byte order mark is not part of the first line (the parser skips
    // it too); the layout keeps it where it was.
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        return format!("\u{feff}{}", format(rest));
    }
    let lines: Vec<Line> = text.split('\n').map(read).collect();
    // Blank lines: none at the start, one at most in a row, and one before
    // each model but the first (before the comments that document it).
    let mut kept: Vec<Line> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if *line == Line::Blank && matches!(kept.last(), None | Some(Line::Blank)) {
            continue;
        }
        let opens_model =
            |l: &Line| matches!(l, Line::Code { code, .. } if code.starts_with("Model:"));
        let starts_model = match line {
            // Unless the comments above it already opened the model.
            Line::Code { .. } => {
                opens_model(line) && !matches!(kept.last(), Some(Line::Comment(_)))
            }
            Line::Comment(_) => {
                // The first of the comments right above a `Model:` line.
                !matches!(kept.last(), Some(Line::Comment(_)))
                    && lines[i..]
                        .iter()
                        .find(|l| !matches!(l, Line::Comment(_)))
                        .is_some_and(opens_model)
            }
            Line::Blank => false,
        };
        let model_seen = kept.iter().any(opens_model);
        if starts_model && model_seen && !matches!(kept.last(), Some(Line::Blank)) {
            kept.push(Line::Blank);
        }
        kept.push(line.clone());
    }
    while kept.last() == Some(&Line::Blank) {
        kept.pop();
    }

    // A comment line takes the indentation of the code below it.
    let mut indents = vec![0; kept.len()];
    let mut below = 0;
    for (i, line) in kept.iter().enumerate().rev() {
        match line {
            Line::Code { indent, .. } => {
                below = *indent;
                indents[i] = *indent;
            }
            Line::Comment(_) => indents[i] = below,
            Line::Blank => below = 0,
        }
    }

    // Trailing comments aligned in runs of consecutive code lines of one
    // indentation.
    let mut columns = vec![0; kept.len()];
    let mut i = 0;
    while i < kept.len() {
        let Line::Code { indent, .. } = &kept[i] else {
            i += 1;
            continue;
        };
        let mut end = i;
        while let Some(Line::Code { indent: next, .. }) = kept.get(end + 1) {
            if next != indent {
                break;
            }
            end += 1;
        }
        let widest = kept[i..=end]
            .iter()
            .filter_map(|l| match l {
                Line::Code {
                    indent,
                    code,
                    comment: Some(comment),
                } => Some((indent + width(code), width(comment))),
                _ => None,
            })
            .collect::<Vec<_>>();
        let column = widest.iter().map(|(w, _)| *w).max().unwrap_or(0) + 2;
        let fits = widest.iter().all(|(_, c)| column + c <= MAX_WIDTH);
        for (offset, line) in kept[i..=end].iter().enumerate() {
            if let Line::Code {
                indent,
                code,
                comment: Some(_),
            } = line
            {
                columns[i + offset] = if fits && widest.len() > 1 {
                    column
                } else {
                    indent + width(code) + 2
                };
            }
        }
        i = end + 1;
    }

    let mut out = String::with_capacity(text.len());
    for (i, line) in kept.iter().enumerate() {
        match line {
            Line::Blank => {}
            Line::Comment(comment) => {
                out.push_str(&" ".repeat(indents[i]));
                out.push_str(comment);
            }
            Line::Code {
                indent,
                code,
                comment,
            } => {
                out.push_str(&" ".repeat(*indent));
                out.push_str(code);
                if let Some(comment) = comment {
                    let at = indent + width(code);
                    out.push_str(&" ".repeat(columns[i].saturating_sub(at).max(1)));
                    out.push_str(comment);
                }
            }
        }
        out.push('\n');
    }
    out
}

fn width(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn lays_out_items_rules_and_comments() {
        let messy = "\r\n\n# The list.\nModel:   Todos\nTerms:\n* text:  text   # what to do\n\t- done?: boolean, default no # whether it is\n\n\n\nActions:\n - create-new [id  text] accepted as created [id text]\n        rejected if has-todo? [id]: \"a  # not a comment\"\n# Another.\nModel: Notes\n";
        let tidy = "# The list.\nModel: Todos\nTerms:\n  - text: text                  # what to do\n  - done?: boolean, default no  # whether it is\n\nActions:\n  - create-new [id text] accepted as created [id text]\n    rejected if has-todo? [id]: \"a  # not a comment\"\n\n# Another.\nModel: Notes\n";
        assert_eq!(format(messy), tidy);
        assert_eq!(format(tidy), tidy, "formatting twice changes nothing");
    }

    #[test]
    fn a_byte_order_mark_stays_first_and_out_of_the_layout() {
        let tidy = "\u{feff}Model: Todos\n";
        assert_eq!(format("\u{feff}  Model:  Todos\n\n"), tidy);
        assert_eq!(format(tidy), tidy);
        assert_eq!(format("\u{feff}"), format!("\u{feff}{}", format("")));
    }
}
