//! The scenarios of a spec as a test file of its crate
//! (`tests/scenarios.rs`): one module per model with scenarios, one
//! `#[test]` per scenario, run against the model as the crate defines it,
//! and a small harness that reports a failure in the spec's words.

use super::behaviour::string;
use super::expr::Expr;
use super::rust::{call, inert};
use crate::model::ir::{Fact, Literal, Model, Outcome, Scenario, Spec, Type};
use crate::model::names;

/// What `templates/scenarios.rs` shows.
pub struct ScenariosView {
    /// The spec's file name, as a Rust string literal.
    pub spec_file: String,
    /// The spec's file name, made inert, for docs.
    pub spec_doc: String,
    /// The crate's library name, as a path root (`::todos`).
    pub root: String,
    /// The identity types (`TodoId`).
    pub identities: Vec<String>,
    /// The harness's module name (`harness`).
    pub harness: String,
    /// The models with scenarios.
    pub models: Vec<ModelScenarios>,
    /// Some event has fields (the `Fact` words builder is used).
    pub facts: bool,
    /// A model's rules ask another model or a service outside the spec
    /// (the harness carries them).
    pub others: bool,
    /// A model's rules ask a service outside the spec (the harness waits
    /// for its answers).
    pub served: bool,
    /// `given <event>` of a scenario's own model is used.
    pub given: bool,
    /// `given <event> in <Model>` is used.
    pub given_others: bool,
    /// `then <event>` is used.
    pub then_event: bool,
    /// `then accepted` is used.
    pub then_accepted: bool,
    /// `then rejected` is used.
    pub then_rejected: bool,
    /// `and <query> is …` is used.
    pub answers: bool,
    /// An answer holds entities (the `Keys` trait is used).
    pub keys: bool,
    /// A scenario fixes the clock (`Run::fix_clock`).
    pub clock: bool,
    /// A scenario expects a history query's answer (the runs keep their
    /// events).
    pub history: bool,
    /// A scenario expects a grouped query's answer (`Words`, and `Keys`
    /// when `keys`, for `BTreeMap`).
    pub maps: bool,
    /// The crate's types use decimals (`Words` for `Decimal`).
    pub decimal: bool,
    /// The crate's types use dates (`Words` for `NaiveDate`).
    pub date: bool,
    /// The crate's types use timestamps (`Words` for `DateTime<Utc>`).
    pub timestamp: bool,
    /// A scenario writes a date or a timestamp (the helpers are used).
    pub date_values: bool,
    /// As above.
    pub timestamp_values: bool,
}

/// One model's scenarios.
pub struct ModelScenarios {
    /// The test module's name (the model's module).
    pub module: String,
    /// The aggregate's type name.
    pub rust: String,
    /// `use` lines the tests need beyond the glob.
    pub uses: Vec<String>,
    /// Match arms of `Words` for the event enum, laid out.
    pub event_arms: Vec<String>,
    /// Choice types (`impl Words`).
    pub choices: Vec<String>,
    /// Entities: (type, key field, key type).
    pub entities: Vec<(String, String, String)>,
    /// An answer holds entities (the `Keys` trait is used).
    pub keys: bool,
    /// A scenario writes a date (the `date` helper is used).
    pub date_values: bool,
    /// A scenario writes a timestamp (the `timestamp` helper is used).
    pub timestamp_values: bool,
    /// When its rules read the clock: its state's type, whose clock a
    /// scenario fixes.
    pub clock: Option<String>,
    /// A scenario expects a history query's answer (`Keys` for its event
    /// enum: each event by its name).
    pub history: bool,
    /// The tests.
    pub tests: Vec<TestView>,
    /// The other models its rules ask, as a tuple type (`(Patients,)`),
    /// or what stands in for the services it asks (`Answers`).
    pub others: String,
    /// What stands in for the services outside the spec its rules ask:
    /// the `Answers` struct and its impls, rendered.
    pub answers: Option<String>,
    /// The harness's `propose`, laid out.
    pub propose: String,
}

/// One scenario's test.
pub struct TestView {
    /// Doc line.
    pub doc: String,
    /// `fn <name>() {`, laid out.
    pub head: String,
    /// Its body, laid out, at an indent of 8.
    pub body: String,
}

