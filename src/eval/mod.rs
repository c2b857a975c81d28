//! The reference evaluator: the rules of a checked spec (`ir::Spec`)
//! executed directly — proposing a command (its constraints, its guards,
//! its event's fields, the ranges of its effects), accepting an event (its
//! effects) and answering derived queries, asking other models as the
//! generated code does. It is the executable form of `docs/language.md`,
//! and what the generated crate is held to:
//!
//! - `esgen check` runs each model's scenarios through it
//!   ([`scenarios`]), without cargo;
//! - `esgen try` lets a person propose commands to a model before any Rust
//!   exists ([`session`]);
//! - the differential tests compare its answers with a generated crate's.
//!
//! A piece of a model that the spec leaves to hand-written code (a query
//! without a definition, an action or an event without rules) cannot be
//! evaluated: it answers [`Stop::Unsupported`].

pub mod scenarios;
pub mod session;
mod value;

pub use value::Value;

use crate::model::ir::{
    Check, Cmp, Condition, Derived, Effect, Expr, MessagePart, Model, RejectionKind, Spec, Type,
};
use crate::model::names;

/// A refusal, as a generated crate's `Rejection` carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The rule's id (`create-new/if-has-todo`).
    pub rule: String,
    /// Its kind.
    pub kind: RejectionKind,
    /// The message.
    pub message: String,
}

/// The message of a rejection by `<action>/<field>-in-range`: the event
/// field `term`, computed as `spec` says, is out of range.
pub fn out_of_range(term: &str, spec: &str) -> String {
    format!("`{term}` cannot be computed: `{spec}` is out of range, or divides by zero")
}

/// What a service that `cannot answer` in a scenario fails with: in the
/// evaluator, and in the generated scenarios' stand-in for the service.
pub const CANNOT_ANSWER: &str = "the scenario says it cannot answer";

/// The message of a rejection by `<guard>-in-range`: the guard computes
/// a value out of its type's range, or divides by zero.
pub fn guard_out_of_range(rule: &str) -> String {
    format!("`{rule}` cannot be decided: a value it computes is out of range, or divides by zero")
}

/// Why an evaluation stopped short of an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// A field of an entity the model does not hold was read.
    Absent,
    /// The answer needs a method written by hand (what it is, in a
    /// sentence).
    Unsupported(String),
    /// Arithmetic out of its type's range, or a division by zero.
    OutOfRange,
    /// A service outside the spec was asked and cannot answer (the
    /// service's index in the model's).
    Unavailable(usize),
    /// A service outside the spec was asked what nothing says it answers
    /// (the service and the query, as written).
    Unanswered(String, String),
    /// `today` or `now` was read, and nothing says what the clock reads.
    Unclocked,
}

type Ev<T> = Result<T, Stop>;

/// A command a policy sends, with its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    /// The model asked: its index in the spec.
    pub model: usize,
    /// The command: its index in the model's.
    pub command: usize,
    /// Its parameters' values, in order.
    pub values: Vec<Value>,
}

/// What a proposed command came to.
pub type Outcome = Result<Vec<Value>, Rejection>;

/// Every model of a spec, each with what it holds.
#[derive(Debug, Clone)]
pub struct World<'s> {
    spec: &'s Spec,
    /// Per model, per store: the entities held, in the order added.
    states: Vec<Vec<Vec<Vec<Value>>>>,
    /// Per model, the values of its `State:` fields, in order.
    own: Vec<Vec<Value>>,
    /// Per model, per service its rules ask: what each of its queries
    /// answers (`None`: nothing says), or `None` when it cannot answer.
    services: Vec<Vec<Option<Vec<Option<Value>>>>>,
    /// What the clock reads (`given today is …`); `None`: nothing says.
    clock: Option<chrono::DateTime<chrono::Utc>>,
    /// Per model, the events it accepted, in order: (event, values).
    log: Vec<Vec<(usize, Vec<Value>)>>,
}

/// Where the bare names of a rule are read.
struct Scope<'a> {
    /// The command's parameters, the event's fields or the query's
    /// parameters: (Rust name, value).
    inputs: &'a [(String, Value)],
    /// In a derived query's condition, the entity looked at, and its
    /// fields' Rust names.
    item: Option<(&'a [Value], &'a crate::model::ir::Entity)>,
}

