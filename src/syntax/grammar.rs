//! The grammar, `grammar/ddd.pest`, as pest derives it: the parser and
//! its `Rule`s, which the line parser (`parser.rs`) reads lines with and
//! the error messages (`errors.rs`) name what was expected by.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/ddd.pest"]
pub(super) struct DddParser;
