//! `cargo +nightly fuzz run compile`: any bytes, read as a spec (lossily, as
//! `esgen::read_spec` reads a file that is not UTF-8), go through the whole
//! in-memory pipeline. It must not panic, must end in files or in at least
//! one error, must place every diagnostic inside the text on character
//! boundaries, must render, and must give the same answer twice.
#![no_main]

use esgen::diagnostics::{self, Diagnostic};
use esgen::source::{Source, Span};
use libfuzzer_sys::fuzz_target;

fn assert_in_text(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} {span:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} {span:?} not on character boundaries"
    );
}

fn outcome(source: &Source) -> (Option<Vec<(std::path::PathBuf, String)>>, Vec<Diagnostic>) {
    let (compiled, diagnostics) = esgen::compile(source);
    let files = compiled.map(|compiled| {
        compiled
            .files
            .files
            .iter()
            .map(|file| (file.path.clone(), file.contents.clone()))
            .collect()
    });
    (files, diagnostics)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let source = Source::new("fuzz.ddd", text);
    let (files, diagnostics) = outcome(&source);
    if files.is_none() {
        assert!(
            diagnostics::has_errors(&diagnostics),
            "neither files nor an error"
        );
    } else {
        assert!(
            !diagnostics::has_errors(&diagnostics),
            "files despite an error"
        );
    }
    for diagnostic in &diagnostics {
        if let Some(span) = diagnostic.span {
            assert_in_text(&source.text, span, diagnostic.code);
        }
        for label in &diagnostic.labels {
            assert_in_text(&source.text, label.span, diagnostic.code);
        }
        let line = diagnostics::to_json(&source, diagnostic);
        assert!(!line.contains('\n'), "JSON on more than one line");
    }
    let rendered = diagnostics::render(&source, &diagnostics);
    assert_eq!(rendered.is_empty(), diagnostics.is_empty());
    assert!(
        outcome(&source) == (files, diagnostics),
        "not deterministic"
    );
});