impl ScenariosView {
    /// The view of a spec whose models have scenarios, `None` when none
    /// has any.
    pub fn new(spec: &Spec) -> Option<Self> {
        if spec.models.iter().all(|m| m.scenarios.is_empty()) {
            return None;
        }
        let root = format!("::{}", spec.crate_name.replace('-', "_"));
        let all = || spec.models.iter().flat_map(|m| &m.scenarios);
        let crates = super::views::TypeCrates::of(spec);
        // The harness's module, named apart from the models' modules.
        let mut harness = String::from("harness");
        while spec
            .models
            .iter()
            .any(|m| !m.scenarios.is_empty() && names::unraw(&m.module) == harness)
        {
            harness.push('_');
        }
        let models: Vec<ModelScenarios> = spec
            .models
            .iter()
            .filter(|m| !m.scenarios.is_empty())
            .map(|m| ModelScenarios::new(spec, m, &root, &harness))
            .collect();
        let others = spec
            .models
            .iter()
            .any(|m| !m.scenarios.is_empty() && (!m.asks.is_empty() || !m.services.is_empty()));
        let served = spec
            .models
            .iter()
            .any(|m| !m.scenarios.is_empty() && !m.services.is_empty());
        let then = |f: fn(&Outcome) -> bool| all().any(|s| f(&s.then));
        Some(ScenariosView {
            spec_file: string(&spec.file_name),
            spec_doc: inert(&spec.file_name),
            identities: spec.identities.iter().map(|i| i.rust.clone()).collect(),
            facts: spec
                .models
                .iter()
                .filter(|m| !m.scenarios.is_empty())
                .any(|m| m.events.iter().any(|e| !e.fields.is_empty())),
            others,
            served,
            given: all().any(|s| s.given.iter().any(|f| f.ask.is_none())),
            given_others: all()
                .any(|s| s.given.iter().any(|f| f.ask.is_some()) || !s.answers.is_empty()),
            then_event: then(|o| matches!(o, Outcome::Event { .. })),
            then_accepted: then(|o| matches!(o, Outcome::Accepted)),
            then_rejected: then(|o| matches!(o, Outcome::Rejected { .. })),
            answers: all().any(|s| !s.expects.is_empty()),
            keys: models.iter().any(|m| m.keys),
            clock: spec
                .models
                .iter()
                .any(|m| m.scenarios.iter().any(|s| s.clock.is_some())),
            history: spec.models.iter().any(history_expected),
            maps: spec.models.iter().any(|m| {
                m.scenarios
                    .iter()
                    .flat_map(|s| &s.expects)
                    .any(|e| matches!(m.queries[e.query].returns, Type::Map(..)))
            }),
            decimal: crates.decimal,
            date: crates.date,
            timestamp: crates.timestamp,
            date_values: models.iter().any(|m| m.date_values),
            timestamp_values: models.iter().any(|m| m.timestamp_values),
            root,
            harness,
            models,
        })
    }
}

/// `given <event> […] in <Model>`: the event, built where that model's
/// types are in scope, accepted by the model the rules ask.
fn foreign_given(spec: &Spec, model: &Model, ask: usize, fact: &Fact, root: &str) -> String {
    let asked = &model.asks[ask];
    let Some(other) = spec.models.iter().find(|m| m.name == asked.name) else {
        return String::new();
    };
    let event = &other.events[fact.index];
    let mut out = String::from("        run.others(|others| {\n");
    out.push_str(&format!(
        "            use {root}::generated::{}::*;\n",
        other.module
    ));
    out.push_str(&fact_expr(&event.rust, fact).assign(12, "let event", ";\n"));
    out.push_str(&call(
        12,
        &format!("{}Aggregate::accept", other.rust),
        &[format!("&mut others.{ask}"), "&event.into()".to_string()],
        ";\n",
    ));
    out.push_str("        });\n");
    out
}

fn has_entity(ty: &Type) -> bool {
    match ty {
        Type::Entity(_) => true,
        Type::Event(_) => true,
        Type::List(inner) | Type::Optional(inner) | Type::Map(_, inner) => has_entity(inner),
        _ => false,
    }
}

