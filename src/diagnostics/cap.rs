//! Keeping a long list of diagnostics readable.

use super::{Diagnostic, Severity};

/// How many errors the command line shows by default before it says how
/// many more there are.
pub const DEFAULT_MAX_ERRORS: usize = 50;

/// What [`cap`] keeps, and what it hides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capped<'a> {
    /// The diagnostics to show: a prefix of those given.
    pub shown: &'a [Diagnostic],
    /// Errors left out.
    pub hidden_errors: usize,
    /// Warnings and notes left out.
    pub hidden_warnings: usize,
}

impl Capped<'_> {
    /// Whether anything was left out.
    pub fn is_truncated(&self) -> bool {
        self.hidden_errors + self.hidden_warnings > 0
    }

    /// The line to print after the shown diagnostics, if any were left out:
    /// `… and 123 more errors (and 4 warnings)`.
    pub fn summary(&self) -> Option<String> {
        let plural = |n: usize, one: &str| {
            if n == 1 {
                one.to_string()
            } else {
                format!("{one}s")
            }
        };
        match (self.hidden_errors, self.hidden_warnings) {
            (0, 0) => None,
            (e, 0) => Some(format!("… and {e} more {}", plural(e, "error"))),
            (0, w) => Some(format!("… and {w} more {}", plural(w, "warning"))),
            (e, w) => Some(format!(
                "… and {e} more {} (and {w} {})",
                plural(e, "error"),
                plural(w, "warning")
            )),
        }
    }
}

/// Keeps the diagnostics up to and including the `max_errors`-th error, in
/// the order given (file order, as `esgen::check` returns them), and counts
/// what comes after.
///
/// Nothing is cut unless more than `max_errors` errors are given. Warnings
/// and notes do not count towards `max_errors`: a spec without errors
/// shows every warning (each is something to act on, and
/// `--deny-warnings` turns them into failures). When errors are cut off,
/// the warnings after the cut go with them (counted in
/// [`Capped::hidden_warnings`]), since they are as far down the file.
/// `max_errors` of 0 means no limit.
pub fn cap(diagnostics: &[Diagnostic], max_errors: usize) -> Capped<'_> {
    let errors: Vec<usize> = diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| d.severity == Severity::Error)
        .map(|(i, _)| i)
        .collect();
    // Cut only when errors would be hidden: a spec with exactly
    // `max_errors` errors shows everything.
    let cut = match max_errors {
        0 => diagnostics.len(),
        n if errors.len() > n => errors[n - 1] + 1,
        _ => diagnostics.len(),
    };
    let (shown, hidden) = diagnostics.split_at(cut);
    let hidden_errors = hidden.iter().filter(|d| d.is_error()).count();
    Capped {
        shown,
        hidden_errors,
        hidden_warnings: hidden.len() - hidden_errors,
    }
}