impl<'s> World<'s> {
    /// The models of `spec`, holding nothing.
    pub fn new(spec: &'s Spec) -> Self {
        let states = spec
            .models
            .iter()
            .map(|m| vec![Vec::new(); m.state.as_deref().map_or(0, <[_]>::len)])
            .collect();
        let own = spec
            .models
            .iter()
            .map(|m| {
                m.own
                    .iter()
                    .map(|o| Value::from_literal(&o.initial, &o.field.ty))
                    .collect()
            })
            .collect();
        let services = spec
            .models
            .iter()
            .map(|m| {
                m.services
                    .iter()
                    .map(|s| Some(vec![None; s.queries.len()]))
                    .collect()
            })
            .collect();
        World {
            spec,
            states,
            own,
            services,
            clock: None,
            log: vec![Vec::new(); spec.models.len()],
        }
    }

    /// Fixes the clock the rules read `today` and `now` from.
    pub fn fix_clock(&mut self, at: chrono::DateTime<chrono::Utc>) {
        self.clock = Some(at);
    }

    /// What a service of a model answers to one of its queries from now
    /// on, whatever it is asked; `None`: the service cannot answer.
    pub fn answer(&mut self, model: usize, service: usize, answer: Option<(usize, Value)>) {
        let Some(slot) = self
            .services
            .get_mut(model)
            .and_then(|s| s.get_mut(service))
        else {
            return;
        };
        match answer {
            None => *slot = None,
            Some((query, value)) => {
                let queries = self.spec.models[model].services[service].queries.len();
                let answers = slot.get_or_insert_with(|| vec![None; queries]);
                if let Some(place) = answers.get_mut(query) {
                    *place = Some(value);
                }
            }
        }
    }

