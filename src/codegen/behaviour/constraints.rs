//! A command's `validate()`: every constraint of its parameters.

use super::*;

impl Behaviour<'_> {
    /// The body of a command's `validate`, at indentation 8.
    pub fn validate(&self, command: &crate::model::ir::Command) -> String {
        let mut out = vec!["        let mut problems = super::Problems::default();".to_string()];
        for param in &command.params {
            for check in &param.checks {
                out.push(self.check(param, check));
            }
        }
        out.push(call(
            8,
            "problems.finish",
            &[
                "MODEL".to_string(),
                "Self::ACTION".to_string(),
                string(&format!("{}/constraints", command.name)),
            ],
            "",
        ));
        out.join("\n")
    }

    fn check(&self, param: &crate::model::ir::Field, check: &Check) -> String {
        let (term, rust, ty) = (param.term.as_str(), param.rust.as_str(), &param.ty);
        // Optional values are checked when present.
        let (open, place, close, indent) = match ty {
            Type::Optional(inner) => {
                let binding = "value";
                (
                    format!("        if let Some({binding}) = &self.{rust} {{\n"),
                    if inner.is_copy() {
                        "*value".to_string()
                    } else {
                        "value".to_string()
                    },
                    "\n        }".to_string(),
                    12,
                )
            }
            _ => (String::new(), format!("self.{rust}"), String::new(), 8),
        };
        let base = match ty {
            Type::Optional(inner) => (**inner).clone(),
            other => other.clone(),
        };
        let bad = match check {
            Check::NotBlank => format!("super::is_blank(&{place})"),
            Check::MaxChars { n } => format!("super::chars(&{place}) > {n}"),
            Check::MinChars { n } => format!("super::chars(&{place}) < {n}"),
            Check::AtLeast { n } => format!("{place} < {}", literal(n, &base)),
            Check::AtMost { n } => format!("{place} > {}", literal(n, &base)),
            Check::Between { low, high } => format!(
                "!({}..={}).contains(&{place})",
                literal(low, &base),
                literal(high, &base)
            ),
            Check::Finite => format!("!{}.is_finite()", place.trim_start_matches('*')),
        };
        let bad = bad.replace("&*value", "value").replace("&value", "value");
        let text = param.message(check);
        let pad_i = spaces(indent);
        // A range too long for the `if` line is named first.
        let (range_let, bad) = match check {
            Check::Between { low, high }
                if width(&format!("{pad_i}if {bad} {{")) > MAX_WIDTH
                    || width(&bad) > CHAIN_WIDTH + 2 =>
            {
                let range = format!("{}..={}", literal(low, &base), literal(high, &base));
                (
                    format!("{pad_i}let range = {range};\n"),
                    format!("!range.contains(&{place})")
                        .replace("&*value", "value")
                        .replace("&value", "value"),
                )
            }
            _ => (String::new(), bad),
        };
        let add = call(
            indent + 4,
            "problems.add",
            &[string(term), string(check.id()), string(&text)],
            ";",
        );
        format!("{open}{range_let}{pad_i}if {bad} {{\n{add}\n{pad_i}}}{close}")
    }
}
