//! `esgen explain CODE`: the long explanation of each diagnostic code, one
//! Markdown file per code under `docs/diagnostics/`.

/// Each code with its explanation, built into the binary.
macro_rules! explanations {
    ($($code:literal),* $(,)?) => {
        &[$(($code, include_str!(concat!("../../docs/diagnostics/", $code, ".md")))),*]
    };
}

const EXPLANATIONS: &[(&str, &str)] = explanations![
    "E0001", "E0002", "E0003", "E0004", "E0005", "E0006", "E0101", "E0102", "E0103", "E0104",
    "E0105", "E0106", "E0107", "E0108", "E0109", "E0110", "E0111", "E0112", "E0113", "E0114",
    "E0115", "E0116", "E0117", "E0118", "E0119", "E0120", "E0121", "E0122", "E0123", "E0124",
    "E0125", "E0126", "E0127", "E0128", "E0129", "E0130", "E0131", "E0132", "E0133", "E0134",
    "E0135", "E0136", "E0137", "E0138", "E0139", "E0140", "E0141", "E0142", "E0143", "E0199",
    "E0201", "E0202", "E0203", "E0204", "E0301", "E0302", "E0303", "E0304", "E0305", "E0306",
    "E0307", "E0308", "E0309", "E0310", "E0311", "W0001", "W0002", "W0003", "W0004", "W0005",
    "W0006", "W0007",
];

/// The explanation of a diagnostic code (`E0108`, `e0108` or `W0001`), as
/// Markdown: a title line, what the code means, a wrong and a right
/// example, and how to fix it. `None` for a code esgen does not have.
pub fn explain(code: &str) -> Option<&'static str> {
    let code = code.trim();
    EXPLANATIONS
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(code))
        .map(|(_, text)| *text)
}
