//! `esgen lsp`: the language server, over stdin and stdout.

use super::Status;

/// Serves one editor until it closes the connection.
pub fn run() -> Status {
    match esgen::lsp::run_stdio() {
        Ok(()) => Status::Ok,
        Err(e) => {
            eprintln!("esgen lsp: {e}");
            Status::Trouble
        }
    }
}
