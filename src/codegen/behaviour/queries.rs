//! Derived queries: their bodies, over the entities the model holds.

use super::*;

impl Behaviour<'_> {
    /// `let matching = …;`: the entities of a store that meet a derived
    /// query's condition, each passed through `map` (`.map(|loan|
    /// loan.amount)`, or nothing).
    fn matching(&self, store: usize, filter: Option<&Condition>, map: &str) -> String {
        let state = "self.as_ref()";
        let field = self.store_field(store);
        let b = self.binding(store);
        let mut out = format!("        let {field} = {state}.{field}.values();\n");
        let joined = filter.map(|condition| self.joined(condition, Ctx::Query, &b, true));
        let long = joined
            .as_ref()
            .and_then(|joined| joined_filter(joined, field, &b, false));
        match (filter, long) {
            (Some(_), Some(chain)) => {
                // The filter laid out on lines of its own: the chain
                // ends in the field taken, not in a list.
                let chain = chain
                    .strip_suffix("\n            .cloned()\n            .collect()")
                    .unwrap_or(&chain)
                    .trim_start()
                    .to_string();
                if map.is_empty() {
                    out.push_str(&format!("        let matching = {chain};\n"));
                } else {
                    out.push_str(&format!(
                        "        let matching = {chain}\n            {map};\n"
                    ));
                }
            }
            (Some(condition), None) => {
                let cond = self.condition(condition, Ctx::Query, &b);
                let each = if reads_item(condition) {
                    b.as_str()
                } else {
                    "_"
                };
                out.push_str(&chained(
                    8,
                    "let matching = ",
                    &format!("{field}.filter(|{each}| {cond}){map}"),
                    ";",
                ));
                out.push('\n');
            }
            (None, _) => {
                out.push_str(&chained(
                    8,
                    "let matching = ",
                    &format!("{field}{map}"),
                    ";",
                ));
                out.push('\n');
            }
        }
        out
    }

    /// The body of a derived query, at method indentation (8).
    pub fn query(&self, derived: &Derived) -> String {
        let exprs: Vec<&Expr> = derived.filter().map(Condition::exprs).unwrap_or_default();
        let body = self.query_body(derived);
        format!("{}{body}", clock_reads(exprs))
    }

    fn query_body(&self, derived: &Derived) -> String {
        let state = "self.as_ref()";
        match derived {
            Derived::Sum {
                store,
                field: summed,
                filter,
                ..
            } => {
                let b = self.binding(*store);
                let mut out = self.matching(
                    *store,
                    filter.as_ref(),
                    &format!(".map(|{b}| {b}.{summed})"),
                );
                out.push_str("        super::total(matching)");
                out
            }
            Derived::Per {
                field: by,
                key,
                optional,
                each,
            } => {
                let store = derived.store();
                let b = self.binding(store);
                let field = self.store_field(store);
                let (mut out, source) = match derived.filter() {
                    Some(filter) => (self.matching(store, Some(filter), ""), "matching"),
                    None => (
                        format!("        let {field} = self.as_ref().{field}.values();\n"),
                        field,
                    ),
                };
                let value = if key.is_copy() {
                    format!("{b}.{by}")
                } else {
                    format!("{b}.{by}.clone()")
                };
                let value = if *optional {
                    value
                } else {
                    format!("Some({value})")
                };
                let grouped =
                    format!("        let groups = super::grouped({source}, |{b}| {value});");
                if width(&grouped) <= MAX_WIDTH {
                    out.push_str(&grouped);
                } else {
                    let entity = &self.model.store_entity(store).rust;
                    out.push_str(&format!(
                        "        let key = |{b}: &{entity}| {value};
        let groups = super::grouped({source}, key);"
                    ));
                }
                out.push('\n');
                out.push_str(&match each.as_ref() {
                    Derived::Count { .. } => "        super::counted(groups)".to_string(),
                    Derived::Sum { field: summed, .. } => {
                        format!("        super::summed(groups, |{b}| {b}.{summed})")
                    }
                    _ => "        super::cloned(groups)".to_string(),
                });
                out
            }
            // Answered from the events, not the state: a function of its
            // own (`views::history`), never a method of the queries trait.
            Derived::History { .. } => String::new(),
            Derived::Has { store, key } => chained(
                8,
                "",
                &format!(
                    "{state}.{}.contains({})",
                    self.store_field(*store),
                    self.key_ref(key, Ctx::Query)
                ),
                "",
            ),
            Derived::Get { store, key } => format!(
                "        {state}.{}.get({}).cloned()",
                self.store_field(*store),
                self.key_ref(key, Ctx::Query)
            ),
            Derived::Field {
                store,
                field,
                key,
                ty,
            } => {
                let b = self.binding(*store);
                let (how, value) = match ty {
                    Type::Boolean => ("is_some_and", format!("{b}.{field}")),
                    Type::Optional(inner) => (
                        "and_then",
                        if inner.is_copy() {
                            format!("{b}.{field}")
                        } else {
                            format!("{b}.{field}.clone()")
                        },
                    ),
                    _ if ty.is_copy() => ("map", format!("{b}.{field}")),
                    _ => ("map", format!("{b}.{field}.clone()")),
                };
                let (field_name, key) = (self.store_field(*store), self.key_ref(key, Ctx::Query));
                let one = format!("        {state}.{field_name}.get({key}).{how}(|{b}| {value})");
                if width(&one) <= MAX_WIDTH && width(one.trim_start()) <= CHAIN_WIDTH {
                    one
                } else {
                    format!(
                        "        {state}\n            .{field_name}\n            .get({key})\n            .{how}(|{b}| {value})"
                    )
                }
            }
            Derived::Select { store, filter } | Derived::Count { store, filter } => {
                let field = self.store_field(*store);
                let b = self.binding(*store);
                let count = matches!(derived, Derived::Count { .. });
                let mut out = format!("        let {field} = {state}.{field}.values();\n");
                if let Some(condition) = filter {
                    let joined = self.joined(condition, Ctx::Query, &b, true);
                    if let Some(chain) = joined_filter(&joined, field, &b, count) {
                        out.push_str(&chain);
                        return out;
                    }
                }
                let head = match filter {
                    Some(condition) => {
                        let cond = self.condition(condition, Ctx::Query, &b);
                        let b = if reads_item(condition) {
                            b.as_str()
                        } else {
                            "_"
                        };
                        // It fits a line of the chain (else `joined_filter`
                        // laid it out above).
                        format!("        {field}.filter(|{b}| {cond})")
                    }
                    None => format!("        {field}"),
                };
                if count {
                    if filter.is_some() {
                        let last = head.lines().last().unwrap_or_default();
                        let joined = format!("{head}.count()");
                        let _ = last;
                        out.push_str(&format!("        super::count({})", joined.trim_start()));
                        let last = out.lines().last().unwrap_or_default().to_string();
                        if width(&last) > MAX_WIDTH
                            || chain_parts(joined.trim_start()).len() > 2
                                && width(joined.trim_start()) > CHAIN_WIDTH
                        {
                            out = format!("        let {field} = {state}.{field}.values();\n");
                            out.push_str(&chained(
                                8,
                                "let matching = ",
                                &format!("{}.count()", head.trim_start()),
                                ";",
                            ));
                            out.push_str("\n        super::count(matching)");
                        }
                    } else {
                        out = format!("        super::count({state}.{field}.len())");
                    }
                } else if filter.is_some() && !head.contains('\n') {
                    out.push_str(&chained(
                        8,
                        "",
                        &format!("{}.cloned().collect()", head.trim_start()),
                        "",
                    ));
                } else if filter.is_some() {
                    out.push_str(&format!("{head}.cloned().collect()"));
                } else {
                    out = format!("        {state}.{field}.values().cloned().collect()");
                }
                out
            }
        }
    }
}
