//! `esgen explain`: what a diagnostic code means, with examples.

use super::Status;
use esgen::diagnostics;

/// `esgen explain CODE`.
pub fn run(code: &str) -> Status {
    if let Some(text) = diagnostics::explain(code) {
        print!("{text}");
        return Status::Ok;
    }
    let known = diagnostics::codes::ALL;
    let upper = code.trim().to_uppercase();
    match diagnostics::did_you_mean(&upper, known.iter().copied()) {
        Some(near) => eprintln!("error: esgen has no code `{code}`; did you mean `{near}`?"),
        None => eprintln!(
            "error: esgen has no code `{code}`; codes look like `E0108` or `W0001` (all of them: docs/diagnostics.md)"
        ),
    }
    Status::Trouble
}
