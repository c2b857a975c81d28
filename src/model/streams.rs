//! Streams: how a model's events are split for storage. A command must
//! see every event its rules read, so a model is one stream unless each of
//! its actions carries the key of one entity and its guards, field sources
//! and effects touch only that entity: then each entity is its own stream,
//! and a command loads only its entity's events.
//!
//! The pass reads the checked rules, decides, and says why — naming the
//! action or rule that keeps a model whole.

use super::ir::{Condition, Derived, Effect, Expr, Model, StreamKey, Streams};
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use crate::syntax::ast;

/// The streams of a checked model: as its `Streams:` line asks, if the
/// rules allow it (else an error), or as the rules allow.
pub(super) fn apply(ast: &ast::Model, model: &Model, diagnostics: &mut Vec<Diagnostic>) -> Streams {
    let decided = decide(model);
    let mut requests = ast.streams.iter();
    let Some(request) = requests.next() else {
        return decided;
    };
    for again in requests {
        diagnostics.push(
            Diagnostic::error(codes::STREAMS_NOT_ALLOWED, "`Streams:` is given twice")
                .at_labelled(again.span, "again here")
                .with_label(request.span, "first here")
                .with_help("keep one `Streams:` line per model"),
        );
    }
    let Some(per) = &request.per else {
        return whole(None, "the spec asks for one stream (`Streams: one`)");
    };
    let error = |message: String, label: &str, help: String| {
        Diagnostic::error(codes::STREAMS_NOT_ALLOWED, message)
            .at_labelled(request.span, label.to_string())
            .with_help(help)
    };
    let Some(entity) = model.entities.iter().position(|e| e.name == per.text) else {
        let names = model.entities.iter().map(|e| e.name.as_str());
        let help = match did_you_mean(&per.text, names.clone()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "the entities of `{}` are: {}",
                model.name,
                names.collect::<Vec<_>>().join(", ")
            ),
        };
        diagnostics.push(error(
            format!("`{}` has no entity `{}`", model.name, per.text),
            "not one of its entities",
            help,
        ));
        return decided;
    };
    let wrong = match &decided {
        Streams::Whole { action, reason } => Some((*action, reason.clone())),
        Streams::PerEntity { keys } => keys
            .iter()
            .zip(&model.commands)
            .enumerate()
            .find(|(_, (key, _))| {
                model.state.as_deref().unwrap_or_default()[key.store].entity != entity
            })
            .map(|(index, (key, command))| {
                (
                    Some(index),
                    format!(
                        "`{}` is about a `{}`, not a `{}`",
                        command.name,
                        model.store_entity(key.store).name,
                        per.text
                    ),
                )
            }),
    };
    if let Some((action, reason)) = wrong {
        let mut diagnostic = error(
            format!(
                "`{}` cannot be one stream per `{}`: {reason}",
                model.name, per.text
            ),
            "the rules do not allow this",
            format!(
                "a command must see every event its rules read: make each action carry one `{}`'s key and touch only that `{}`, or remove this line to let esgen decide (`esgen check --explain` says what it decided and why)",
                per.text, per.text
            ),
        );
        if let Some(action) = action.and_then(|i| ast.actions.get(i)) {
            diagnostic =
                diagnostic.with_label(action.command.span, "this action keeps the model whole");
        }
        diagnostics.push(diagnostic);
    }
    decided
}

/// Reports a materialized table that would have the name of another
/// model's (`a_b` + `c` and `a` + `b_c` are both `a_b_c`).
pub(super) fn tables_apart(
    ast: &ast::Model,
    model: &Model,
    seen: &mut Vec<(String, String, crate::source::Span)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Streams::PerEntity { keys } = &model.streams else {
        return;
    };
    for key in keys {
        let table = model.table(key.store);
        if let Some((_, other, span)) = seen
            .iter()
            .find(|(t, m, _)| *t == table && *m != model.name)
        {
            diagnostics.push(
                Diagnostic::error(
                    codes::NAME_COLLISION,
                    format!(
                        "models `{other}` and `{}` would both keep their materialized table in `{table}`",
                        model.name
                    ),
                )
                .at_labelled(ast.name.span, "its table is named from its module and its entities' plural")
                .with_label(*span, "so is this one's")
                .with_help("rename one of the models or one of the entities"),
            );
            return;
        }
        if !seen.iter().any(|(t, _, _)| *t == table) {
            seen.push((table, model.name.clone(), ast.name.span));
        }
    }
}

