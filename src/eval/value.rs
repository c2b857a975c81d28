//! Values as the evaluator holds them, and as the generated crate would
//! show them: in a message (`Display` of the Rust value) and in a scenario
//! (the spec's words).

use crate::model::ir::{Literal, Type};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::str::FromStr;

/// A value of any type the spec has. An optional value is its inner value,
/// or [`Value::Nothing`].
#[derive(Debug, Clone)]
pub enum Value {
    /// `text`.
    Text(String),
    /// `integer`.
    Integer(i64),
    /// `number`.
    Number(f64),
    /// `decimal`.
    Decimal(Decimal),
    /// `boolean`.
    Boolean(bool),
    /// An absent optional.
    Nothing,
    /// A choice's value, as the spec writes it.
    Choice(String),
    /// An identity's text.
    Id(String),
    /// A list.
    List(Vec<Value>),
    /// A `date`.
    Date(NaiveDate),
    /// A `timestamp`.
    Timestamp(DateTime<Utc>),
    /// An entity: its fields in order, the first its key.
    Entity(Vec<Value>),
    /// What a grouped query answers: each key with its value, in the keys'
    /// order.
    Map(Vec<(Value, Value)>),
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Text(a), Value::Text(b))
            | (Value::Choice(a), Value::Choice(b))
            | (Value::Id(a), Value::Id(b)) => a == b,
            (Value::Integer(a), Value::Integer(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::Decimal(a), Value::Decimal(b)) => a == b,
            (Value::Boolean(a), Value::Boolean(b)) => a == b,
            (Value::Nothing, Value::Nothing) => true,
            (Value::List(a), Value::List(b)) | (Value::Entity(a), Value::Entity(b)) => a == b,
            (Value::Date(a), Value::Date(b)) => a == b,
            (Value::Timestamp(a), Value::Timestamp(b)) => a == b,
            // Written in any order, answered in the keys' order.
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len() && a.iter().all(|entry| b.contains(entry))
            }
            _ => false,
        }
    }
}

impl Value {
    /// A value written in the spec, as a value of `ty`.
    pub fn from_literal(literal: &Literal, ty: &Type) -> Value {
        let ty = match ty {
            Type::Optional(inner) => inner,
            other => other,
        };
        match literal {
            Literal::Text(t) => Value::Text(t.clone()),
            Literal::Integer(n) => Value::Integer(*n),
            Literal::Number(n) => Value::Number(n.parse().unwrap_or_default()),
            Literal::Decimal(n) => Value::Decimal(
                Decimal::from_str(n)
                    .or_else(|_| Decimal::from_scientific(n))
                    .unwrap_or_default(),
            ),
            Literal::Boolean(b) => Value::Boolean(*b),
            Literal::Nothing => Value::Nothing,
            Literal::Choice(_, _, word) => Value::Choice(word.clone()),
            Literal::Id(_, text) => Value::Id(text.clone()),
            Literal::List(items) => {
                let inner = match ty {
                    Type::List(inner) => inner.as_ref(),
                    other => other,
                };
                Value::List(
                    items
                        .iter()
                        .map(|i| Value::from_literal(i, inner))
                        .collect(),
                )
            }
            Literal::Map(entries) => {
                let (key, value) = match ty {
                    Type::Map(key, value) => (key.as_ref(), value.as_ref()),
                    other => (other, other),
                };
                Value::Map(
                    entries
                        .iter()
                        .map(|(k, v)| (Value::from_literal(k, key), Value::from_literal(v, value)))
                        .collect(),
                )
            }
            Literal::Date(y, m, d) => {
                Value::Date(NaiveDate::from_ymd_opt(*y, *m, *d).unwrap_or_default())
            }
            Literal::Timestamp(text) => Value::Timestamp(
                DateTime::parse_from_rfc3339(text)
                    .map(|t| t.to_utc())
                    .unwrap_or_default(),
            ),
        }
    }

