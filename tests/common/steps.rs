//! Random commands run through the reference evaluator and written as
//! scenarios in its words, for the generated crates' own tests to hold
//! them to (`tests/differential.rs`, `tests/mutants.rs`).

use esgen::eval::scenarios::fact_words as fact;
use esgen::eval::{Value, World};
use esgen::model::ir::{self, Literal, Type};
use esgen::source::Source;
use std::fmt::Write as _;

/// A small, seeded generator (xorshift64*): the same seed, the same run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// A random value of `ty`, as a literal, or `None` for a type commands
/// cannot carry in a scenario (an entity).
pub fn literal(rng: &mut Rng, ty: &Type, model: &ir::Model, spec: &ir::Spec) -> Option<Literal> {
    Some(match ty {
        Type::Text => Literal::Text((*rng.pick(&["a", "b", " ", "long text"])?).to_string()),
        Type::Integer => Literal::Integer(*rng.pick(&[0, 1, 2, -1, 40, i64::MAX, i64::MIN + 1])?),
        Type::Number => Literal::Number((*rng.pick(&["0.5", "2.5", "-1.5", "100"])?).into()),
        Type::Decimal => Literal::Decimal(
            (*rng.pick(&[
                "0",
                "1.5",
                "12.50",
                "-2.25",
                "79228162514264337593543950335",
            ])?)
            .into(),
        ),
        Type::Boolean => Literal::Boolean(rng.below(2) == 0),
        Type::Date => rng
            .pick(&[
                Literal::Date(2026, 12, 1),
                Literal::Date(2026, 12, 7),
                Literal::Date(2024, 2, 29),
            ])?
            .clone(),
        Type::Timestamp => Literal::Timestamp(
            (*rng.pick(&["2026-12-01T09:00:00Z", "2026-12-01T10:00:00.5+01:00"])?).into(),
        ),
        Type::Id(of) => Literal::Id(format!("{of}Id"), (*rng.pick(&["k1", "k2", "k3"])?).into()),
        Type::Choice(rust) => {
            let choice = model
                .choices
                .iter()
                .chain(spec.models.iter().flat_map(|m| &m.choices))
                .find(|c| c.rust == *rust)?;
            let (word, variant) = rng.pick(&choice.values)?.clone();
            Literal::Choice(rust.clone(), variant, word)
        }
        Type::Optional(inner) => {
            if rng.below(3) == 0 {
                Literal::Nothing
            } else {
                literal(rng, inner, model, spec)?
            }
        }
        Type::List(inner) => {
            let n = rng.below(3);
            let mut items = Vec::new();
            for _ in 0..n {
                items.push(literal(rng, inner, model, spec)?);
            }
            Literal::List(items)
        }
        Type::Entity(_) | Type::Map(..) | Type::Event(_) => return None,
    })
}

/// What one spec's run made.
#[derive(Default)]
pub struct Figures {
    /// Commands run.
    pub commands: usize,
    /// Of those, accepted.
    pub accepted: usize,
    /// Outcomes and answers the crate is held to.
    pub comparisons: usize,
}

