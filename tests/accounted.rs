//! Every rule line is accounted for: for each spec the repository holds
//! (its examples, the rule fixtures and the comparison matrix), each guard,
//! source and effect written under an action, and each query definition,
//! is in the checked model and in `esgen check --explain`, and no spec
//! shows `E0199` (a rule esgen accepted but could not generate).

mod common;

use esgen::diagnostics::{self, codes};
use esgen::source::Source;
use esgen::syntax::ast::Clause;

/// The specs: `specs/`, the rule fixtures, and the matrix.
fn specs() -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = common::specs()
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (common::relative(&path), text)
        })
        .collect();
    for name in [
        "lending",
        "shows",
        "borrowers",
        "asked-defaults",
        "parcels",
        "ledger",
        "shop",
        "lifecycle",
    ] {
        let path = common::root().join(format!("tests/fixtures/rules/{name}.ddd"));
        found.push((
            common::relative(&path),
            std::fs::read_to_string(&path).unwrap(),
        ));
    }
    found.push(("matrix.ddd".into(), common::matrix::spec()));
    found
}

#[test]
fn every_rule_line_is_in_the_model_and_explained() {
    let (mut guards_seen, mut sources_seen, mut effects_seen, mut definitions_seen) = (0, 0, 0, 0);
    for (name, text) in specs() {
        let source = Source::new(name.clone(), text.as_str());
        let (spec, found) = esgen::check(&source);
        assert!(
            !found.iter().any(|d| d.code == codes::RULE_NOT_LOWERED),
            "{name}: {}",
            diagnostics::render(&source, &found)
        );
        let spec = spec.unwrap_or_else(|| {
            panic!(
                "{name} does not check:\n{}",
                diagnostics::render(&source, &found)
            )
        });
        let explained = esgen::model::explain::explain(&spec);
        let (tree, _) = esgen::syntax::parse(&source);
        for model in &tree.models {
            let lowered = spec
                .models
                .iter()
                .find(|m| m.name == model.name.text)
                .unwrap_or_else(|| panic!("{name}: model {} is missing", model.name.text));
            for query in model.queries.iter().filter(|q| q.body.is_some()) {
                let q = lowered
                    .queries
                    .iter()
                    .find(|q| q.name == query.name.text)
                    .unwrap();
                assert!(
                    q.derived.is_some(),
                    "{name}: the definition of `{}` is not in the model",
                    q.name
                );
                definitions_seen += 1;
            }
            for action in &model.actions {
                let command = lowered
                    .commands
                    .iter()
                    .find(|c| c.name == action.command.text)
                    .unwrap();
                let event = &lowered.events[command.event];
                let line_of = |span: esgen::source::Span| text[span.start..span.end].trim();
                let guards: Vec<&str> = action
                    .clauses
                    .iter()
                    .filter_map(|c| match c {
                        Clause::Guard { span, .. } => Some(line_of(*span)),
                        // A move is refused unless the lifecycle allows it:
                        // a guard of its own.
                        Clause::Effect(effect)
                            if matches!(effect.kind, esgen::syntax::ast::EffectKind::Moves(_)) =>
                        {
                            Some(line_of(effect.span))
                        }
                        _ => None,
                    })
                    .collect();
                assert_eq!(
                    guards.len(),
                    command.guards.len(),
                    "{name}: `{}` has guards {guards:?}, the model {:?}",
                    action.command.text,
                    command
                        .guards
                        .iter()
                        .map(|g| &g.spec_line)
                        .collect::<Vec<_>>()
                );
                for guard in &command.guards {
                    assert!(
                        explained.contains(&format!("guard {} (", guard.rule)),
                        "{name}: --explain leaves out {}",
                        guard.rule
                    );
                    guards_seen += 1;
                }
                for clause in &action.clauses {
                    match clause {
                        Clause::Source { field, span, .. } => {
                            let from = command
                                .proposing
                                .as_ref()
                                .and_then(|p| p.iter().find(|f| f.term == field.text))
                                .unwrap_or_else(|| {
                                    panic!("{name}: `{}` is not in the model", line_of(*span))
                                });
                            let shown = format!("field {} <- {}", from.term, from.spec);
                            assert!(
                                explained.contains(&shown),
                                "{name}: --explain leaves out `{shown}`"
                            );
                            sources_seen += 1;
                        }
                        Clause::Effect(effect) => {
                            let lines = &event.effect_lines;
                            assert!(
                                event.effects.is_some(),
                                "{name}: `{}` is not in the model",
                                line_of(effect.span)
                            );
                            let written = action
                                .clauses
                                .iter()
                                .filter(|c| matches!(c, Clause::Effect(_)))
                                .count();
                            assert_eq!(
                                lines.len(),
                                written,
                                "{name}: `{}` gives {written} effect lines, the model has {lines:?}",
                                action.command.text
                            );
                            assert!(
                                explained.contains(&lines.join("; ")),
                                "{name}: --explain leaves out the effects of `{}`",
                                event.name
                            );
                            effects_seen += 1;
                        }
                        Clause::Guard { .. } => {}
                    }
                }
            }
        }
    }
    println!(
        "accounted for {guards_seen} guards, {sources_seen} sources, {effects_seen} effect lines and {definitions_seen} query definitions"
    );
    // The walk saw the rules it is about (it cannot pass on specs it misread).
    assert!(guards_seen > 150 && sources_seen > 10 && effects_seen > 100 && definitions_seen > 50);
}