    /// Values written in the spec, each as a value of its field's type.
    pub fn all<'a>(
        written: impl IntoIterator<Item = (&'a crate::model::ir::Field, &'a Literal)>,
    ) -> Vec<Value> {
        written
            .into_iter()
            .map(|(field, literal)| Value::from_literal(literal, &field.ty))
            .collect()
    }

    /// How two values of one ordered type compare (`None` for others).
    pub fn order(&self, other: &Value) -> Option<Ordering> {
        match (self, other) {
            (Value::Integer(a), Value::Integer(b)) => Some(a.cmp(b)),
            (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
            (Value::Decimal(a), Value::Decimal(b)) => Some(a.cmp(b)),
            (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
            (Value::Timestamp(a), Value::Timestamp(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// The value as a generated crate's `Display` shows it in a message
    /// (`{placeholder}`).
    pub fn display(&self) -> String {
        match self {
            Value::Text(t) | Value::Choice(t) | Value::Id(t) => t.clone(),
            Value::Integer(n) => n.to_string(),
            Value::Number(n) => n.to_string(),
            Value::Decimal(d) => d.to_string(),
            Value::Boolean(b) => b.to_string(),
            Value::Date(d) => d.to_string(),
            Value::Timestamp(t) => t.to_string(),
            Value::Nothing | Value::List(_) | Value::Entity(_) | Value::Map(_) => self.words(),
        }
    }

    /// The value as a spec writes it: `t1`, `"buy milk"`, `yes`, `[t1,
    /// t2]`, `nothing`; an entity by its key.
    pub fn words(&self) -> String {
        match self {
            Value::Text(t) => format!("{t:?}"),
            Value::Choice(t) | Value::Id(t) => t.clone(),
            Value::Integer(n) => n.to_string(),
            Value::Number(n) => n.to_string(),
            Value::Decimal(d) => d.to_string(),
            Value::Boolean(b) => String::from(if *b { "yes" } else { "no" }),
            Value::Nothing => "nothing".into(),
            Value::List(items) => {
                let items: Vec<String> = items.iter().map(Value::words).collect();
                format!("[{}]", items.join(", "))
            }
            Value::Date(d) => format!("\"{d}\""),
            Value::Timestamp(t) => {
                let text = t.to_rfc3339_opts(SecondsFormat::AutoSi, true);
                format!("{text:?}")
            }
            Value::Entity(fields) => fields.first().map_or_else(String::new, Value::words),
            Value::Map(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", k.words(), v.words()))
                    .collect();
                format!("[{}]", entries.join(", "))
            }
        }
    }

    /// The value with each entity in it replaced by its key, as scenarios
    /// write answers.
    pub fn keyed(self) -> Value {
        match self {
            Value::Entity(mut fields) if !fields.is_empty() => fields.swap_remove(0),
            Value::List(items) => Value::List(items.into_iter().map(Value::keyed).collect()),
            Value::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.keyed(), v.keyed()))
                    .collect(),
            ),
            other => other,
        }
    }
}

/// How two keys of a grouped query's answer compare, as the generated
/// `BTreeMap` orders them: a choice's values in the order the spec lists
/// them, text and identities by their bytes, `no` before `yes`.
pub fn key_order(model: &crate::model::ir::Model, ty: &Type, a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Choice(a), Value::Choice(b)) => {
            let values = match ty {
                Type::Choice(rust) => model
                    .choices
                    .iter()
                    .find(|c| c.rust == *rust)
                    .map(|c| c.values.as_slice()),
                _ => None,
            }
            .unwrap_or_default();
            let at = |v: &str| values.iter().position(|(value, _)| value == v);
            at(a).cmp(&at(b))
        }
        (Value::Text(a), Value::Text(b)) | (Value::Id(a), Value::Id(b)) => a.cmp(b),
        (Value::Boolean(a), Value::Boolean(b)) => a.cmp(b),
        _ => a.order(b).unwrap_or(Ordering::Equal),
    }
}

/// `left <op> right` over two numbers of one type; `None` out of the
/// type's range (an `integer` past `i64`, a `number` that is not finite),
/// for a division by zero, or for values that are not two numbers of one
/// type. An `integer` division rounds toward zero; a `decimal` stays
/// exact as far as its 28 digits go.
pub fn arith(op: crate::syntax::ast::ArithOp, left: &Value, right: &Value) -> Option<Value> {
    use crate::syntax::ast::ArithOp;
    match (left, right) {
        (Value::Integer(a), Value::Integer(b)) => match op {
            ArithOp::Add => a.checked_add(*b),
            ArithOp::Sub => a.checked_sub(*b),
            ArithOp::Mul => a.checked_mul(*b),
            ArithOp::Div => a.checked_div(*b),
        }
        .map(Value::Integer),
        (Value::Decimal(a), Value::Decimal(b)) => match op {
            ArithOp::Add => a.checked_add(*b),
            ArithOp::Sub => a.checked_sub(*b),
            ArithOp::Mul => a.checked_mul(*b),
            ArithOp::Div => a.checked_div(*b),
        }
        .map(Value::Decimal),
        (Value::Number(a), Value::Number(b)) => {
            let n = match op {
                ArithOp::Add => a + b,
                ArithOp::Sub => a - b,
                ArithOp::Mul => a * b,
                ArithOp::Div => a / b,
            };
            n.is_finite().then_some(Value::Number(n))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::Value;
    use crate::model::ir::{Literal, Type};

    #[test]
    fn values_read_and_show_as_generated_crates_do() {
        let at = Value::from_literal(
            &Literal::Timestamp("2026-12-01T11:00:00.250+01:00".into()),
            &Type::Timestamp,
        );
        assert_eq!(at.words(), "\"2026-12-01T10:00:00.250Z\"");
        assert_eq!(at.display(), "2026-12-01 10:00:00.250 UTC");
        let fee = Value::from_literal(&Literal::Decimal("12.50".into()), &Type::Decimal);
        assert_eq!(fee.words(), "12.50");
        assert_eq!(
            fee,
            Value::from_literal(&Literal::Decimal("12.5".into()), &Type::Decimal)
        );
        assert_eq!(Value::Number(3.0).words(), "3");
        assert_eq!(Value::Text("a \"b\"".into()).words(), "\"a \\\"b\\\"\"");
        assert_ne!(Value::Nothing, Value::Integer(0));
    }
}
