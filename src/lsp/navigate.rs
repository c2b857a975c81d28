//! Hover, go to definition and find references: the word under the cursor,
//! looked up in the model it is written in.

use crate::model::ir;
use crate::source::Span;
use crate::syntax::ast;

/// A character of a spec's names.
fn is_name(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_' || c == '?'
}

/// The name at byte `offset` (touching it on either side), and where.
pub fn word_at(text: &str, offset: usize) -> Option<(String, Span)> {
    let offset = offset.min(text.len());
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_name(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then(|| (text[start..end].to_string(), Span::new(start, end)))
}

/// The model a byte offset is written in: the last whose `Model:` line
/// starts at or before it.
pub fn model_at(file: &ast::SpecFile, offset: usize) -> Option<&ast::Model> {
    file.models
        .iter()
        .rfind(|m| m.name.span.start <= offset)
        .or(file.models.first())
}

/// Where a name is declared in a model: a term, an entity, a query, an
/// action, or the first action accepted as an event; or the model itself.
pub fn definition(file: &ast::SpecFile, model: &ast::Model, name: &str) -> Option<Span> {
    if let Some(other) = file.models.iter().find(|m| m.name.text == name) {
        return Some(other.name.span);
    }
    model
        .terms
        .iter()
        .find(|t| t.name.text == name)
        .map(|t| t.name.span)
        .or_else(|| {
            model
                .entities
                .iter()
                .find(|e| e.name.text == name)
                .map(|e| e.name.span)
        })
        .or_else(|| {
            model
                .queries
                .iter()
                .find(|q| q.name.text == name)
                .map(|q| q.name.span)
        })
        .or_else(|| {
            model
                .actions
                .iter()
                .find(|a| a.command.text == name)
                .map(|a| a.command.span)
        })
        .or_else(|| {
            model
                .actions
                .iter()
                .find(|a| a.event.text == name)
                .map(|a| a.event.span)
        })
        // An action of another model, as a policy names it
        // (`then charge in Payments`).
        .or_else(|| {
            file.models
                .iter()
                .flat_map(|m| &m.actions)
                .find(|a| a.command.text == name)
                .map(|a| a.command.span)
        })
}

/// Every whole-name occurrence of `name` in the lines of a model, outside
/// quoted text and comments.
pub fn references(text: &str, file: &ast::SpecFile, model: &ast::Model, name: &str) -> Vec<Span> {
    let start = text[..model.name.span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = file
        .models
        .iter()
        .map(|m| m.name.span.start)
        .filter(|s| *s > model.name.span.start)
        .min()
        .map_or(text.len(), |next| {
            text[..next].rfind('\n').map_or(next, |i| i + 1)
        });
    let mut found = Vec::new();
    let mut offset = start;
    for line in text[start..end].split_inclusive('\n') {
        let mut quoted = false;
        let mut escaped = false;
        let mut word_start: Option<usize> = None;
        for (i, c) in line
            .char_indices()
            .chain(std::iter::once((line.len(), ' ')))
        {
            if quoted {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => quoted = false,
                    _ => {}
                }
                continue;
            }
            if is_name(c) {
                word_start.get_or_insert(i);
                continue;
            }
            if let Some(s) = word_start.take() {
                if &line[s..i] == name {
                    found.push(Span::new(offset + s, offset + i));
                }
            }
            match c {
                '"' => quoted = true,
                '#' => break,
                _ => {}
            }
        }
        offset += line.len();
    }
    found
}

/// What hovering a name shows, in Markdown, from the checked model.
pub fn hover(model: &ir::Model, name: &str) -> Option<String> {
    if let Some(term) = model.terms.iter().find(|t| t.name == name) {
        let how = match &term.origin {
            ir::Origin::Declared => "declared under `Terms:`".to_string(),
            ir::Origin::Convention(why) => format!("by convention: {why}"),
            ir::Origin::Fallback => "nothing says: taken as text (W0001)".to_string(),
        };
        let mut out = format!("**{name}**: `{}`\n\n{how}", term.ty.spec());
        if !term.docs.is_empty() {
            out.push_str(&format!("\n\n{}", term.docs.join("\n")));
        }
        return Some(out);
    }
    if let Some(entity) = model.entities.iter().find(|e| e.name == name) {
        let fields: Vec<&str> = entity.fields.iter().map(|f| f.term.as_str()).collect();
        return Some(format!(
            "**{name}**: an entity of `{}` [{}]",
            model.name,
            fields.join(" ")
        ));
    }
    if let Some(query) = model.queries.iter().find(|q| q.name == name) {
        let how = if query.derived.is_some() {
            "generated from the state"
        } else {
            "written by hand"
        };
        return Some(format!(
            "**{name}**: a query returning `{}` ({how})\n\n`{}`",
            query.returns.spec(),
            query.spec_line
        ));
    }
    if let Some(command) = model.commands.iter().find(|c| c.name == name) {
        let mut out = format!("**{name}**: an action\n\n`{}`", command.spec_line);
        for guard in &command.guards {
            out.push_str(&format!(
                "\n\n- `{}` ({}): {}",
                guard.rule,
                guard.kind.word(),
                guard.spec_line
            ));
        }
        return Some(out);
    }
    if let Some(event) = model.events.iter().find(|e| e.name == name) {
        let fields: Vec<&str> = event.fields.iter().map(|f| f.term.as_str()).collect();
        return Some(format!(
            "**{name}**: an event, version {} (tag `{}`) [{}], recorded by {}",
            event.version,
            event.tag(),
            fields.join(" "),
            event.commands.join(", ")
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_s_action_of_another_model_is_found_there() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/shop.ddd"))
            .unwrap();
        let source = crate::source::Source::new("shop.ddd", text.clone());
        let (file, _) = crate::syntax::parse(&source);
        let at = text.find("then charge in Payments").unwrap() + "then ".len();
        let model = model_at(&file, at).unwrap();
        assert_eq!(model.name.text, "Orders");
        let found = definition(&file, model, "charge").unwrap();
        let declared = text.find("  - charge [order-id amount]").unwrap() + "  - ".len();
        assert_eq!(found.start, declared);
        // A name of the model itself is found in it first.
        let paid = definition(&file, model, "mark-paid").unwrap();
        assert_eq!(&text[paid.start..paid.end], "mark-paid");
        assert!(paid.start < text.find("Model: Payments").unwrap());
    }
}
