//! Rules as the spec writes them, for rule ids and `--explain`.

use crate::model::ir::{self};
use crate::model::names;
use crate::syntax::ast;

pub(crate) fn operand_text(operand: &ast::Operand) -> String {
    let list = |names: &[ast::Ident]| names::bracket(names.iter().map(|n| n.text.as_str()));
    match operand {
        ast::Operand::Value(value) => value_text(value),
        ast::Operand::FieldOf {
            field, entity, key, ..
        } => format!("{} of {} {}", field.text, entity.text, list(key)),
        ast::Operand::Call { query, args, .. } => format!("{} {}", query.text, list(args)),
        ast::Operand::Asked {
            query, args, model, ..
        } => format!("{} {} in {}", query.text, list(args), model.text),
        ast::Operand::Served {
            query,
            args,
            service,
            ..
        } => format!("{} {} from {}", query.text, list(args), service.text),
        ast::Operand::Sum(sum) => sum_text(sum),
    }
}

pub(super) fn value_text(value: &ast::Value) -> String {
    match value {
        ast::Value::Text(text, _) => format!("{text:?}"),
        ast::Value::Number(n) => n.text.clone(),
        ast::Value::List(items, _) => format!(
            "[{}]",
            items.iter().map(value_text).collect::<Vec<_>>().join(", ")
        ),
        ast::Value::Word(w) => w.text.clone(),
        ast::Value::Map(entries, _) => format!(
            "[{}]",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", value_text(k), value_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A condition as the spec writes it.
pub(crate) fn condition_text(condition: &ast::Condition) -> String {
    match condition {
        ast::Condition::Holds(o) => operand_text(o),
        ast::Condition::Not(o, _) => format!("not {}", operand_text(o)),
        ast::Condition::Compare(l, c, r, _) => {
            format!("{} {} {}", operand_text(l), c.words(), operand_text(r))
        }
        ast::Condition::All(parts, _) => parts
            .iter()
            .map(condition_text)
            .collect::<Vec<_>>()
            .join(" and "),
        ast::Condition::Any(parts, _) => parts
            .iter()
            .map(condition_text)
            .collect::<Vec<_>>()
            .join(" or "),
        ast::Condition::Negated(inner, _) => format!("not {}", condition_text(inner)),
        ast::Condition::Grouped(inner, _) => format!("({})", condition_text(inner)),
    }
}

pub(crate) fn source_text(source: &ast::FieldSource) -> String {
    match source {
        ast::FieldSource::Operand(o) => operand_text(o),
        ast::FieldSource::IdsOf(o, _) => format!("ids of {}", operand_text(o)),
        ast::FieldSource::Sum(sum) => sum_text(sum),
    }
}

/// A derived query's definition as the spec writes it, after `=`.
pub(crate) fn definition_text(body: &ast::QueryBody) -> String {
    if let Some(field_of) = &body.field_of {
        return operand_text(field_of);
    }
    if let Some((entity, key)) = &body.history {
        let key = names::bracket(key.iter().map(|n| n.text.as_str()));
        return format!("history of {} {key}", entity.text);
    }
    let mut text = String::new();
    if body.count {
        text.push_str("count of ");
    }
    if let Some(summed) = &body.sum {
        text.push_str(&format!("sum of {} of ", summed.text));
    }
    text.push_str(&body.plural.text);
    if let Some(per) = &body.per {
        text.push_str(" per ");
        text.push_str(&per.text);
    }
    if let Some(filter) = &body.filter {
        text.push_str(" where ");
        text.push_str(&condition_text(filter));
    }
    text
}

pub(super) fn effect_text(effect: &ast::Effect, _entities: &[ir::Entity]) -> String {
    let key = names::bracket(effect.key.iter().map(|n| n.text.as_str()));
    let entity = &effect.entity.text;
    // A field of the model's `State:`: no `of <Entity> [key]`.
    let of = if effect.own {
        String::new()
    } else {
        format!(" of {entity} {key}")
    };
    let done = match &effect.kind {
        ast::EffectKind::Adds => format!("adds {entity}"),
        ast::EffectKind::Sets(field, value) => {
            format!("sets {}{of} to {}", field.text, value_text(value))
        }
        ast::EffectKind::Changes {
            increase,
            field,
            by,
        } => format!(
            "{} {}{of} by {}",
            if *increase { "increases" } else { "decreases" },
            field.text,
            value_text(by)
        ),
        ast::EffectKind::Removes => format!("removes {entity} {key}"),
        ast::EffectKind::RemovesEach => format!("removes each {entity} {key}"),
        ast::EffectKind::Nothing => "changes nothing".into(),
        ast::EffectKind::Moves(to) if effect.own => format!("moves to {}", to.text),
        ast::EffectKind::Moves(to) => format!("moves {entity} {key} to {}", to.text),
    };
    match &effect.when {
        Some(condition) => format!("{done} if {}", condition_text(condition)),
        None => done,
    }
}

/// A sum as the spec writes it, with the parentheses it needs (`*` and
/// `/` go first, and each operator takes the one on its left first).
pub(super) fn sum_text(sum: &ast::Sum) -> String {
    fn rank(op: ast::ArithOp) -> u8 {
        match op {
            ast::ArithOp::Add | ast::ArithOp::Sub => 1,
            ast::ArithOp::Mul | ast::ArithOp::Div => 2,
        }
    }
    fn side(sum: &ast::Sum, parent: ast::ArithOp, right: bool) -> String {
        let text = sum_text(sum);
        match sum {
            ast::Sum::Op(_, op, _, _)
                if rank(*op) < rank(parent) || (right && rank(*op) == rank(parent)) =>
            {
                format!("({text})")
            }
            _ => text,
        }
    }
    match sum {
        ast::Sum::Operand(o) => operand_text(o),
        ast::Sum::Op(left, op, right, _) => format!(
            "{} {} {}",
            side(left, *op, false),
            op.symbol(),
            side(right, *op, true)
        ),
    }
}