/// Random steps for every fully declared model of `spec`, as scenario
/// text per model (the model's index, its scenarios).
pub fn steps(spec: &ir::Spec, rng: &mut Rng, count: usize, figures: &mut Figures) -> Vec<String> {
    let mut world = World::new(spec);
    let mut accepted: Vec<Vec<String>> = vec![Vec::new(); spec.models.len()];
    let mut text = vec![String::new(); spec.models.len()];
    let runnable: Vec<usize> = spec
        .models
        .iter()
        .enumerate()
        .filter(|(_, m)| m.fully_declared() && !m.commands.is_empty())
        .map(|(i, _)| i)
        .collect();
    if runnable.is_empty() {
        return text;
    }
    for step in 0..count {
        let index = *rng.pick(&runnable).unwrap_or(&runnable[0]);
        let model = &spec.models[index];
        // Actions that add an entity are picked more often: without
        // entities, most commands are only rejected as not found.
        let adding: Vec<usize> = (0..model.commands.len())
            .filter(|c| {
                let event = model.event_of(&model.commands[*c]);
                event
                    .effects
                    .iter()
                    .flatten()
                    .any(|e| matches!(e, ir::Effect::Adds { .. }))
            })
            .collect();
        let command = if !adding.is_empty() && rng.below(3) == 0 {
            *rng.pick(&adding).unwrap_or(&adding[0])
        } else {
            rng.below(model.commands.len())
        };
        let c = &model.commands[command];
        // A model that reads the clock runs each step on a day of the pool
        // its dates come from, so that `today` meets them.
        let today = model.reads_clock().then(|| {
            let day = *rng
                .pick(&["2026-12-01", "2026-12-07", "2026-12-03"])
                .unwrap_or(&"2026-12-01");
            let at = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc();
            world.fix_clock(at);
            day
        });
        let Some(literals) = c
            .params
            .iter()
            .map(|p| literal(rng, &p.ty, model, spec))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let args = Value::all(c.params.iter().zip(&literals));
        // What each service the model asks answers this time: a value of
        // its query's type, or, once in five, nothing at all.
        let mut answers = Vec::new();
        for (service_at, service) in model.services.iter().enumerate() {
            if rng.below(5) == 0 {
                world.answer(index, service_at, None);
                answers.push(format!("{} cannot answer", service.name));
                continue;
            }
            for (query_at, query) in service.queries.iter().enumerate() {
                let Some(said) = literal(rng, &query.returns, model, spec) else {
                    continue;
                };
                let value = Value::from_literal(&said, &query.returns);
                answers.push(format!(
                    "{} answers {} {}",
                    service.name,
                    query.name,
                    value.words()
                ));
                world.answer(index, service_at, Some((query_at, value)));
            }
        }
        let Ok(outcome) = world.propose(index, command, &args) else {
            continue;
        };
        figures.commands += 1;
        let out = &mut text[index];
        let _ = writeln!(out, "  - step {step}");
        let mut first = true;
        if let Some(day) = today {
            let _ = writeln!(out, "    given today is \"{day}\"");
            first = false;
        }
        for given in &accepted[index] {
            let _ = writeln!(out, "    {} {given}", if first { "given" } else { "and" });
            first = false;
        }
        for ask in &model.asks {
            let other = spec.models.iter().position(|m| m.name == ask.name).unwrap();
            for given in &accepted[other] {
                let word = if first { "given" } else { "and" };
                let _ = writeln!(out, "    {word} {given} in {}", ask.name);
                first = false;
            }
        }
        for answer in &answers {
            let _ = writeln!(out, "    {} {answer}", if first { "given" } else { "and" });
            first = false;
        }
        let _ = writeln!(out, "    when {}", fact(&c.name, &c.params, &args));
        let event = model.event_of(c);
        match &outcome {
            Ok(values) => {
                let _ = writeln!(out, "    then {}", fact(&event.name, &event.fields, values));
                world.accept(index, c.event, values).unwrap();
                accepted[index].push(fact(&event.name, &event.fields, values));
                figures.accepted += 1;
            }
            Err(r) => {
                let _ = writeln!(
                    out,
                    "    then rejected by {} as {}: {:?}",
                    r.rule,
                    r.kind.word(),
                    r.message
                );
            }
        }
        figures.comparisons += 1;
        for (q, query) in model.queries.iter().enumerate() {
            let Some(args) = query
                .params
                .iter()
                .map(|p| literal(rng, &p.ty, model, spec))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            let values = Value::all(query.params.iter().zip(&args));
            let Ok(answer) = world.query(index, q, &values) else {
                continue;
            };
            let written = if values.is_empty() {
                String::new()
            } else {
                let words: Vec<String> = values.iter().map(Value::words).collect();
                format!(" [{}]", words.join(", "))
            };
            let _ = writeln!(
                out,
                "    and {}{written} is {}",
                query.name,
                answer.keyed().words()
            );
            figures.comparisons += 1;
        }
    }
    text
}

/// `spec` with each model's new scenarios added to its `Scenarios:`
/// section (made at the model's end when it has none).
pub fn with_scenarios(spec: &str, name: &str, added: &[String]) -> String {
    let source = Source::new(name, spec);
    let (file, _) = esgen::syntax::parse(&source);
    // (offset, text) insertions, applied from the last.
    let mut inserts: Vec<(usize, String)> = Vec::new();
    for (index, model) in file.models.iter().enumerate() {
        let Some(text) = added.get(index).filter(|t| !t.is_empty()) else {
            continue;
        };
        let header = model
            .sections
            .iter()
            .find(|s| s.kind == esgen::syntax::ast::SectionKind::Scenarios);
        match header {
            Some(h) => {
                let end = spec[h.span.end..]
                    .find('\n')
                    .map_or(spec.len(), |i| h.span.end + i + 1);
                inserts.push((end, text.clone()));
            }
            None => {
                let end = file.models.get(index + 1).map_or(spec.len(), |next| {
                    spec[..next.name.span.start]
                        .rfind('\n')
                        .map_or(0, |i| i + 1)
                });
                let lead = if spec[..end].ends_with('\n') {
                    ""
                } else {
                    "\n"
                };
                inserts.push((end, format!("{lead}Scenarios:\n{text}")));
            }
        }
    }
    let mut out = spec.to_string();
    inserts.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    for (at, text) in inserts {
        out.insert_str(at, &text);
    }
    out
}

/// The specs: every form of comparison, the rule fixtures, and the
/// committed examples whose models are all rules.
pub fn rule_specs() -> Vec<(String, String)> {
    let mut found = vec![("matrix".to_string(), super::matrix::spec())];
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
        let path = super::root().join(format!("tests/fixtures/rules/{name}.ddd"));
        found.push((name.into(), std::fs::read_to_string(path).unwrap()));
    }
    for name in [
        "todos",
        "clinic",
        "accounts",
        "practice",
        "warehouse",
        "bank",
        "delivery",
    ] {
        let path = super::root().join(format!("specs/{name}.ddd"));
        found.push((name.into(), std::fs::read_to_string(path).unwrap()));
    }
    found
}

/// The seed of a run: `var`, else `PROPTEST_RNG_SEED` (as in CI), else
/// the clock.
pub fn seed(var: &str) -> u64 {
    let from = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    from(var)
        .or_else(|| from("PROPTEST_RNG_SEED"))
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        })
        .max(1)
}