/// Decides the streams of a checked model from its rules.
pub(super) fn decide(model: &Model) -> Streams {
    let Some(stores) = model.state.as_deref() else {
        return whole(
            None,
            "its behaviour is written by hand, and esgen cannot see what that code reads",
        );
    };
    if model.commands.is_empty() {
        return whole(None, "it has no actions");
    }
    let mut keys = Vec::new();
    for (index, command) in model.commands.iter().enumerate() {
        let mut found = None;
        let mut why = None;
        // Each parameter that is the key of an entity the model holds.
        for param in &command.params {
            let Some(store) = stores
                .iter()
                .position(|s| model.entities[s.entity].fields[0].term == param.term)
            else {
                continue;
            };
            match touches_only(model, index, store, &param.rust) {
                Ok(()) => {
                    found = Some(StreamKey {
                        store,
                        param: param.rust.clone(),
                        term: param.term.clone(),
                    });
                    break;
                }
                Err(reason) => why = why.or(Some(reason)),
            }
        }
        match found {
            Some(key) => keys.push(key),
            None => {
                let reason = why.unwrap_or_else(|| {
                    format!(
                        "`{}` carries no entity's key, so it could touch any of them",
                        command.name
                    )
                });
                return whole(Some(index), &reason);
            }
        }
    }
    Streams::PerEntity { keys }
}

fn whole(action: Option<usize>, reason: &str) -> Streams {
    Streams::Whole {
        action,
        reason: reason.to_string(),
    }
}

/// Whether the command `index`, keyed by its parameter `param` on the
/// entity of `store`, reads and changes only that entity; else why not.
fn touches_only(model: &Model, index: usize, store: usize, param: &str) -> Result<(), String> {
    let command = &model.commands[index];
    let entity = &model.entities[model.state.as_deref().unwrap_or_default()[store].entity];
    let plural = &model.state.as_deref().unwrap_or_default()[store].plural;
    let scope = Scope {
        model,
        store,
        keys: vec![param.to_string()],
        plural,
        entity: &entity.name,
    };
    for guard in &command.guards {
        scope
            .condition(&guard.condition)
            .map_err(|what| format!("`{}` reads {what}: `{}`", command.name, guard.spec_line))?;
    }
    let Some(proposing) = &command.proposing else {
        return Err(format!(
            "`{}` is proposed by code written by hand",
            command.name
        ));
    };
    // The event's fields that hold the key: effects find the entity by
    // them.
    let mut event_keys = Vec::new();
    for field in proposing {
        scope.expr(&field.expr).map_err(|what| {
            format!(
                "`{}` reads {what} for `{}`: `{} = {}`",
                command.name, field.term, field.term, field.spec
            )
        })?;
        if matches!(&field.expr, Expr::Input { rust, .. } if rust == param) {
            event_keys.push(field.field.clone());
        }
    }
    let event = model.event_of(command);
    let Some(effects) = &event.effects else {
        return Err(format!(
            "`{}` is accepted by code written by hand",
            event.name
        ));
    };
    let scope = Scope {
        keys: event_keys,
        ..scope
    };
    for (effect, line) in effects.iter().zip(&event.effect_lines) {
        scope
            .effect(effect)
            .map_err(|what| format!("`{}` changes {what}: `{line}`", event.name))?;
    }
    Ok(())
}

/// What a command keyed on one entity may read: its parameters, and that
/// entity by its key.
#[derive(Clone)]
struct Scope<'m> {
    model: &'m Model,
    store: usize,
    /// The Rust names of the inputs that hold the key.
    keys: Vec<String>,
    plural: &'m str,
    entity: &'m str,
}

