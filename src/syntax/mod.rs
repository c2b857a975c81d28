//! Stage 1, syntax: spec text → [`ast::SpecFile`], a syntax tree with spans.
//!
//! The grammar is `grammar/ddd.pest`. Each line is parsed on its own, so one
//! run reports every syntax error in the file; a line that does not parse is
//! reported and skipped, and parsing goes on at the next line.

pub mod ast;
mod errors;
mod parser;

pub use parser::{parse, MAX_SPEC_BYTES};
