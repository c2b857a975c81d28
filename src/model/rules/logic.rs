//! Conditions whose parts contradict or repeat each other: two parts that
//! say the same thing, a part and its opposite, or two bounds on one value
//! that cannot both hold, of which one adds nothing, or that leave a single
//! value. Each is a mistake in the rule (and code rustc's linter refuses),
//! so it is reported where it is written.

use super::text::condition_text;
use super::{err, Diagnostic};
use crate::diagnostics::codes;
use crate::syntax::ast::{Comparator, Condition, Operand, Value};

/// A condition as the generated code tests it: `not` pushed down to the
/// tests, and parts joined by the same operator gathered.
enum Normal<'a> {
    /// A test, and whether it is tested as written (`false`: its opposite).
    Test(&'a Condition, bool),
    /// Parts joined by `and` (`true`) or `or` (`false`).
    Joined(bool, Vec<Normal<'a>>),
}

fn normal(condition: &Condition, positive: bool) -> Normal<'_> {
    match condition {
        Condition::All(parts, _) => joined(positive, parts, positive),
        Condition::Any(parts, _) => joined(!positive, parts, positive),
        Condition::Negated(inner, _) => normal(inner, !positive),
        Condition::Grouped(inner, _) => normal(inner, positive),
        test => Normal::Test(test, positive),
    }
}

/// `parts` joined by `and` (or `or`), each tested as written when
/// `positive`; a part joined by the same operator is gathered in.
fn joined(and: bool, parts: &[Condition], positive: bool) -> Normal<'_> {
    let mut gathered = Vec::new();
    for part in parts {
        match normal(part, positive) {
            Normal::Joined(inner, more) if inner == and => gathered.extend(more),
            other => gathered.push(other),
        }
    }
    Normal::Joined(and, gathered)
}

/// A test as compared: (left, how, right), with `not <x>` as `<x> is no`;
/// `positive: false` turns the comparison round.
fn compared(test: &Condition, positive: bool) -> Option<(String, Comparator, String)> {
    let (left, cmp, right) = match test {
        Condition::Holds(o) => (operand(o), Comparator::Is, "yes".to_string()),
        Condition::Not(o, _) => (operand(o), Comparator::IsNot, "yes".to_string()),
        Condition::Compare(l, cmp, r, _) => (operand(l), *cmp, operand(r)),
        _ => return None,
    };
    Some((left, if positive { cmp } else { opposite(cmp) }, right))
}

fn operand(o: &Operand) -> String {
    super::text::operand_text(o)
}

fn opposite(cmp: Comparator) -> Comparator {
    match cmp {
        Comparator::Is => Comparator::IsNot,
        Comparator::IsNot => Comparator::Is,
        Comparator::MoreThan => Comparator::AtMost,
        Comparator::AtMost => Comparator::MoreThan,
        Comparator::LessThan => Comparator::AtLeast,
        Comparator::AtLeast => Comparator::LessThan,
        Comparator::Within(n) => Comparator::Beyond(n),
        Comparator::Beyond(n) => Comparator::Within(n),
    }
}

/// A bound on a value: (the value, whether it is a lower bound, whether
/// it is strict).
fn bound(test: &Condition, positive: bool) -> Option<(String, f64, bool, bool)> {
    let Condition::Compare(l, _, r, _) = test else {
        return None;
    };
    let (_, cmp, _) = compared(test, positive)?;
    let number = |o: &Operand| match o {
        Operand::Value(Value::Number(n)) => n.text.parse::<f64>().ok(),
        _ => None,
    };
    // `<value> is less than 5`, or `5 is more than <value>`.
    let (value, n, cmp) = match (number(l), number(r)) {
        (None, Some(n)) => (operand(l), n, cmp),
        (Some(n), None) => (
            operand(r),
            n,
            match cmp {
                Comparator::MoreThan => Comparator::LessThan,
                Comparator::LessThan => Comparator::MoreThan,
                Comparator::AtLeast => Comparator::AtMost,
                Comparator::AtMost => Comparator::AtLeast,
                other => other,
            },
        ),
        _ => return None,
    };
    match cmp {
        Comparator::MoreThan => Some((value, n, true, true)),
        Comparator::AtLeast => Some((value, n, true, false)),
        Comparator::LessThan => Some((value, n, false, true)),
        Comparator::AtMost => Some((value, n, false, false)),
        Comparator::Is | Comparator::IsNot | Comparator::Within(_) | Comparator::Beyond(_) => None,
    }
}

/// The first pair of parts of `condition` (tested as written when
/// `positive`, else its opposite) that contradict or repeat each other.
pub(super) fn check(condition: &Condition, positive: bool) -> Option<Diagnostic> {
    group(&normal(condition, positive), positive)
}

