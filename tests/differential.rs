//! Differential testing of code generation against the reference
//! evaluator (`src/eval/`).
//!
//! For each spec below, random commands — values drawn from small pools
//! per type, so that keys collide, entities are missing, constraints break
//! and sums overflow — are run through the evaluator, step by step. Each
//! step becomes a scenario in the evaluator's words: the events accepted
//! so far as `given` (those of the models it asks as `given … in`), the
//! command as `when`, what the evaluator says it came to as `then` (the
//! event field by field, or the rejection's rule, kind and message), and
//! the answer of every query of the model as `and … is …`. The scenarios
//! are added to the spec, the spec is built into a crate, and the crate's
//! generated tests run them against the generated code: every step the
//! crate answers otherwise fails there. All crates are built in one cargo
//! run, so rustc's cost is paid once.
//!
//! The knobs: `ESGEN_DIFF_STEPS` (commands per spec, 40 by default) and
//! `ESGEN_DIFF_SEED` (a number; by default `PROPTEST_RNG_SEED` when set,
//! as in CI, else the clock). The figures of a run are printed.

mod common;

use esgen::eval::{Value, World};
use esgen::model::ir::{self, Literal, Type};
use esgen::source::Source;
use std::fmt::Write as _;

/// A small, seeded generator (xorshift64*): the same seed, the same run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A random value of `ty`, as a literal, or `None` for a type commands
/// cannot carry in a scenario (an entity).
fn literal(rng: &mut Rng, ty: &Type, model: &ir::Model, spec: &ir::Spec) -> Option<Literal> {
    Some(match ty {
        Type::Text => Literal::Text((*rng.pick(&["a", "b", " ", "long text"])).to_string()),
        Type::Integer => Literal::Integer(*rng.pick(&[0, 1, 2, -1, 40, i64::MAX, i64::MIN + 1])),
        Type::Number => Literal::Number((*rng.pick(&["0.5", "2.5", "-1.5", "100"])).into()),
        Type::Decimal => Literal::Decimal(
            (*rng.pick(&[
                "0",
                "1.5",
                "12.50",
                "-2.25",
                "79228162514264337593543950335",
            ]))
            .into(),
        ),
        Type::Boolean => Literal::Boolean(rng.below(2) == 0),
        Type::Date => rng
            .pick(&[
                Literal::Date(2026, 12, 1),
                Literal::Date(2026, 12, 7),
                Literal::Date(2024, 2, 29),
            ])
            .clone(),
        Type::Timestamp => Literal::Timestamp(
            (*rng.pick(&["2026-12-01T09:00:00Z", "2026-12-01T10:00:00.5+01:00"])).into(),
        ),
        Type::Id(of) => Literal::Id(format!("{of}Id"), (*rng.pick(&["k1", "k2", "k3"])).into()),
        Type::Choice(rust) => {
            let choice = model
                .choices
                .iter()
                .chain(spec.models.iter().flat_map(|m| &m.choices))
                .find(|c| c.rust == *rust)?;
            let (word, variant) = rng.pick(&choice.values).clone();
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
        Type::Entity(_) => return None,
    })
}

/// `name [field: value, …]`.
fn fact(name: &str, fields: &[ir::Field], values: &[Value]) -> String {
    let entries: Vec<String> = fields
        .iter()
        .zip(values)
        .map(|(f, v)| format!("{}: {}", f.term, v.words()))
        .collect();
    format!("{name} [{}]", entries.join(", "))
}

/// What one spec's run made.
#[derive(Default)]
struct Figures {
    commands: usize,
    accepted: usize,
    comparisons: usize,
}

/// Random steps for every fully declared model of `spec`, as scenario
/// text per model (the model's index, its scenarios).
fn steps(spec: &ir::Spec, rng: &mut Rng, count: usize, figures: &mut Figures) -> Vec<String> {
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
        let index = *rng.pick(&runnable);
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
            *rng.pick(&adding)
        } else {
            rng.below(model.commands.len())
        };
        let c = &model.commands[command];
        let Some(literals) = c
            .params
            .iter()
            .map(|p| literal(rng, &p.ty, model, spec))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let args: Vec<Value> = c
            .params
            .iter()
            .zip(&literals)
            .map(|(p, l)| Value::from_literal(l, &p.ty))
            .collect();
        let Ok(outcome) = world.propose(index, command, &args) else {
            continue;
        };
        figures.commands += 1;
        let out = &mut text[index];
        let _ = writeln!(out, "  - step {step}");
        let mut first = true;
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
            let values: Vec<Value> = query
                .params
                .iter()
                .zip(&args)
                .map(|(p, l)| Value::from_literal(l, &p.ty))
                .collect();
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
fn with_scenarios(spec: &str, name: &str, added: &[String]) -> String {
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
fn specs() -> Vec<(String, String)> {
    let mut found = vec![("matrix".to_string(), common::matrix::spec())];
    for name in ["lending", "shows", "borrowers", "asked-defaults"] {
        let path = common::root().join(format!("tests/fixtures/rules/{name}.ddd"));
        found.push((name.into(), std::fs::read_to_string(path).unwrap()));
    }
    for name in ["todos", "clinic", "accounts", "practice"] {
        let path = common::root().join(format!("specs/{name}.ddd"));
        found.push((name.into(), std::fs::read_to_string(path).unwrap()));
    }
    found
}

fn seed() -> u64 {
    let from = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    from("ESGEN_DIFF_SEED")
        .or_else(|| from("PROPTEST_RNG_SEED"))
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        })
        .max(1)
}