impl Scope<'_> {
    fn is_key(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Input { rust, .. } if self.keys.contains(rust))
    }

    fn condition(&self, condition: &Condition) -> Result<(), String> {
        condition
            .exprs()
            .into_iter()
            .try_for_each(|expr| self.expr(expr))
    }

    fn expr(&self, expr: &Expr) -> Result<(), String> {
        match expr {
            Expr::Input { .. } | Expr::Item { .. } | Expr::Literal { .. } | Expr::Clock { .. } => {
                Ok(())
            }
            Expr::FieldOf { store, key, .. } if *store == self.store && self.is_key(key) => Ok(()),
            Expr::FieldOf { store, .. } => Err(self.other(*store)),
            Expr::All { .. } => Err(format!("every one of the {}", self.plural)),
            Expr::Own { .. } => {
                Err("the model's own `State:`, which every stream would need".to_string())
            }
            Expr::IdsOf { of, .. } => self.expr(of),
            Expr::Arith { left, right, .. } => {
                self.expr(left)?;
                self.expr(right)
            }
            // Another model's answer: nothing of this model's state.
            Expr::Asked { args, .. } | Expr::Served { args, .. } => {
                args.iter().try_for_each(|a| self.expr(a))
            }
            Expr::Call { method, args, .. } => {
                let query = self.model.queries.iter().find(|q| q.method == *method);
                match query.and_then(|q| q.derived.as_ref().map(|d| (q, d))) {
                    Some((
                        _,
                        Derived::Has { store, .. }
                        | Derived::Get { store, .. }
                        | Derived::Field { store, .. },
                    )) if *store == self.store && args.iter().all(|a| self.is_key(a)) => Ok(()),
                    Some((
                        _,
                        Derived::Has { store, .. }
                        | Derived::Get { store, .. }
                        | Derived::Field { store, .. },
                    )) if *store != self.store => Err(self.other(*store)),
                    Some((
                        query,
                        Derived::Select { .. } | Derived::Count { .. } | Derived::Sum { .. },
                    )) => Err(format!(
                        "`{}`, which looks at every one of them",
                        query.name
                    )),
                    Some((query, _)) => Err(format!("`{}` of another {}", query.name, self.entity)),
                    None => Err(format!(
                        "`{}`, a query written by hand",
                        query.map_or(method.as_str(), |q| q.name.as_str())
                    )),
                }
            }
        }
    }

    fn effect(&self, effect: &Effect) -> Result<(), String> {
        match effect {
            Effect::When { condition, then } => {
                self.condition(condition)?;
                self.effect(then)
            }
            Effect::Adds { store, fields } if *store == self.store => match fields.first() {
                Some((_, key)) if self.is_key(key) => Ok(()),
                _ => Err(format!("a {} by another key", self.entity)),
            },
            Effect::Sets { store, key, .. }
            | Effect::Changes { store, key, .. }
            | Effect::Removes { store, key }
                if *store == self.store && self.is_key(key) =>
            {
                Ok(())
            }
            Effect::Adds { store, .. }
            | Effect::Sets { store, .. }
            | Effect::Changes { store, .. }
            | Effect::Removes { store, .. }
                if *store != self.store =>
            {
                Err(self.other(*store))
            }
            Effect::RemovesEach { .. } => Err(format!("several {}", self.plural)),
            Effect::SetsOwn { .. } | Effect::ChangesOwn { .. } => {
                Err("the model's own `State:`, which every stream would need".to_string())
            }
            _ => Err(format!("another {}", self.entity)),
        }
    }

    /// "a `Doctor`": an entity of another store.
    fn other(&self, store: usize) -> String {
        format!("a `{}` too", self.model.store_entity(store).name)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::ir::Streams;
    use crate::source::Source;

    const ACCOUNTS: &str = "Model: Accounts
Entity: Account [id owner balance open?]
Entity: Branch [branch-id city]
Terms:
  - balance: integer, default 0
  - amount: integer
  - open?: boolean, default yes
Queries:
  - has-account? [id]
  - open-accounts = accounts where open?
Actions:
  - open [id owner] accepted as opened [id owner]
    rejected if has-account? [id]: \"taken\"
    adds Account
  - deposit [id amount] accepted as deposited [id amount]
    rejected unless open? of Account [id]: \"closed\"
    increases balance of Account [id] by amount
  - close [id] accepted as closed [id]
    sets open? of Account [id] to no
  - found [branch-id city] accepted as founded [branch-id city]
    adds Branch
";

    fn streams(text: &str) -> Streams {
        let (spec, diagnostics) = crate::check(&Source::new("s.ddd", text));
        let spec = spec.unwrap_or_else(|| panic!("{diagnostics:?}"));
        spec.models[0].streams.clone()
    }

    fn reason(text: &str) -> String {
        match streams(text) {
            Streams::Whole { reason, .. } => reason,
            other => panic!("split: {other:?}"),
        }
    }

    #[test]
    fn actions_that_each_touch_one_entity_split_the_model() {
        let Streams::PerEntity { keys } = streams(ACCOUNTS) else {
            panic!("whole");
        };
        let keyed: Vec<(usize, &str)> = keys.iter().map(|k| (k.store, k.term.as_str())).collect();
        assert_eq!(keyed, [(0, "id"), (0, "id"), (0, "id"), (1, "branch-id")]);
    }

    #[test]
    fn what_keeps_a_model_whole_is_named() {
        let transfer = ACCOUNTS.replace(
            "  - found",
            "  - transfer [id amount branch-id] accepted as transferred [id amount branch-id]
    rejected unless has-account? [id]: \"no\"
    rejected if city of Branch [branch-id] is \"Paris\": \"no\"
    changes nothing
  - found",
        );
        assert_eq!(
            reason(&transfer),
            "`transfer` reads a `Branch` too: `rejected if city of Branch [branch-id] is \"Paris\": \"no\"`"
        );
        let sweep = ACCOUNTS.replace(
            "  - found",
            "  - sweep [] accepted as swept [ids]
    ids = ids of open-accounts
    removes each Account [ids]
  - found",
        );
        assert_eq!(
            reason(&sweep),
            "`sweep` carries no entity's key, so it could touch any of them"
        );
        let counted = ACCOUNTS.replace(
            "rejected unless open? of Account [id]: \"closed\"",
            "rejected if open-accounts is []: \"none\"",
        );
        assert!(
            reason(&counted)
                .starts_with("`deposit` reads `open-accounts`, which looks at every one of them"),
            "{}",
            reason(&counted)
        );
        let by_hand = "Model: Notes\nActions:\n  - write [id text] accepted as written [id text]\n";
        assert!(reason(by_hand).contains("written by hand"));
    }

    #[test]
    fn table_names_fit_postgres() {
        let long = |entity: &str| {
            format!(
                "Model: A-Very-Long-Model-Name-For-A-Bank-Of-Many-Branches\nEntity: {entity} [id]\nActions:\n  - open [id] accepted as opened [id]\n    adds {entity}\n"
            )
        };
        let table = |text: &str| {
            let (spec, diagnostics) = crate::check(&Source::new("s.ddd", text));
            let spec = spec.unwrap_or_else(|| panic!("{diagnostics:?}"));
            spec.models[0].table(0)
        };
        let short = table(ACCOUNTS);
        assert_eq!(short, "accounts_accounts");
        let a = table(&long("Extraordinarily-Long-Account-Entity-Name-One"));
        let b = table(&long("Extraordinarily-Long-Account-Entity-Name-Two"));
        assert!(a.len() <= 63 && b.len() <= 63, "{a} {b}");
        assert_ne!(a, b);
    }

    #[test]
    fn two_models_cannot_share_a_table() {
        let text = "Model: A-B\nEntity: C [id]\nActions:\n  - open [id] accepted as opened [id]\n    adds C\nModel: A\nEntity: B-C [b-c-id]\nActions:\n  - start [b-c-id] accepted as started [b-c-id]\n    adds B-C\n";
        let (spec, diagnostics) = crate::check(&Source::new("s.ddd", text));
        assert!(spec.is_none());
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(
            diagnostics[0].message.contains("`a_b_cs`"),
            "{diagnostics:?}"
        );
    }
}