pub(super) fn literal_kinds(value: &Literal, out: &mut Vec<&'static str>) {
    match value {
        Literal::List(items) => items.iter().for_each(|i| literal_kinds(i, out)),
        Literal::Decimal(_) => out.push("decimal"),
        Literal::Date(..) => out.push("date"),
        Literal::Timestamp(_) => out.push("timestamp"),
        _ => {}
    }
}

impl ModelScenarios {
    fn new(spec: &Spec, model: &Model, root: &str, harness: &str) -> Self {
        let generated = format!("{root}::generated::{}", model.module);
        let mut values = Vec::new();
        for scenario in &model.scenarios {
            for fact in scenario.given.iter().chain([&scenario.when]) {
                fact.values
                    .iter()
                    .for_each(|(_, v)| literal_kinds(v, &mut values));
            }
            match &scenario.then {
                Outcome::Event { fact } => {
                    fact.values
                        .iter()
                        .for_each(|(_, v)| literal_kinds(v, &mut values));
                }
                Outcome::Rejected { .. } | Outcome::Accepted => {}
            }
            for expect in &scenario.expects {
                expect
                    .args
                    .iter()
                    .for_each(|v| literal_kinds(v, &mut values));
                literal_kinds(&expect.value, &mut values);
            }
            if scenario.clock.is_some() {
                values.push("timestamp");
            }
        }
        let mut uses = vec![
            format!("use super::{harness};"),
            format!("use {generated}::*;"),
            format!("use {root}::generated::Rejection;"),
            format!("use {root}::{}::{};", model.module, model.rust),
        ];
        // `Decimal` comes with the model's module, which re-exports the
        // types its fields use (and another model's, inside its `given`).
        let helpers: Vec<&str> = ["date", "timestamp"]
            .into_iter()
            .filter(|h| values.contains(h))
            .collect();
        match helpers.as_slice() {
            [] => {}
            [one] => uses.push(format!("use super::{harness}::{one};")),
            _ => uses.push(format!("use super::{harness}::{{date, timestamp}};")),
        }
        let keys = model.scenarios.iter().any(|s| {
            s.expects
                .iter()
                .any(|e| has_entity(&model.queries[e.query].returns))
        });
        if keys {
            uses.push(format!("use super::{harness}::Keys as _;"));
        }
        uses.sort_by_key(|line| super::rust::use_order(line));
        let mut event_arms: Vec<String> = model
            .events
            .iter()
            .map(|event| {
                let pattern = format!("{}Event::{}", model.rust, event.rust);
                if event.fields.is_empty() {
                    return format!(
                        "                {pattern}(_) => String::from({}),",
                        string(&format!("{} []", event.name))
                    );
                }
                let mut arm = format!("                {pattern}(event) => {{\n");
                arm.push_str(&call(
                    20,
                    &format!("let mut words = {harness}::Fact::new"),
                    &[string(&event.name)],
                    ";\n",
                ));
                for field in &event.fields {
                    arm.push_str(&call(
                        20,
                        "words.field",
                        &[string(&field.term), format!("&event.{}", field.rust)],
                        ";\n",
                    ));
                }
                arm.push_str("                    words.end()\n                }");
                arm
            })
            .collect();
        if !model.retired.is_empty() {
            event_arms.push(format!(
                "                {}Event::Retired(name) => name.to_string(),",
                model.rust
            ));
        }
        let tests = model
            .scenarios
            .iter()
            .map(|scenario| TestView::new(spec, model, scenario, harness, root))
            .collect();
        let asked: Vec<String> = model
            .asks
            .iter()
            .map(|ask| format!("{root}::{}::{}", ask.module, ask.rust))
            .collect();
        let served = !model.services.is_empty();
        let others = match asked.as_slice() {
            [] if served => "Answers".to_string(),
            [] => "()".to_string(),
            [one] => format!("({one},)"),
            many => format!("({})", many.join(", ")),
        };
        let returns = "Result<Self::Event, Rejection>";
        let spec_has_others = spec
            .models
            .iter()
            .any(|m| !m.scenarios.is_empty() && (!m.asks.is_empty() || !m.services.is_empty()));
        let mut params = vec!["&self".to_string(), "command: Self::Command".to_string()];
        if spec_has_others {
            let name = if model.asks.is_empty() && !served {
                "_others"
            } else {
                "others"
            };
            params.push(format!("{name}: &Self::Others"));
        }
        let mut args = vec!["self".to_string(), "command".to_string()];
        args.extend((0..model.asks.len()).map(|i| format!("&others.{i}")));
        if served {
            args.push("others".to_string());
        }
        let proposed = call(
            12,
            &format!("{}Aggregate::propose", model.rust),
            &args,
            if served { ";\n" } else { "\n" },
        );
        let propose = if served {
            // What stands in for the services answers at once.
            format!(
                "{}{}            {harness}::ready(proposed)\n        }}",
                super::rust::signature(8, "propose", &params, Some(returns), " {\n"),
                proposed.replacen("            ", "            let proposed = ", 1),
            )
        } else {
            format!(
                "{}{}        }}",
                super::rust::signature(8, "propose", &params, Some(returns), " {\n"),
                proposed
            )
        };
        ModelScenarios {
            answers: answers_view(model),
            module: model.module.clone(),
            rust: model.rust.clone(),
            uses,
            event_arms,
            choices: model.choices.iter().map(|c| c.rust.clone()).collect(),
            entities: model
                .entities
                .iter()
                .filter_map(|e| {
                    let key = e.fields.first()?;
                    Some((e.rust.clone(), key.rust.clone(), key.ty.rust()))
                })
                .collect(),
            keys,
            date_values: values.contains(&"date"),
            timestamp_values: values.contains(&"timestamp"),
            clock: model.reads_clock().then(|| format!("{}State", model.rust)),
            history: history_expected(model),
            tests,
            others,
            propose,
        }
    }
}

