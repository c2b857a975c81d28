//! `esgen try`: scenario steps run against a model before any Rust
//! exists.

use super::{count, read, report_diagnostics, Status, Ui};
use std::io::IsTerminal as _;
use std::path::Path;

/// `esgen try`: each step read, run and answered; a mistake or an answer
/// that differs makes the exit status say so.
pub fn run(path: &Path, steps: Option<&Path>, model: Option<&str>, ui: &Ui) -> Status {
    use esgen::eval::session::{Reply, Session};
    use std::io::BufRead;
    let source = match read(path, ui) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let (spec, diagnostics) = esgen::check(&source);
    let Some(spec) = spec else {
        report_diagnostics(ui, &source, &diagnostics);
        eprintln!("{}: {}", source.name, count(&diagnostics));
        return Status::SpecErrors;
    };
    let mut session = Session::new(&spec);
    if let Some(name) = model {
        if let Reply::Said(said) = session.line(&format!("model {name}")) {
            said.iter().for_each(|line| eprintln!("{line}"));
        }
    }
    let input: Box<dyn BufRead> = match steps {
        Some(file) => match std::fs::File::open(file) {
            Ok(file) => Box::new(std::io::BufReader::new(file)),
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", file.display());
                return Status::Trouble;
            }
        },
        None => Box::new(std::io::stdin().lock()),
    };
    let interactive = steps.is_none() && std::io::stdin().is_terminal();
    if interactive {
        eprintln!("trying {}: `help` lists what to write", source.name);
    }
    let mut status = Status::Ok;
    let prompt = |session: &Session<'_>| {
        if interactive {
            eprint!("{}> ", session.model());
        }
    };
    prompt(&session);
    for line in input.lines() {
        let Ok(line) = line else { break };
        match session.line(&line) {
            Reply::Said(said) => said.iter().for_each(|l| println!("{l}")),
            Reply::Differs(said) => {
                said.iter().for_each(|l| println!("{l}"));
                status = status.max(Status::SpecErrors);
            }
            Reply::Wrong(line_source, found) => {
                report_diagnostics(ui, &line_source, &found);
                status = status.max(Status::SpecErrors);
            }
        }
        prompt(&session);
    }
    if interactive {
        eprintln!();
    }
    status
}
