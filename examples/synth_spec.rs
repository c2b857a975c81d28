//! Prints a synthetic spec of M models with A actions each, the one the
//! benchmarks use (`benches/support/synth.rs`), to stdout:
//!
//! ```sh
//! cargo run --release --example synth_spec -- 1000 10 > big.ddd
//! ```

#[path = "../benches/support/synth.rs"]
mod synth;

use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed: Option<Vec<usize>> = args.iter().map(|a| a.parse().ok()).collect();
    let (models, actions) = match parsed.as_deref() {
        Some([models, actions]) if *models > 0 && *actions > 0 => (*models, *actions),
        _ => {
            eprintln!("usage: synth_spec <MODELS> <ACTIONS>   (both at least 1)");
            return ExitCode::from(2);
        }
    };
    let spec = synth::spec(models, actions);
    match std::io::stdout().lock().write_all(spec.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth_spec: cannot write the spec: {e}");
            ExitCode::from(2)
        }
    }
}
