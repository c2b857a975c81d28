//! Completion and quick fixes.

use crate::source::Span;
use crate::syntax::ast;
use lsp_types::{CompletionItem, CompletionItemKind};

/// The words that may come next on a line that reads `before` so far, in
/// the section `section` of `model`.
pub fn completion(
    model: Option<&ast::Model>,
    section: Option<ast::SectionKind>,
    before: &str,
) -> Vec<CompletionItem> {
    let indent = before.len() - before.trim_start().len();
    let written = before.trim_start();
    let keyword = |word: &str, detail: &str| CompletionItem {
        label: word.to_string(),
        kind: Some(CompletionItemKind::KEYWORD),
        detail: Some(detail.to_string()),
        ..CompletionItem::default()
    };
    let mut items = Vec::new();
    let first_word = !written.contains(' ');
    if indent == 0 && first_word {
        for (word, detail) in [
            ("Model: ", "a model: an aggregate"),
            ("Entity: ", "an entity the model holds"),
            ("State: [", "the record one stream of the model holds"),
            ("Streams: one per ", "one stream per entity"),
            ("Tags: PascalCase", "names on the wire in PascalCase"),
            ("Terms:", "the glossary"),
            ("Queries:", "what the model answers"),
            ("Actions:", "commands and the events they are accepted as"),
            ("Scenarios:", "examples: given, when, then"),
            ("Evolution:", "how stored event versions are read"),
            ("Policies:", "what happens next when an event is recorded"),
        ] {
            items.push(keyword(word, detail));
        }
        return items;
    }
    let item_start = written
        .strip_prefix(['-', '•', '*'])
        .is_some_and(|rest| !rest.trim_start().contains(' '));
    if section == Some(ast::SectionKind::Policies) {
        if item_start {
            for action in model.map(|m| m.actions.as_slice()).unwrap_or_default() {
                items.push(CompletionItem {
                    label: format!("when {} then ", action.event.text),
                    kind: Some(CompletionItemKind::EVENT),
                    detail: Some("a policy: what happens when this event is recorded".into()),
                    ..CompletionItem::default()
                });
            }
            return items;
        }
        if indent >= 4 && first_word {
            items.push(keyword("only if ", "the events the policy acts on"));
            return items;
        }
    }
    if section == Some(ast::SectionKind::Evolution) && item_start {
        for (word, detail) in [
            ("retired ", "stored events of these names are skipped"),
            ("reserved ", "names that may not come back"),
            (
                "migrate by ",
                "a running stream moved by a function you write",
            ),
        ] {
            items.push(keyword(word, detail));
        }
        if let Some(model) = model {
            for action in &model.actions {
                let version = action.event_version.map_or(1, |(v, _)| v);
                let step = if version > 1 {
                    format!(
                        "{}@{} -> {}@{}",
                        action.event.text,
                        version - 1,
                        action.event.text,
                        version
                    )
                } else {
                    format!("{} -> ", action.event.text)
                };
                items.push(CompletionItem {
                    label: step,
                    kind: Some(CompletionItemKind::EVENT),
                    detail: Some("how a stored version is read".into()),
                    ..CompletionItem::default()
                });
            }
        }
        return items;
    }
    if indent >= 4 && first_word {
        for (word, detail) in [
            ("rejected if ", "a guard: rejected when the condition holds"),
            ("rejected unless ", "a guard: rejected when it does not"),
            ("adds ", "the event adds an entity"),
            ("sets ", "the event sets a field"),
            ("increases ", "the event increases a number"),
            ("decreases ", "the event decreases a number"),
            ("removes ", "the event removes an entity"),
            ("moves ", "the event moves an entity along its lifecycle"),
            ("removes each ", "the event removes entities"),
            ("changes nothing", "the event changes nothing"),
            ("given ", "an event the scenario starts from"),
            ("when ", "the scenario's command"),
            ("then ", "what happens: an event, accepted or rejected"),
            ("and ", "one more given event, or an answer after then"),
        ] {
            items.push(keyword(word, detail));
        }
    }
    if section == Some(ast::SectionKind::Queries) && written.ends_with("= ") {
        for (word, detail) in [
            ("count of ", "how many entities"),
            ("sum of ", "a number field added up"),
            ("history of ", "the events of one entity, in order"),
        ] {
            items.push(keyword(word, detail));
        }
    }
    // After `= <entities>` (or `count of`, `sum of … of`): grouping.
    if section == Some(ast::SectionKind::Queries)
        && written.contains(" = ")
        && written.ends_with(' ')
    {
        for (word, detail) in [
            ("per ", "a value for each value of a field"),
            ("where ", "the entities a condition holds for"),
        ] {
            items.push(keyword(word, detail));
        }
    }
    let rule_line = written.starts_with("rejected ") || written.contains(" = ");
    if indent >= 4 && !first_word && rule_line {
        for (word, detail) in [
            ("and ", "both conditions hold"),
            ("or ", "either condition holds"),
            ("not ", "the condition does not hold"),
            ("in ", "a query of another model of the spec"),
            ("from ", "a query of a service outside the spec"),
            ("today", "the date, from the model's clock"),
            ("now", "the date and time, from the model's clock"),
        ] {
            items.push(keyword(word, detail));
        }
    }
    if indent >= 4 && (written.starts_with("given ") || written.starts_with("and ")) {
        for (word, detail) in [
            ("answers ", "what a service outside the spec answers"),
            ("cannot answer", "the service fails"),
            ("today is \"", "the day the scenario runs on"),
            ("now is \"", "the moment the scenario runs at"),
        ] {
            items.push(keyword(word, detail));
        }
    }
    let Some(model) = model else {
        return items;
    };
    let mut services = Vec::new();
    for action in &model.actions {
        for clause in &action.clauses {
            let operands: Vec<&ast::Operand> = match clause {
                ast::Clause::Guard { condition, .. } => condition.operands(),
                ast::Clause::Source {
                    from: ast::FieldSource::Operand(operand),
                    ..
                } => vec![operand],
                _ => Vec::new(),
            };
            for operand in operands {
                if let ast::Operand::Served { service, .. } = operand {
                    if !services.contains(&service.text) {
                        services.push(service.text.clone());
                    }
                }
            }
        }
    }
    let named = |label: &str, kind, detail: &str| CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail.to_string()),
        ..CompletionItem::default()
    };
    for term in &model.terms {
        items.push(named(&term.name.text, CompletionItemKind::FIELD, "term"));
        if let ast::TypeExpr::Choice(values, _) = &term.ty {
            for value in values {
                items.push(named(
                    &value.text,
                    CompletionItemKind::ENUM_MEMBER,
                    &format!("a value of {}", term.name.text),
                ));
            }
        }
    }
    for entity in &model.entities {
        items.push(named(
            &entity.name.text,
            CompletionItemKind::STRUCT,
            "entity",
        ));
    }
    for query in &model.queries {
        items.push(named(&query.name.text, CompletionItemKind::METHOD, "query"));
    }
    for action in &model.actions {
        items.push(named(
            &action.command.text,
            CompletionItemKind::FUNCTION,
            "action",
        ));
        if !items.iter().any(|i| i.label == action.event.text) {
            items.push(named(
                &action.event.text,
                CompletionItemKind::EVENT,
                "event",
            ));
        }
    }
    for service in &services {
        items.push(CompletionItem {
            label: service.clone(),
            kind: Some(CompletionItemKind::INTERFACE),
            detail: Some("a service outside the spec".into()),
            ..CompletionItem::default()
        });
    }
    for word in ["yes", "no", "nothing"] {
        items.push(named(word, CompletionItemKind::CONSTANT, "a value"));
    }
    items
}

