//! Stage 1, syntax: spec text → [`ast::SpecFile`], a syntax tree with spans.
//!
//! The grammar is `grammar/ddd.pest`. Each line is parsed on its own, so one
//! run reports every syntax error in the file; a line that does not parse is
//! reported and skipped, and parsing goes on at the next line.

pub mod ast;
mod errors;
pub mod format;
mod grammar;
mod parser;

pub use parser::{parse, MAX_SPEC_BYTES};

/// The diagnostic for a spec of `len` bytes, more than [`MAX_SPEC_BYTES`]
/// (`E0006`), for a caller that checks a file's size before reading it.
pub fn too_large(len: u64) -> crate::diagnostics::Diagnostic {
    errors::too_large(len, MAX_SPEC_BYTES as u64)
}