impl TestView {
    fn new(spec: &Spec, model: &Model, scenario: &Scenario, harness: &str, root: &str) -> Self {
        let first = scenario.line;
        let text = &scenario.text;
        let mutable =
            if scenario.given.is_empty() && scenario.answers.is_empty() && scenario.clock.is_none()
            {
                ""
            } else {
                "mut "
            };
        let mut body = Expr::call(
            format!("{}::Run::<{}>::new", harness, model.rust),
            vec![Expr::atom(first.to_string()), Expr::atom(string(text))],
        )
        .assign(8, &format!("let {mutable}run"), ";\n");
        if let Some(at) = &scenario.clock {
            body.push_str(&format!(
                "        run.fix_clock(timestamp({}));\n",
                string(at)
            ));
        }
        for answer in &scenario.answers {
            let service = &model.services[answer.service];
            let line = match &answer.answer {
                Some((query, value)) => {
                    let q = &service.queries[*query];
                    let value = value_expr(value, &q.returns).render(0, "", "");
                    format!("answers.{} = Some({value})", answer_field(service, q))
                }
                None => format!("answers.down.push({})", string(&service.name)),
            };
            body.push_str(&format!("        run.others(|answers| {line});\n"));
        }
        for fact in &scenario.given {
            if let Some(ask) = fact.ask {
                body.push_str(&foreign_given(spec, model, ask, fact, root));
                continue;
            }
            let event = &model.events[fact.index];
            body.push_str(
                &Expr::call("run.given", vec![fact_expr(&event.rust, fact)]).render(8, "", ";\n"),
            );
        }
        let command = &model.commands[scenario.when.index];
        body.push_str(
            &Expr::call("run.when", vec![fact_expr(&command.rust, &scenario.when)])
                .assign(8, "let ran", ";\n"),
        );
        let line = Expr::atom(scenario.then_line.to_string());
        let then = match &scenario.then {
            Outcome::Event { fact } => {
                let event = &model.events[fact.index];
                Expr::call("ran.then", vec![line, fact_expr(&event.rust, fact)])
            }
            Outcome::Accepted => Expr::call("ran.then_accepted", vec![line]),
            Outcome::Rejected {
                rule,
                kind,
                message,
            } => {
                let text = |t: &Option<String>| match t {
                    Some(t) => Expr::call("Some", vec![Expr::atom(string(t))]),
                    None => Expr::atom("None"),
                };
                let kind = match kind {
                    Some(kind) => Expr::call(
                        "Some",
                        vec![Expr::atom(format!(
                            "{}::RejectionKind::{}",
                            harness,
                            kind.rust()
                        ))],
                    ),
                    None => Expr::atom("None"),
                };
                Expr::call(
                    "ran.then_rejected",
                    vec![line, text(rule), kind, text(message)],
                )
            }
        };
        body.push_str(&then.render(8, "", ";\n"));
        let history = |e: &crate::model::ir::Expect| model.queries[e.query].is_history();
        if scenario.expects.iter().any(|e| !history(e)) {
            body.push_str("        let model = ran.model();\n");
        }
        for expect in &scenario.expects {
            let query = &model.queries[expect.query];
            let args = query
                .params
                .iter()
                .zip(&expect.args)
                .map(|(param, value)| arg_expr(value, &param.ty));
            // A history is answered from the events the scenario made.
            let asked = if history(expect) {
                let events = std::iter::once(Expr::atom("ran.events()"));
                Expr::call(&query.method, events.chain(args).collect())
            } else {
                Expr::call(format!("model.{}", query.method), args.collect())
            };
            body.push_str(&asked.assign(8, "let answer", ";\n"));
            let actual = if has_entity(&query.returns) {
                "answer.keys()"
            } else {
                "answer"
            };
            body.push_str(
                &Expr::call(
                    "ran.answer",
                    vec![
                        Expr::atom(expect.line.to_string()),
                        Expr::atom(string(&query.name)),
                        Expr::atom(actual),
                        value_expr(&expect.value, &expect.ty),
                    ],
                )
                .render(8, "", ";\n"),
            );
        }
        body.truncate(body.trim_end().len());
        TestView {
            doc: format!("{} (line {first})", super::rust::prose(&scenario.title)),
            head: super::rust::test_head(4, &scenario.test),
            body,
        }
    }
}