    /// The spec.
    pub fn spec(&self) -> &'s Spec {
        self.spec
    }

    fn model(&self, model: usize) -> &'s Model {
        &self.spec.models[model]
    }

    fn held(&self, model: usize) -> Ev<()> {
        if self.model(model).state.is_some() {
            Ok(())
        } else {
            Err(Stop::Unsupported(format!(
                "the model `{}` is written by hand",
                self.model(model).name
            )))
        }
    }

    /// The entities a store holds.
    fn store(&self, model: usize, store: usize) -> &[Vec<Value>] {
        &self.states[model][store]
    }

    fn find(&self, model: usize, store: usize, key: &Value) -> Option<&Vec<Value>> {
        self.store(model, store)
            .iter()
            .find(|e| e.first() == Some(key))
    }

    /// The entities of a store a derived query's condition holds for, in
    /// the order added (every one without a condition).
    fn chosen(
        &self,
        model: usize,
        store: usize,
        filter: Option<&Condition>,
        inputs: &[(String, Value)],
    ) -> Ev<Vec<&Vec<Value>>> {
        let entity = self.model(model).store_entity(store);
        let mut chosen = Vec::new();
        for e in self.store(model, store) {
            let keep = match filter {
                None => true,
                Some(condition) => {
                    let scope = Scope {
                        inputs,
                        item: Some((e, entity)),
                    };
                    self.holds(model, condition, &scope)? == Some(true)
                }
            };
            if keep {
                chosen.push(e);
            }
        }
        Ok(chosen)
    }

    // ------------------------------------------------------------ values

    fn eval(&self, model: usize, expr: &Expr, scope: &Scope<'_>) -> Ev<Value> {
        let m = self.model(model);
        match expr {
            Expr::Clock { ty } => {
                let at = self.clock.ok_or(Stop::Unclocked)?;
                Ok(if *ty == Type::Date {
                    Value::Date(at.date_naive())
                } else {
                    Value::Timestamp(at)
                })
            }
            Expr::Arith {
                op, left, right, ..
            } => {
                let (l, r) = (
                    self.eval(model, left, scope)?,
                    self.eval(model, right, scope)?,
                );
                value::arith(*op, &l, &r).ok_or(Stop::OutOfRange)
            }
            Expr::Input { rust, .. } => Ok(scope
                .inputs
                .iter()
                .find(|(name, _)| name == rust)
                .map_or(Value::Nothing, |(_, v)| v.clone())),
            Expr::Served { service, query, .. } => {
                let s = &m.services[*service];
                match &self.services[model][*service] {
                    None => Err(Stop::Unavailable(*service)),
                    Some(answers) => answers.get(*query).cloned().flatten().ok_or_else(|| {
                        Stop::Unanswered(s.name.clone(), s.queries[*query].name.clone())
                    }),
                }
            }
            Expr::Own { rust, .. } => Ok(m
                .own
                .iter()
                .position(|o| o.field.rust == *rust)
                .and_then(|at| self.own[model].get(at).cloned())
                .unwrap_or(Value::Nothing)),
            Expr::Item { rust, .. } => {
                let (values, entity) = scope
                    .item
                    .ok_or_else(|| Stop::Unsupported("an entity's field outside a query".into()))?;
                let at = entity.fields.iter().position(|f| f.rust == *rust);
                Ok(at
                    .and_then(|i| values.get(i).cloned())
                    .unwrap_or(Value::Nothing))
            }
            Expr::FieldOf {
                store, field, key, ..
            } => {
                let key = self.eval(model, key, scope)?;
                let entity = self.find(model, *store, &key).ok_or(Stop::Absent)?;
                let at = m
                    .store_entity(*store)
                    .fields
                    .iter()
                    .position(|f| f.rust == *field);
                Ok(at
                    .and_then(|i| entity.get(i).cloned())
                    .unwrap_or(Value::Nothing))
            }
            Expr::Call { method, args, .. } => {
                let query = m
                    .queries
                    .iter()
                    .position(|q| q.method == *method)
                    .ok_or_else(|| Stop::Unsupported(format!("no query `{method}`")))?;
                let args = args
                    .iter()
                    .map(|a| self.eval(model, a, scope))
                    .collect::<Ev<Vec<_>>>()?;
                self.query(model, query, &args)
            }
            Expr::Asked {
                ask, method, args, ..
            } => {
                let name = &m.asks[*ask].name;
                let other = self
                    .spec
                    .models
                    .iter()
                    .position(|o| o.name == *name)
                    .ok_or_else(|| Stop::Unsupported(format!("no model `{name}`")))?;
                let query = self
                    .model(other)
                    .queries
                    .iter()
                    .position(|q| q.method == *method)
                    .ok_or_else(|| Stop::Unsupported(format!("no query `{method}`")))?;
                let args = args
                    .iter()
                    .map(|a| self.eval(model, a, scope))
                    .collect::<Ev<Vec<_>>>()?;
                self.query(other, query, &args)
            }
            Expr::IdsOf { of, .. } => {
                let list = self.eval(model, of, scope)?;
                let Value::List(items) = list else {
                    return Ok(Value::List(Vec::new()));
                };
                Ok(Value::List(items.into_iter().map(Value::keyed).collect()))
            }
            Expr::All { store, .. } => Ok(Value::List(
                self.store(model, *store)
                    .iter()
                    .map(|e| Value::Entity(e.clone()))
                    .collect(),
            )),
            Expr::Literal { value, ty } => Ok(Value::from_literal(value, ty)),
        }
    }

    /// Whether a condition holds; `None` when it reads a field of an
    /// absent entity (then it says nothing, and does not hold).
    fn holds(&self, model: usize, condition: &Condition, scope: &Scope<'_>) -> Ev<Option<bool>> {
        let truth = |v: Value| match v {
            Value::Boolean(b) => Some(b),
            _ => Some(false),
        };
        let value = |e: &Expr| match self.eval(model, e, scope) {
            Ok(v) => Ok(Some(v)),
            Err(Stop::Absent) => Ok(None),
            Err(other) => Err(other),
        };
        // A compound condition is true or false: each part that says
        // nothing (an absent entity) does not hold, as in the generated
        // code, and `not (…)` of it then holds.
        let part =
            |part: &Condition| Ok::<bool, Stop>(self.holds(model, part, scope)? == Some(true));
        Ok(match condition {
            Condition::All { parts } => {
                let mut all = true;
                for p in parts {
                    all &= part(p)?;
                }
                Some(all)
            }
            Condition::Any { parts } => {
                let mut any = false;
                for p in parts {
                    any |= part(p)?;
                }
                Some(any)
            }
            Condition::Negate { part: inner } => Some(!part(inner)?),
            Condition::Holds { expr } => value(expr)?.and_then(truth),
            Condition::Not { expr } => value(expr)?.and_then(truth).map(|b| !b),
            Condition::Compare { left, cmp, right } => {
                let (Some(l), Some(r)) = (value(left)?, value(right)?) else {
                    return Ok(None);
                };
                Some(match cmp {
                    Cmp::Eq => l == r,
                    Cmp::Ne => l != r,
                    // An optional date that is nothing is within no days
                    // of anything.
                    Cmp::Within(n) | Cmp::Beyond(n) => {
                        let apart = match (&l, &r) {
                            (Value::Date(a), Value::Date(b)) => {
                                Some((*a - *b).num_days().unsigned_abs())
                            }
                            (Value::Timestamp(a), Value::Timestamp(b)) => {
                                Some((*a - *b).num_days().unsigned_abs())
                            }
                            _ => None,
                        };
                        let within = apart.is_some_and(|d| d <= u64::from(*n));
                        if matches!(cmp, Cmp::Within(_)) {
                            within
                        } else {
                            !within
                        }
                    }
                    _ => {
                        let order = l.order(&r);
                        match cmp {
                            Cmp::Gt => order.is_some_and(|o| o.is_gt()),
                            Cmp::Lt => order.is_some_and(|o| o.is_lt()),
                            Cmp::Ge => order.is_some_and(|o| o.is_ge()),
                            _ => order.is_some_and(|o| o.is_le()),
                        }
                    }
                })
            }
        })
    }

    // ----------------------------------------------------------- queries

    /// A query's answer, when the spec says how it is answered.
    ///
    /// # Errors
    ///
    /// [`Stop::Unsupported`] for a query written by hand.
    pub fn query(&self, model: usize, query: usize, args: &[Value]) -> Result<Value, Stop> {
        self.held(model)?;
        let m = self.model(model);
        let q = &m.queries[query];
        let Some(derived) = &q.derived else {
            return Err(Stop::Unsupported(format!(
                "the query `{}` of `{}` is written by hand",
                q.name, m.name
            )));
        };
        let inputs = named(&q.params, args);
        let scope = Scope {
            inputs: &inputs,
            item: None,
        };
        match derived {
            Derived::Has { store, key } => {
                let key = self.eval(model, key, &scope)?;
                Ok(Value::Boolean(self.find(model, *store, &key).is_some()))
            }
            Derived::Get { store, key } => {
                let key = self.eval(model, key, &scope)?;
                Ok(self
                    .find(model, *store, &key)
                    .map_or(Value::Nothing, |e| Value::Entity(e.clone())))
            }
            Derived::Field {
                store,
                field,
                key,
                ty,
            } => {
                let key = self.eval(model, key, &scope)?;
                let at = m
                    .store_entity(*store)
                    .fields
                    .iter()
                    .position(|f| f.rust == *field);
                let found = self
                    .find(model, *store, &key)
                    .and_then(|e| at.and_then(|i| e.get(i).cloned()));
                Ok(match (found, ty) {
                    (Some(v), _) => v,
                    (None, Type::Boolean) => Value::Boolean(false),
                    (None, _) => Value::Nothing,
                })
            }
            Derived::History {
                key, field, events, ..
            } => {
                let key = self.eval(model, key, &scope)?;
                let log = self.log.get(model).map_or(&[][..], Vec::as_slice);
                let happened = log
                    .iter()
                    .filter(|(event, values)| {
                        events.contains(event)
                            && m.events[*event]
                                .fields
                                .iter()
                                .position(|f| f.rust == *field)
                                .and_then(|at| values.get(at))
                                == Some(&key)
                    })
                    .map(|(event, _)| Value::Choice(m.events[*event].name.clone()))
                    .collect();
                Ok(Value::List(happened))
            }
            Derived::Select { .. } | Derived::Count { .. } | Derived::Sum { .. } => {
                let chosen = self.chosen(model, derived.store(), derived.filter(), &inputs)?;
                Ok(self.over(model, derived, &chosen))
            }
            Derived::Per {
                field,
                key,
                optional,
                each,
            } => {
                let store = derived.store();
                let at = m
                    .store_entity(store)
                    .fields
                    .iter()
                    .position(|f| f.rust == *field);
                let mut groups: Vec<(Value, Vec<&Vec<Value>>)> = Vec::new();
                for e in self.chosen(model, store, derived.filter(), &inputs)? {
                    let Some(value) = at.and_then(|i| e.get(i)) else {
                        continue;
                    };
                    if *optional && *value == Value::Nothing {
                        continue;
                    }
                    match groups.iter_mut().find(|(k, _)| k == value) {
                        Some((_, members)) => members.push(e),
                        None => groups.push((value.clone(), vec![e])),
                    }
                }
                groups.sort_by(|(a, _), (b, _)| value::key_order(m, key, a, b));
                Ok(Value::Map(
                    groups
                        .into_iter()
                        .map(|(k, members)| (k, self.over(model, each, &members)))
                        .collect(),
                ))
            }
        }
    }

    /// What a selection, count or sum answers for the entities it chose.
    fn over(&self, model: usize, derived: &Derived, chosen: &[&Vec<Value>]) -> Value {
        let m = self.model(model);
        match derived {
            Derived::Sum { field, ty, .. } => {
                let entity = m.store_entity(derived.store());
                let at = entity.fields.iter().position(|f| f.rust == *field);
                let zero = match ty {
                    Type::Integer => crate::model::ir::Literal::Integer(0),
                    Type::Decimal => crate::model::ir::Literal::Decimal("0".into()),
                    _ => crate::model::ir::Literal::Number("0".into()),
                };
                let mut total = Value::from_literal(&zero, ty);
                for e in chosen {
                    if let Some(value) = at.and_then(|i| e.get(i)) {
                        total = change(&total, value, true, true).unwrap_or(total);
                    }
                }
                total
            }
            Derived::Count { .. } => {
                Value::Integer(i64::try_from(chosen.len()).unwrap_or(i64::MAX))
            }
            _ => Value::List(chosen.iter().map(|e| Value::Entity((*e).clone())).collect()),
        }
    }

    // --------------------------------------------------------- proposing

    /// Proposes a command (its arguments in the order of its parameters):
    /// the event's fields, in order, or the rejection.
    ///
    /// # Errors
    ///
    /// [`Stop::Unsupported`] when proposing it, or a query it asks, is
    /// written by hand.
    pub fn propose(&self, model: usize, command: usize, args: &[Value]) -> Result<Outcome, Stop> {
        self.held(model)?;
        let m = self.model(model);
        let c = &m.commands[command];
        let reject = |rule: String, kind: RejectionKind, message: String| {
            Ok(Err(Rejection {
                rule,
                kind,
                message,
            }))
        };
        // The constraints, every broken one in one rejection.
        let mut problems = Vec::new();
        for (param, value) in c.params.iter().zip(args) {
            for check in &param.checks {
                if value != &Value::Nothing && !passes(check, value) {
                    problems.push(param.message(check));
                }
            }
        }
        if !problems.is_empty() {
            return reject(
                format!("{}/constraints", c.name),
                RejectionKind::Invalid,
                problems.join("; "),
            );
        }
        let inputs = named(&c.params, args);
        let scope = Scope {
            inputs: &inputs,
            item: None,
        };
        let unavailable = |service: usize| {
            let name = &m.services[service].name;
            reject(
                m.unavailable_rule(c, service),
                RejectionKind::Unavailable,
                format!("`{name}` could not answer: {CANNOT_ANSWER}"),
            )
        };
        for guard in &c.guards {
            let holds = match self.holds(model, &guard.condition, &scope) {
                Err(Stop::Unavailable(service)) => return unavailable(service),
                Err(Stop::OutOfRange) => {
                    return reject(
                        crate::model::ir::Guard::range_rule(&guard.rule),
                        RejectionKind::Invalid,
                        guard_out_of_range(&guard.rule),
                    );
                }
                other => other?,
            } == Some(true);
            if holds != guard.unless {
                let message = guard
                    .message
                    .iter()
                    .map(|part| match part {
                        MessagePart::Text(t) => t.clone(),
                        MessagePart::Param(p) => inputs
                            .iter()
                            .find(|(name, _)| name == p)
                            .map_or_else(String::new, |(_, v)| v.display()),
                        MessagePart::Field(expr) => match self.eval(model, expr, &scope) {
                            Ok(Value::Nothing) | Err(_) => "nothing".to_string(),
                            Ok(value) => value.display(),
                        },
                    })
                    .collect();
                return reject(guard.rule.clone(), guard.kind, message);
            }
        }
        let Some(from) = &c.proposing else {
            return Err(Stop::Unsupported(format!(
                "proposing `{}` is written by hand",
                c.name
            )));
        };
        let event = m.event_of(c);
        let mut values = Vec::new();
        for f in from {
            let value = match self.eval(model, &f.expr, &scope) {
                Ok(v) => v,
                Err(Stop::Unavailable(service)) => return unavailable(service),
                Err(Stop::OutOfRange) => {
                    return reject(
                        m.computed_rule(c, &f.term),
                        RejectionKind::Invalid,
                        out_of_range(&f.term, &f.spec),
                    );
                }
                Err(Stop::Absent) => {
                    // The first entity it reads that is absent.
                    let mut absent = None;
                    f.expr.visit(&mut |e| {
                        if let Expr::FieldOf { store, key, .. } = e {
                            let held = self
                                .eval(model, key, &scope)
                                .ok()
                                .is_some_and(|k| self.find(model, *store, &k).is_some());
                            if !held && absent.is_none() {
                                absent = Some((*store, key.clone()));
                            }
                        }
                    });
                    let Some((store, key)) = absent else {
                        return Err(Stop::Absent);
                    };
                    let (store, key) = (&store, &key);
                    let word = names::kebab(&m.store_entity(*store).name);
                    let key = self.eval(model, key, &scope)?;
                    return reject(
                        m.exists_rule(c, *store),
                        RejectionKind::NotFound,
                        format!("there is no {word} {}", key.display()),
                    );
                }
                Err(other) => return Err(other),
            };
            values.push(value);
        }
        // The ranges of its effects: accepting it must never clamp.
        let fields = named(&event.fields, &values);
        let scope = Scope {
            inputs: &fields,
            item: None,
        };
        for effect in event.effects.iter().flatten() {
            if let Effect::ChangesOwn {
                field,
                by,
                increase,
            } = effect
            {
                let Some(at) = m.own.iter().position(|o| o.field.rust == *field) else {
                    continue;
                };
                let by = self.eval(model, by, &scope)?;
                if change(&self.own[model][at], &by, *increase, false).is_none() {
                    let term = &m.own[at].field.term;
                    return reject(
                        m.computed_rule(c, term),
                        RejectionKind::Invalid,
                        format!("`{term}` would go out of range"),
                    );
                }
                continue;
            }
            let Effect::Changes {
                store,
                key,
                field,
                by,
                increase,
            } = effect
            else {
                continue;
            };
            let entity = m.store_entity(*store);
            let Some(at) = entity.fields.iter().position(|f| f.rust == *field) else {
                continue;
            };
            let key = self.eval(model, key, &scope)?;
            let by = self.eval(model, by, &scope)?;
            let Some(current) = self.find(model, *store, &key).and_then(|e| e.get(at)) else {
                continue;
            };
            if change(current, &by, *increase, false).is_none() {
                let word = names::kebab(&entity.name);
                let term = &entity.fields[at].term;
                return reject(
                    m.range_rule(c, *store, term),
                    RejectionKind::Invalid,
                    format!("`{term}` of {word} {} would go out of range", key.display()),
                );
            }
        }
        Ok(Ok(values))
    }

    // --------------------------------------------------------- accepting

    /// The events `model` accepted, in order: (event, values).
    pub fn accepted(&self, model: usize) -> &[(usize, Vec<Value>)] {
        self.log.get(model).map_or(&[][..], Vec::as_slice)
    }

    /// What the policies of `model` ask when its event `event` is
    /// recorded with `values`: each command a policy sends (its model's
    /// index in the spec, the command's index there, its values), in the
    /// order of the policies. A `notify by` policy asks no model.
    ///
    /// # Errors
    ///
    /// As evaluating a rule: what it reads is out of range, say.
    pub fn react(&self, model: usize, event: usize, values: &[Value]) -> Result<Vec<Asked>, Stop> {
        let m = self.model(model);
        let inputs = named(&m.events[event].fields, values);
        let scope = Scope {
            inputs: &inputs,
            item: None,
        };
        let mut asked = Vec::new();
        for policy in m.policies.iter().filter(|p| p.event == event) {
            let crate::model::ir::Then::Ask {
                model: target,
                command,
                fields,
                ..
            } = &policy.then
            else {
                continue;
            };
            if let Some(condition) = &policy.only_if {
                if self.holds(model, condition, &scope)? != Some(true) {
                    continue;
                }
            }
            let values = fields
                .iter()
                .map(|field| self.eval(model, &field.expr, &scope))
                .collect::<Result<Vec<_>, _>>()?;
            let target = self
                .spec
                .models
                .iter()
                .position(|t| t.name == *target)
                .ok_or_else(|| Stop::Unsupported(format!("the spec has no model `{target}`")))?;
            asked.push(Asked {
                model: target,
                command: *command,
                values,
            });
        }
        Ok(asked)
    }

    /// Accepts an event (its fields in order): applies its effects.
    ///
    /// # Errors
    ///
    /// [`Stop::Unsupported`] when accepting it is written by hand.
    pub fn accept(&mut self, model: usize, event: usize, values: &[Value]) -> Result<(), Stop> {
        self.held(model)?;
        let m = self.model(model);
        let e = &m.events[event];
        let Some(effects) = &e.effects else {
            return Err(Stop::Unsupported(format!(
                "accepting `{}` is written by hand",
                e.name
            )));
        };
        let fields = named(&e.fields, values);
        for effect in effects {
            self.apply(model, effect, &fields)?;
        }
        if let Some(log) = self.log.get_mut(model) {
            log.push((event, values.to_vec()));
        }
        Ok(())
    }

    /// Applies one effect of an event whose fields are `fields`.
    fn apply(&mut self, model: usize, effect: &Effect, fields: &[(String, Value)]) -> Ev<()> {
        let m = self.model(model);
        {
            let scope = Scope {
                inputs: fields,
                item: None,
            };
            match effect {
                Effect::When { condition, then } => {
                    if self.holds(model, condition, &scope)? == Some(true) {
                        self.apply(model, then, fields)?;
                    }
                }
                Effect::Adds { store, fields } => {
                    let entity = fields
                        .iter()
                        .map(|(_, expr)| self.eval(model, expr, &scope))
                        .collect::<Ev<Vec<_>>>()?;
                    let held = &mut self.states[model][*store];
                    match held.iter_mut().find(|e| e.first() == entity.first()) {
                        Some(place) => *place = entity,
                        None => held.push(entity),
                    }
                }
                Effect::Sets {
                    store,
                    key,
                    field,
                    value,
                } => {
                    let key = self.eval(model, key, &scope)?;
                    let value = self.eval(model, value, &scope)?;
                    let at = m
                        .store_entity(*store)
                        .fields
                        .iter()
                        .position(|f| f.rust == *field);
                    if let (Some(entity), Some(at)) = (self.find_mut(model, *store, &key), at) {
                        entity[at] = value;
                    }
                }
                Effect::Changes {
                    store,
                    key,
                    field,
                    by,
                    increase,
                } => {
                    let key = self.eval(model, key, &scope)?;
                    let by = self.eval(model, by, &scope)?;
                    let at = m
                        .store_entity(*store)
                        .fields
                        .iter()
                        .position(|f| f.rust == *field);
                    if let (Some(entity), Some(at)) = (self.find_mut(model, *store, &key), at) {
                        if let Some(next) = change(&entity[at], &by, *increase, true) {
                            entity[at] = next;
                        }
                    }
                }
                Effect::SetsOwn { field, value } => {
                    let value = self.eval(model, value, &scope)?;
                    if let Some(at) = m.own.iter().position(|o| o.field.rust == *field) {
                        self.own[model][at] = value;
                    }
                }
                Effect::ChangesOwn {
                    field,
                    by,
                    increase,
                } => {
                    let by = self.eval(model, by, &scope)?;
                    if let Some(at) = m.own.iter().position(|o| o.field.rust == *field) {
                        if let Some(next) = change(&self.own[model][at], &by, *increase, true) {
                            self.own[model][at] = next;
                        }
                    }
                }
                Effect::Removes { store, key } => {
                    let key = self.eval(model, key, &scope)?;
                    self.states[model][*store].retain(|e| e.first() != Some(&key));
                }
                Effect::RemovesEach { store, keys } => {
                    if let Value::List(keys) = self.eval(model, keys, &scope)? {
                        self.states[model][*store]
                            .retain(|e| !e.first().is_some_and(|k| keys.contains(k)));
                    }
                }
            }
        }
        Ok(())
    }

    fn find_mut(&mut self, model: usize, store: usize, key: &Value) -> Option<&mut Vec<Value>> {
        self.states[model][store]
            .iter_mut()
            .find(|e| e.first() == Some(key))
    }
}