/// `top`: whether the whole condition is tested as written.
fn group(joined: &Normal<'_>, top: bool) -> Option<Diagnostic> {
    let Normal::Joined(and, parts) = joined else {
        return None;
    };
    let tests: Vec<(&Condition, bool)> = parts
        .iter()
        .filter_map(|p| match p {
            Normal::Test(test, positive) => Some((*test, *positive)),
            Normal::Joined(..) => None,
        })
        .collect();
    for (i, &(a, pa)) in tests.iter().enumerate() {
        for &(b, pb) in &tests[i + 1..] {
            if let Some(found) = pair(*and, top, a, pa, b, pb) {
                return Some(found);
            }
        }
    }
    parts.iter().find_map(|part| group(part, top))
}

/// A test as the condition says it: `not (…)` when it is tested the other
/// way round from the whole.
fn said(test: &Condition, positive: bool, top: bool) -> String {
    if positive == top {
        condition_text(test)
    } else {
        format!("not ({})", condition_text(test))
    }
}

fn pair(
    and: bool,
    top: bool,
    a: &Condition,
    pa: bool,
    b: &Condition,
    pb: bool,
) -> Option<Diagnostic> {
    let (text_a, text_b) = (said(a, pa, top), said(b, pb, top));
    let report = |message: String, label: &str, help: String| {
        Some(err(codes::CONDITION_CONTRADICTS, message, b.span(), label).with_help(help))
    };
    let (ca, cb) = (compared(a, pa)?, compared(b, pb)?);
    if ca.0 == cb.0 && ca.2 == cb.2 {
        if ca.1 == cb.1 {
            return report(
                format!("`{text_b}` says again what `{text_a}` says"),
                "said twice",
                "drop one of them".into(),
            );
        }
        if opposite(ca.1) == cb.1 {
            // As written: parts joined by `and` never hold together.
            let never = if and == top {
                "never holds"
            } else {
                "always holds"
            };
            return report(
                format!("this condition {never}: `{text_b}` is the opposite of `{text_a}`"),
                "the opposite of another part",
                "say what the rule means with one of them".into(),
            );
        }
    }
    if !and {
        return None;
    }
    let (Some((va, na, lower_a, strict_a)), Some((vb, nb, lower_b, strict_b))) =
        (bound(a, pa), bound(b, pb))
    else {
        return None;
    };
    if va != vb {
        return None;
    }
    if lower_a == lower_b {
        return report(
            format!("`{text_a}` and `{text_b}` bound `{va}` on the same side: one adds nothing"),
            "adds nothing to the other",
            "keep the one that says what the rule means".into(),
        );
    }
    let (low, strict_low, high, strict_high) = if lower_a {
        (na, strict_a, nb, strict_b)
    } else {
        (nb, strict_b, na, strict_a)
    };
    if low > high || (low == high && (strict_low || strict_high)) {
        return report(
            format!("this condition never holds: `{va}` cannot be both `{text_a}` and `{text_b}`"),
            "cannot hold with the other",
            "check the numbers and the words `more`, `less`, `at least`, `at most`".into(),
        );
    }
    if low == high {
        let value = match b {
            Condition::Compare(_, _, Operand::Value(Value::Number(n)), _)
            | Condition::Compare(Operand::Value(Value::Number(n)), _, _, _) => n.text.clone(),
            _ => low.to_string(),
        };
        return report(
            format!("`{text_a}` and `{text_b}` leave `{va}` a single value"),
            "together, one value",
            format!("write `{va} is {value}`"),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast;

    fn found(condition: &str) -> Option<String> {
        let spec = format!(
            "Model: M\nEntity: Thing [id weight]\nTerms:\n  - id: id of Thing\n  - weight: integer\nQueries:\n  - has-thing? [id]\n  - some = things where {condition}\n"
        );
        let file = crate::syntax::parse(&crate::source::Source::new("m.ddd", spec)).0;
        let ast::QueryBody { filter, .. } = file.models[0].queries[1].body.clone()?;
        check(&filter?, true).map(|d| d.message)
    }

    #[test]
    fn contradictions_and_repetitions_are_found() {
        for (condition, says) in [
            (
                "weight is more than 0 and not (weight is more than 0)",
                Some("never holds"),
            ),
            (
                "weight is more than 0 or not (weight is more than 0)",
                Some("always holds"),
            ),
            (
                "weight is more than 5 and weight is less than 3",
                Some("never holds"),
            ),
            (
                "weight is more than 5 and weight is at least 5",
                Some("adds nothing"),
            ),
            (
                "weight is at least 5 and weight is at most 5",
                Some("a single value"),
            ),
            ("weight is 5 and weight is 5", Some("says again")),
            (
                "not (weight is at most 5 or 3 is more than weight)",
                Some("adds nothing"),
            ),
            ("weight is more than 5 and weight is less than 9", None),
            ("weight is 5 and weight is more than 3", None),
            ("weight is more than 5 or weight is more than 3", None),
        ] {
            let got = found(condition);
            match says {
                Some(s) => assert!(
                    got.as_deref().is_some_and(|m| m.contains(s)),
                    "{condition}: {got:?}"
                ),
                None => assert_eq!(got, None, "{condition}"),
            }
        }
    }
}