/// `Name { field: value, … }` of a scenario's event or command.
pub(super) fn fact_expr(rust: &str, fact: &Fact) -> Expr {
    Expr::Struct(
        rust.to_string(),
        fact.values
            .iter()
            .map(|(field, value)| (field.rust.clone(), value_expr(value, &field.ty)))
            .collect(),
    )
}

/// A value of a scenario as an owned Rust value of `ty`.
pub(super) fn value_expr(value: &Literal, ty: &Type) -> Expr {
    match (value, ty) {
        (Literal::Nothing, _) => Expr::atom("None"),
        (_, Type::Optional(inner)) => Expr::call("Some", vec![value_expr(value, inner)]),
        (Literal::Text(text), _) | (Literal::Choice(_, _, text), Type::Event(_)) => {
            Expr::call("String::from", vec![Expr::atom(string(text))])
        }
        (Literal::Id(rust, text), _) => {
            Expr::call(format!("{rust}::from"), vec![Expr::atom(string(text))])
        }
        (Literal::List(items), Type::List(inner)) if !items.is_empty() => Expr::List(
            "vec![",
            items.iter().map(|item| value_expr(item, inner)).collect(),
        ),
        (Literal::List(_), _) => Expr::atom("Vec::new()"),
        (Literal::Map(entries), Type::Map(key, value)) if !entries.is_empty() => Expr::call(
            "::std::collections::BTreeMap::from",
            vec![Expr::List(
                "[",
                entries
                    .iter()
                    .map(|(k, v)| Expr::call("", vec![value_expr(k, key), value_expr(v, value)]))
                    .collect(),
            )],
        ),
        (Literal::Map(_), _) => Expr::atom("::std::collections::BTreeMap::new()"),
        (Literal::Date(y, m, d), _) => Expr::atom(format!("date({y}, {m}, {d})")),
        (Literal::Timestamp(text), _) => Expr::call("timestamp", vec![Expr::atom(string(text))]),
        (other, ty) => Expr::atom(super::behaviour::literal(other, ty)),
    }
}