#[test]
fn generated_crates_answer_as_the_evaluator_does() {
    let count: usize = std::env::var("ESGEN_DIFF_STEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let seed = seed();
    let mut rng = Rng(seed);
    let tmp = tempfile::tempdir().unwrap();
    let workspace = tmp.path();
    let mut members = Vec::new();
    let mut total = Figures::default();
    for (name, text) in specs() {
        let source = Source::new(format!("{name}.ddd"), text.as_str());
        let (spec, found) = esgen::check(&source);
        let spec = spec
            .unwrap_or_else(|| panic!("{name}: {}", esgen::diagnostics::render(&source, &found)));
        let mut figures = Figures::default();
        let added = steps(&spec, &mut rng, count, &mut figures);
        let grown = with_scenarios(&text, &format!("{name}.ddd"), &added);
        let crate_name = format!("diff-{name}");
        let source = Source::new(format!("{crate_name}.ddd"), grown.as_str());
        // The evaluator holds its own scenarios (`esgen check` runs them).
        let (report, found) = esgen::build(&source, &workspace.join(&crate_name));
        assert!(
            report.is_some(),
            "seed {seed}: {}",
            esgen::diagnostics::render(&source, &found)
        );
        println!(
            "{name}: {} commands ({} accepted), {} comparisons",
            figures.commands, figures.accepted, figures.comparisons
        );
        total.commands += figures.commands;
        total.accepted += figures.accepted;
        total.comparisons += figures.comparisons;
        members.push(crate_name);
    }
    let members: Vec<&str> = members.iter().map(String::as_str).collect();
    common::make_workspace(workspace, &members);
    let output = common::cargo_in(workspace)
        .args(["test", "--workspace", "--test", "scenarios", "--quiet"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!(
        "seed {seed}: {} specs, {} commands ({} accepted), {} comparisons",
        members.len(),
        total.commands,
        total.accepted,
        total.comparisons
    );
    assert!(
        output.status.success(),
        "seed {seed}: the generated crates and the evaluator disagree (rerun with ESGEN_DIFF_SEED={seed}):\n{stdout}\n{stderr}"
    );
    // Every step ran as a test of its crate (beside the specs' own
    // scenarios).
    let passed: usize = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(
        passed >= total.commands,
        "{passed} scenario tests passed, fewer than the {} steps:\n{stdout}",
        total.commands
    );
    assert!(
        total.commands > members.len() * count / 2,
        "too few commands ran"
    );
}