/// Each field's Rust name with its value: the inputs of a scope.
fn named(fields: &[crate::model::ir::Field], values: &[Value]) -> Vec<(String, Value)> {
    fields
        .iter()
        .zip(values)
        .map(|(f, v)| (f.rust.clone(), v.clone()))
        .collect()
}

/// `value` increased or decreased by `by`: `None` when it leaves its type's
/// range (a `number` its finite values), unless `saturate`, which stops at
/// the type's limit as accepting does.
fn change(value: &Value, by: &Value, increase: bool, saturate: bool) -> Option<Value> {
    match (value, by) {
        (Value::Integer(a), Value::Integer(b)) => {
            let next = if increase {
                a.checked_add(*b)
            } else {
                a.checked_sub(*b)
            };
            match (next, saturate) {
                (Some(n), _) => Some(Value::Integer(n)),
                (None, true) => Some(Value::Integer(if increase {
                    a.saturating_add(*b)
                } else {
                    a.saturating_sub(*b)
                })),
                (None, false) => None,
            }
        }
        (Value::Decimal(a), Value::Decimal(b)) => {
            let next = if increase {
                a.checked_add(*b)
            } else {
                a.checked_sub(*b)
            };
            match (next, saturate) {
                (Some(n), _) => Some(Value::Decimal(n)),
                (None, true) => Some(Value::Decimal(if increase {
                    a.saturating_add(*b)
                } else {
                    a.saturating_sub(*b)
                })),
                (None, false) => None,
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            let next = if increase { a + b } else { a - b };
            (saturate || next.is_finite()).then_some(Value::Number(next))
        }
        _ => Some(value.clone()),
    }
}

/// Whether a value meets a constraint.
fn passes(check: &Check, value: &Value) -> bool {
    let bound = |n: &crate::model::ir::Literal| Value::from_literal(n, &type_of(value));
    match (check, value) {
        (Check::NotBlank, Value::Text(t)) => !t.trim().is_empty(),
        (Check::MaxChars { n }, Value::Text(t)) => t.chars().count() as u64 <= *n,
        (Check::MinChars { n }, Value::Text(t)) => t.chars().count() as u64 >= *n,
        (Check::AtLeast { n }, _) => !value.order(&bound(n)).is_some_and(|o| o.is_lt()),
        (Check::AtMost { n }, _) => !value.order(&bound(n)).is_some_and(|o| o.is_gt()),
        (Check::Between { low, high }, _) => {
            value.order(&bound(low)).is_some_and(|o| o.is_ge())
                && value.order(&bound(high)).is_some_and(|o| o.is_le())
        }
        (Check::Finite, Value::Number(n)) => n.is_finite(),
        _ => true,
    }
}

/// The type of a value a constraint's bound is read as.
fn type_of(value: &Value) -> Type {
    match value {
        Value::Integer(_) => Type::Integer,
        Value::Number(_) => Type::Number,
        Value::Decimal(_) => Type::Decimal,
        Value::Date(_) => Type::Date,
        Value::Timestamp(_) => Type::Timestamp,
        _ => Type::Text,
    }
}