/// A value of a scenario as a query's argument: borrowed where the
/// query's parameter borrows (`&str`, `&TodoId`, `&[T]`).
/// What stands in for the services outside the spec a model's rules ask,
/// in its scenarios: each query answers what `given <Service> answers …`
/// says, whatever it is asked, and a service `given … cannot answer`
/// fails.
fn answers_view(model: &Model) -> Option<String> {
    if model.services.is_empty() {
        return None;
    }
    let mut out = format!(
        "    /// What the services outside the spec that `{}` asks answer in a\n    /// scenario: what its `given … answers` lines say.\n    #[derive(Debug, Default)]\n    pub struct Answers {{\n",
        inert(&model.name)
    );
    for service in &model.services {
        for query in &service.queries {
            out.push_str(&format!(
                "        /// What `{}` answers to `{}`; `None`: nothing says.\n        pub {}: Option<{}>,\n",
                inert(&service.name),
                inert(&query.name),
                answer_field(service, query),
                query.returns.rust()
            ));
        }
    }
    out.push_str("        /// The services that cannot answer.\n        pub down: Vec<&'static str>,\n    }\n");
    out.push_str(&format!(
        "\n    impl Answers {{\n        /// What `service` answers to `query`: `answer`, unless it cannot answer\n        /// or nothing says.\n        fn answer<T>(\n            &self,\n            service: &'static str,\n            query: &str,\n            answer: Option<T>,\n        ) -> Result<T, ServiceError> {{\n            if self.down.contains(&service) {{\n                return Err({}.into());\n            }}\n            answer.ok_or_else(|| {{\n                let help = format!(\"add `given {{service}} answers {{query}} <value>`\");\n                format!(\"the scenario does not say what `{{service}}` answers: {{help}}\").into()\n            }})\n        }}\n    }}\n",
        string(crate::eval::CANNOT_ANSWER)
    ));
    for service in &model.services {
        out.push_str(&format!("\n    impl {} for Answers {{\n", service.rust));
        for (i, query) in service.queries.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let params: Vec<String> = std::iter::once("&self".to_string())
                .chain(
                    query
                        .params
                        .iter()
                        .map(|p| format!("_{}: {}", names::unraw(&p.rust), p.ty.rust_param())),
                )
                .collect();
            let returns = format!("Result<{}, ServiceError>", query.returns.rust());
            out.push_str(&super::rust::signature_with(
                8,
                "async fn",
                &query.method,
                &params,
                Some(&returns),
                " {\n",
            ));
            let field = answer_field(service, query);
            let value = if query.returns.is_copy() {
                format!("self.{field}")
            } else {
                format!("self.{field}.clone()")
            };
            out.push_str(&call(
                12,
                "self.answer",
                &[string(&service.name), string(&query.name), value],
                "\n",
            ));
            out.push_str("        }\n");
        }
        out.push_str("    }\n");
    }
    Some(out.trim_end().to_string())
}

/// The field of `Answers` that holds what `service` answers to `query`.
fn answer_field(
    service: &crate::model::ir::Service,
    query: &crate::model::ir::ServiceQuery,
) -> String {
    let service = names::snake(&names::kebab(&service.name)).unwrap_or_else(|_| "service".into());
    format!("{service}_{}", names::unraw(&query.method))
}

fn arg_expr(value: &Literal, ty: &Type) -> Expr {
    match (value, ty) {
        (_, ty) if ty.is_copy() => value_expr(value, ty),
        (Literal::Nothing, _) => Expr::atom("None"),
        (_, Type::Optional(inner)) => Expr::call("Some", vec![arg_expr(value, inner)]),
        (Literal::Text(text), _) => Expr::atom(string(text)),
        (Literal::List(items), Type::List(inner)) => Expr::List(
            "&[",
            items.iter().map(|item| value_expr(item, inner)).collect(),
        ),
        _ => match value_expr(value, ty) {
            Expr::Call(head, args) => Expr::Call(format!("&{head}"), args),
            Expr::Atom(text) => Expr::Atom(format!("&{text}")),
            other => other,
        },
    }
}

/// Whether a scenario of the model expects a history query's answer.
fn history_expected(model: &Model) -> bool {
    model
        .scenarios
        .iter()
        .flat_map(|s| &s.expects)
        .any(|e| model.queries[e.query].is_history())
}