/// `did you mean `x`?` in a diagnostic's help: the replacement.
pub fn suggestion(message: &str) -> Option<String> {
    let rest = message.split("did you mean `").nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

/// Where to declare an undeclared term in a model, and the text: a line
/// after its `Terms:` header, or a new section before its first one.
pub fn declaration(text: &str, model: &ast::Model, term: &str) -> (usize, String) {
    let line = format!("  - {term}: text\n");
    let after_line = |span: Span| {
        text[span.end.min(text.len())..]
            .find('\n')
            .map_or(text.len(), |i| span.end + i + 1)
    };
    if let Some(terms) = model
        .sections
        .iter()
        .find(|s| s.kind == ast::SectionKind::Terms)
    {
        return (after_line(terms.span), line);
    }
    match model.sections.first() {
        Some(first) => {
            let at = text[..first.span.start].rfind('\n').map_or(0, |i| i + 1);
            (at, format!("Terms:\n{line}\n"))
        }
        None => (after_line(model.name.span), format!("\nTerms:\n{line}")),
    }
}

#[cfg(test)]
mod tests {
    use super::completion;

    fn labels(before: &str) -> Vec<String> {
        completion(None, None, before)
            .into_iter()
            .map(|item| item.label)
            .collect()
    }

    #[test]
    fn headers_joiners_and_service_answers_are_offered_where_they_fit() {
        let headers = labels("");
        for header in ["State: [", "Tags: PascalCase", "Model: "] {
            assert!(
                headers.iter().any(|l| l == header),
                "{header} in {headers:?}"
            );
        }
        let guard = labels("    rejected if amount is more than balance ");
        for word in ["and ", "or ", "not ", "in ", "from ", "today", "now"] {
            assert!(guard.iter().any(|l| l == word), "{word} in {guard:?}");
        }
        let given = labels("    given Atm ");
        assert!(given.iter().any(|l| l == "answers "), "{given:?}");
        let day = labels("    given ");
        assert!(day.iter().any(|l| l == "today is \""), "{day:?}");
        assert!(!labels("    given ").iter().any(|l| l == "from "));
    }
}
