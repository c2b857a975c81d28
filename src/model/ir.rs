//! The checked semantic model: every name resolved, every type known, every
//! Rust name chosen. Code generation reads only this.

use serde::Serialize;

/// A whole spec: its models and the identity types they share.
#[derive(Debug, Clone, Serialize)]
pub struct Spec {
    /// The spec's file name (`todos.ddd`), quoted in generated headers.
    pub file_name: String,
    /// The crate's package name (`todos`).
    pub crate_name: String,
    /// Identity newtypes, shared by all models, sorted by name.
    pub identities: Vec<Identity>,
    /// The models, in spec order.
    pub models: Vec<Model>,
}

/// An identity newtype (`TodoId`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// The Rust type name.
    pub rust: String,
    /// What it identifies, as written in the spec (`Todo`, `member`).
    pub of: String,
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "lowercase")]
pub enum Type {
    /// `text`: `String`.
    Text,
    /// `integer`: `i64`.
    Integer,
    /// `number`: `f64`.
    Number,
    /// `boolean`: `bool`.
    Boolean,
    /// `list of T`: `Vec<T>`.
    List(Box<Type>),
    /// `optional T`: `Option<T>`.
    Optional(Box<Type>),
    /// `id of X`: the identity newtype of X (X's Rust name, `Todo` for
    /// `TodoId`).
    Id(String),
    /// An entity of the model (its Rust name).
    Entity(String),
    /// `date`: a calendar date (`chrono::NaiveDate`).
    Date,
    /// `timestamp`: an instant, in UTC (`chrono::DateTime<Utc>`).
    Timestamp,
    /// `decimal`: an exact decimal (`rust_decimal::Decimal`).
    Decimal,
    /// `one of [...]`: a choice (the enum's Rust name).
    Choice(String),
    /// What a grouped query answers: a value for each key, in the keys'
    /// order (`BTreeMap<K, V>`).
    Map(Box<Type>, Box<Type>),
    /// An event of a model (its event enum's Rust name): what a history
    /// query answers a list of.
    Event(String),
}

/// How a term's type was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "how", content = "why", rename_all = "lowercase")]
pub enum Origin {
    /// Declared under `Terms:`.
    Declared,
    /// By a naming convention (the sentence says which).
    Convention(String),
    /// Nothing said: taken as text.
    Fallback,
}

/// A term the model uses, with its type.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    /// As written (`completed?`).
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// How the type was found.
    pub origin: Origin,
    /// Documentation from the spec.
    pub docs: Vec<String>,
    /// Constraints checked when a command carrying the term is proposed
    /// (a term typed by convention has its base term's).
    pub checks: Vec<Check>,
    /// Its default value, if declared.
    pub default: Option<Literal>,
    /// What a command that breaks one of its checks is told, where the
    /// spec says it: (the check's id, the message).
    pub said: Vec<(String, String)>,
}

/// A constraint on a term's values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "check", rename_all = "kebab-case")]
pub enum Check {
    /// `not blank`: text with something other than white space.
    NotBlank,
    /// `at most N characters`
    MaxChars {
        /// N.
        n: u64,
    },
    /// `at least N characters`
    MinChars {
        /// N.
        n: u64,
    },
    /// `at least N`
    AtLeast {
        /// N.
        n: Literal,
    },
    /// `at most N`
    AtMost {
        /// N.
        n: Literal,
    },
    /// `between A and B`
    Between {
        /// A.
        low: Literal,
        /// B.
        high: Literal,
    },
    /// `number` values must be finite (always checked on a `number`).
    Finite,
}

impl Check {
    /// What a command's `validate()` says when `term` breaks the check.
    pub fn message(&self, term: &str) -> String {
        match self {
            Check::NotBlank => format!("`{term}` must not be blank"),
            Check::MaxChars { n } => format!("`{term}` must be at most {n} characters"),
            Check::MinChars { n } => format!("`{term}` must be at least {n} characters"),
            Check::AtLeast { n } => format!("`{term}` must be at least {}", n.spec()),
            Check::AtMost { n } => format!("`{term}` must be at most {}", n.spec()),
            Check::Between { low, high } => {
                format!(
                    "`{term}` must be between {} and {}",
                    low.spec(),
                    high.spec()
                )
            }
            Check::Finite => format!("`{term}` must be a finite number"),
        }
    }

    /// A stable identifier of the check (`not-blank`).
    pub fn id(&self) -> &'static str {
        match self {
            Check::NotBlank => "not-blank",
            Check::MaxChars { .. } => "at-most-characters",
            Check::MinChars { .. } => "at-least-characters",
            Check::AtLeast { .. } => "at-least",
            Check::AtMost { .. } => "at-most",
            Check::Between { .. } => "between",
            Check::Finite => "finite",
        }
    }

    /// As the spec writes it.
    pub fn spec(&self) -> String {
        match self {
            Check::NotBlank => "not blank".into(),
            Check::MaxChars { n } => format!("at most {n} characters"),
            Check::MinChars { n } => format!("at least {n} characters"),
            Check::AtLeast { n } => format!("at least {}", n.spec()),
            Check::AtMost { n } => format!("at most {}", n.spec()),
            Check::Between { low, high } => format!("between {} and {}", low.spec(), high.spec()),
            Check::Finite => "a finite number".into(),
        }
    }
}

/// A value written in the spec, typed.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Literal {
    /// Text.
    Text(String),
    /// An integer.
    Integer(i64),
    /// A `number`, as written.
    Number(String),
    /// A `decimal`, as written.
    Decimal(String),
    /// `yes` or `no`.
    Boolean(bool),
    /// `nothing`: an absent optional.
    Nothing,
    /// A choice value: the enum and the variant (Rust names), and the
    /// word.
    Choice(String, String, String),
    /// An identity: its type's Rust name and the text.
    Id(String, String),
    /// A list.
    List(Vec<Literal>),
    /// What a grouped query answers: a value for each key, as written.
    Map(Vec<(Literal, Literal)>),
    /// A `date` (`2026-12-01`), checked: year, month and day.
    Date(i32, u32, u32),
    /// A `timestamp`, checked, as written (RFC 3339).
    Timestamp(String),
}

impl Literal {
    /// As the spec writes it.
    pub fn spec(&self) -> String {
        match self {
            Literal::Text(text) => format!("{text:?}"),
            Literal::Integer(n) => n.to_string(),
            Literal::Number(n) | Literal::Decimal(n) => n.clone(),
            Literal::Boolean(true) => "yes".into(),
            Literal::Boolean(false) => "no".into(),
            Literal::Nothing => "nothing".into(),
            Literal::Choice(_, _, word) | Literal::Id(_, word) => word.clone(),
            Literal::Date(y, m, d) => format!("\"{y:04}-{m:02}-{d:02}\""),
            Literal::Timestamp(text) => format!("{text:?}"),
            Literal::List(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(Literal::spec)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Literal::Map(entries) => format!(
                "[{}]",
                entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", k.spec(), v.spec()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// A choice type: `- status: one of [booked checked-in cancelled]`.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    /// The term as written (`status`).
    pub term: String,
    /// The enum's Rust name (`Status`).
    pub rust: String,
    /// Its values: (as written, Rust variant).
    pub values: Vec<(String, String)>,
    /// The default value's index, if declared.
    pub default: Option<usize>,
    /// Documentation from the spec.
    pub docs: Vec<String>,
    /// `moves a -> b, …`: its lifecycle, each move (from, to) as written;
    /// empty when it declares none.
    pub moves: Vec<(String, String)>,
}

/// A field of a struct, or a parameter: a term with its Rust name.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// The term as written (`new-text`).
    pub term: String,
    /// The Rust name (`new_text`, `r#type`).
    pub rust: String,
    /// Its type.
    pub ty: Type,
    /// Documentation from the term's declaration.
    pub docs: Vec<String>,
    /// Constraints on it (from its term).
    pub checks: Vec<Check>,
    /// What a command that breaks a constraint is told, where the spec
    /// says it: (the check's id, the message).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub said: Vec<(String, String)>,
}

impl Field {
    /// Its name on the wire (in JSON): its Rust name, without `r#`.
    pub fn wire(&self) -> &str {
        crate::model::names::unraw(&self.rust)
    }

    /// What a command whose value breaks `check` is told: the spec's
    /// words, or esgen's.
    pub fn message(&self, check: &Check) -> String {
        self.said
            .iter()
            .find(|(id, _)| id == check.id())
            .map_or_else(|| check.message(&self.term), |(_, said)| said.clone())
    }
}

/// An entity the model holds.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    /// As written (`Todo`).
    pub name: String,
    /// The Rust type name.
    pub rust: String,
    /// Its fields; the first identifies it.
    pub fields: Vec<Field>,
    /// Documentation from the spec.
    pub docs: Vec<String>,
    /// Why it exists when the spec does not declare it.
    pub inferred: Option<String>,
    /// Whether `Eq` and `Hash` can be derived (no `number` inside).
    pub eq: bool,
}

/// A query of the model.
#[derive(Debug, Clone, Serialize)]
pub struct Query {
    /// As written (`has-todo?`).
    pub name: String,
    /// The method name.
    pub method: String,
    /// Its parameters.
    pub params: Vec<Field>,
    /// What it returns.
    pub returns: Type,
    /// Why, when the spec does not say.
    pub returns_inferred: Option<String>,
    /// Documentation from the spec.
    pub docs: Vec<String>,
    /// The spec line, in canonical form.
    pub spec_line: String,
    /// How it is answered from the state, when the spec says so (or a
    /// convention does); `None` when it is written by hand.
    pub derived: Option<Derived>,
    /// Its definition as the spec writes it after `=`, if it has one.
    pub definition: Option<String>,
}

impl Query {
    /// Whether it is answered from the events (`history of …`), not from
    /// the state: no method of the queries trait, and no rule asks it.
    pub fn is_history(&self) -> bool {
        matches!(self.derived, Some(Derived::History { .. }))
    }
}

/// A query answered from the state.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "derived", rename_all = "kebab-case")]
pub enum Derived {
    /// `has-<entity>? [key]`
    Has {
        /// The store.
        store: usize,
        /// The key: a parameter.
        key: Expr,
    },
    /// `get-<entity> [key]`
    Get {
        /// The store.
        store: usize,
        /// The key: a parameter.
        key: Expr,
    },
    /// `<field> of <Entity> [key]`: the field of the entity held under
    /// the key; for a yes/no field, `no` when there is none, else nothing.
    Field {
        /// The store.
        store: usize,
        /// The field's Rust name.
        field: String,
        /// The key: a parameter.
        key: Expr,
        /// The field's type.
        ty: Type,
    },
    /// `<entities> [where …]`, in creation order.
    Select {
        /// The store.
        store: usize,
        /// The condition on each entity.
        filter: Option<Condition>,
    },
    /// `sum of <field> of <entities> [where …]`: a number; a sum past its
    /// type's range stops at the bound it passed.
    Sum {
        /// The store.
        store: usize,
        /// The field's Rust name.
        field: String,
        /// Its type: `integer`, `number` or `decimal`.
        ty: Type,
        /// The condition on each entity.
        filter: Option<Condition>,
    },
    /// `count of <entities> [where …]`
    Count {
        /// The store.
        store: usize,
        /// The condition on each entity.
        filter: Option<Condition>,
    },
    /// `history of <Entity> [key]`: the events of the model that carry
    /// the entity's key field with the key's value, in the order they
    /// happened. Read from the stored events, never from the state.
    History {
        /// The store.
        store: usize,
        /// The key: a parameter.
        key: Expr,
        /// The key field's Rust name, in the entity and in the events.
        field: String,
        /// The events that carry it, by index in [`Model::events`].
        events: Vec<usize>,
    },
    /// `<entities> per <field>`, `count of … per …`, `sum of … per …`: the
    /// answer of `each` for the entities of each value the field holds, in
    /// the value's order; an entity whose field holds nothing is in none.
    Per {
        /// The field's Rust name.
        field: String,
        /// The type of the field's values (not optional).
        key: Type,
        /// Whether the field is optional.
        optional: bool,
        /// A [`Derived::Select`], [`Derived::Count`] or [`Derived::Sum`].
        each: Box<Derived>,
    },
}

impl Derived {
    /// The store the definition reads.
    pub fn store(&self) -> usize {
        match self {
            Derived::Has { store, .. }
            | Derived::Get { store, .. }
            | Derived::Field { store, .. }
            | Derived::Select { store, .. }
            | Derived::Sum { store, .. }
            | Derived::Count { store, .. }
            | Derived::History { store, .. } => *store,
            Derived::Per { each, .. } => each.store(),
        }
    }

    /// The condition on each entity, if the definition looks at many.
    pub fn filter(&self) -> Option<&Condition> {
        match self {
            Derived::Has { .. }
            | Derived::Get { .. }
            | Derived::Field { .. }
            | Derived::History { .. } => None,
            Derived::Select { filter, .. }
            | Derived::Sum { filter, .. }
            | Derived::Count { filter, .. } => filter.as_ref(),
            Derived::Per { each, .. } => each.filter(),
        }
    }
}

/// An expression in a rule, ready for code generation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "expr", rename_all = "kebab-case")]
pub enum Expr {
    /// A command parameter (in guards and sources), an event field (in
    /// effects) or a query parameter (in derived queries): its Rust name.
    Input {
        /// The Rust name.
        rust: String,
        /// Its type.
        ty: Type,
    },
    /// A field of the model's `State:`, the record its stream holds.
    Own {
        /// The field's Rust name.
        rust: String,
        /// Its type.
        ty: Type,
    },
    /// A field of the entity a derived query looks at.
    Item {
        /// The field's Rust name.
        rust: String,
        /// Its type.
        ty: Type,
    },
    /// `<field> of <Entity> [key]`: absent when the entity is.
    FieldOf {
        /// The store.
        store: usize,
        /// The field's Rust name.
        field: String,
        /// The key.
        key: Box<Expr>,
        /// The field's type.
        ty: Type,
    },
    /// A query with its arguments.
    Call {
        /// The method.
        method: String,
        /// The arguments.
        args: Vec<Expr>,
        /// What it returns.
        ty: Type,
    },
    /// `<query> [args] in <Model>`: a query of another model, answered by
    /// the value the proposing method is given for it.
    Asked {
        /// The model asked: an index into [`Model::asks`].
        ask: usize,
        /// The query's method.
        method: String,
        /// The arguments.
        args: Vec<Expr>,
        /// What it returns.
        ty: Type,
    },
    /// `<query> [args] from <Service>`: a query of a service outside the
    /// spec, answered by the app when proposing.
    Served {
        /// The service: an index into [`Model::services`].
        service: usize,
        /// The query: an index into its [`Service::queries`].
        query: usize,
        /// The arguments.
        args: Vec<Expr>,
        /// What it answers.
        ty: Type,
    },
    /// `ids of <query or plural>`: the keys of a list of entities.
    IdsOf {
        /// The list.
        of: Box<Expr>,
        /// The key field's Rust name.
        key: String,
        /// The type of the ids' list.
        ty: Type,
    },
    /// `today` (a `date`) or `now` (a `timestamp`): read from the clock
    /// the model holds when a command is proposed or a query answered.
    Clock {
        /// `date` for `today`, `timestamp` for `now`.
        ty: Type,
    },
    /// Every entity of a store, in creation order.
    All {
        /// The store.
        store: usize,
        /// `list of <Entity>`.
        ty: Type,
    },
    /// A value written in the spec.
    Literal {
        /// The value.
        value: Literal,
        /// Its type.
        ty: Type,
    },
    /// `<left> <op> <right>` over two numbers of one type (`integer`,
    /// `number` or `decimal`), which is its type. Out of its type's range,
    /// or a division by zero, it has no value.
    Arith {
        /// The operator.
        op: crate::syntax::ast::ArithOp,
        /// The left side.
        left: Box<Expr>,
        /// The right side.
        right: Box<Expr>,
        /// Its type (both sides').
        ty: Type,
    },
}

impl Expr {
    /// Calls `f` on the expression and on each expression inside it.
    pub fn visit(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Asked { args, .. } | Expr::Call { args, .. } | Expr::Served { args, .. } => {
                args.iter().for_each(|a| a.visit(f));
            }
            Expr::FieldOf { key, .. } => key.visit(f),
            Expr::IdsOf { of, .. } => of.visit(f),
            Expr::Arith { left, right, .. } => {
                left.visit(f);
                right.visit(f);
            }
            Expr::Input { .. }
            | Expr::Own { .. }
            | Expr::Item { .. }
            | Expr::All { .. }
            | Expr::Clock { .. }
            | Expr::Literal { .. } => {}
        }
    }

    /// The expression's type: what its value is.
    pub fn ty(&self) -> &Type {
        match self {
            Expr::Input { ty, .. }
            | Expr::Own { ty, .. }
            | Expr::Item { ty, .. }
            | Expr::FieldOf { ty, .. }
            | Expr::Call { ty, .. }
            | Expr::Asked { ty, .. }
            | Expr::Served { ty, .. }
            | Expr::IdsOf { ty, .. }
            | Expr::All { ty, .. }
            | Expr::Clock { ty }
            | Expr::Literal { ty, .. }
            | Expr::Arith { ty, .. } => ty,
        }
    }
}

/// How two values compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cmp {
    /// `is`
    Eq,
    /// `is not`
    Ne,
    /// `is more than`
    Gt,
    /// `is less than`
    Lt,
    /// `is at least`
    Ge,
    /// `is at most`
    Le,
    /// `is within <n> days of`: two dates at most `n` days apart.
    Within(u32),
    /// `is not within <n> days of`.
    Beyond(u32),
}

/// A yes/no condition.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "condition", rename_all = "kebab-case")]
pub enum Condition {
    /// A yes/no value.
    Holds {
        /// The value.
        expr: Expr,
    },
    /// Not a yes/no value.
    Not {
        /// The value.
        expr: Expr,
    },
    /// A comparison.
    Compare {
        /// The left side.
        left: Expr,
        /// How.
        cmp: Cmp,
        /// The right side.
        right: Expr,
    },
    /// Every part holds (`and`).
    All {
        /// Two or more.
        parts: Vec<Condition>,
    },
    /// Some part holds (`or`).
    Any {
        /// Two or more.
        parts: Vec<Condition>,
    },
    /// The part does not hold (`not (…)`).
    Negate {
        /// What does not hold.
        part: Box<Condition>,
    },
}

impl Condition {
    /// The expressions it reads, in the order written.
    pub fn exprs(&self) -> Vec<&Expr> {
        match self {
            Condition::Holds { expr } | Condition::Not { expr } => vec![expr],
            Condition::Compare { left, right, .. } => vec![left, right],
            Condition::All { parts } | Condition::Any { parts } => {
                parts.iter().flat_map(Condition::exprs).collect()
            }
            Condition::Negate { part } => part.exprs(),
        }
    }
}

/// What kind of refusal a rejection is, for an HTTP layer to map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RejectionKind {
    /// Something the command needs does not exist.
    NotFound,
    /// The command clashes with what exists.
    Conflict,
    /// The command's values break a constraint.
    Invalid,
    /// The model refuses it for another reason.
    Refused,
    /// Nothing was decided: a service the rules ask could not answer.
    Unavailable,
}

impl RejectionKind {
    /// Every kind.
    pub const ALL: [RejectionKind; 5] = [
        RejectionKind::NotFound,
        RejectionKind::Conflict,
        RejectionKind::Invalid,
        RejectionKind::Refused,
        RejectionKind::Unavailable,
    ];

    /// As rejections serialise it and specs write it (`not-found`).
    pub fn word(self) -> &'static str {
        match self {
            RejectionKind::NotFound => "not-found",
            RejectionKind::Conflict => "conflict",
            RejectionKind::Invalid => "invalid",
            RejectionKind::Refused => "refused",
            RejectionKind::Unavailable => "unavailable",
        }
    }

    /// The variant's Rust name.
    pub fn rust(self) -> &'static str {
        match self {
            RejectionKind::NotFound => "NotFound",
            RejectionKind::Conflict => "Conflict",
            RejectionKind::Invalid => "Invalid",
            RejectionKind::Refused => "Refused",
            RejectionKind::Unavailable => "Unavailable",
        }
    }
}

/// A piece of a guard's message: text, or a parameter's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "part", content = "value", rename_all = "kebab-case")]
pub enum MessagePart {
    /// Text as written.
    Text(String),
    /// `{term}`: the parameter's Rust name.
    Param(String),
    /// A choice field of an entity the command reads, as the spec writes
    /// its value (`nothing` when the entity is not held): what a refused
    /// move is moving from.
    Field(Expr),
}

/// `rejected if|unless <condition>: "<message>"`.
#[derive(Debug, Clone, Serialize)]
pub struct Guard {
    /// A stable identifier: `<action>/<if|unless>-<words of the condition>`.
    pub rule: String,
    /// Whether the command is rejected when the condition does *not* hold.
    pub unless: bool,
    /// The condition.
    pub condition: Condition,
    /// The message.
    pub message: Vec<MessagePart>,
    /// The kind of rejection.
    pub kind: RejectionKind,
    /// The line, as written.
    pub spec_line: String,
}

impl Guard {
    /// The rule by which a guard that computes a value out of range (or
    /// divides by zero) rejects the command, as `invalid`:
    /// `<guard's rule>-in-range`.
    pub fn range_rule(rule: &str) -> String {
        format!("{rule}-in-range")
    }

    /// Whether its condition computes a value.
    pub fn computes(&self) -> bool {
        let mut found = false;
        for expr in self.condition.exprs() {
            expr.visit(&mut |e| found |= matches!(e, Expr::Arith { .. }));
        }
        found
    }
}

/// Where an event field's value comes from.
#[derive(Debug, Clone, Serialize)]
pub struct FieldFrom {
    /// The event field's Rust name.
    pub field: String,
    /// The event field as written.
    pub term: String,
    /// The value.
    pub expr: Expr,
    /// How the spec says it (for `--explain`).
    pub spec: String,
}

/// How an event changes the state.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "effect", rename_all = "kebab-case")]
pub enum Effect {
    /// `adds <Entity>`: each field's value.
    Adds {
        /// The store.
        store: usize,
        /// The entity's fields, in order: (Rust name, value).
        fields: Vec<(String, Expr)>,
    },
    /// `sets <field> of <Entity> [key] to <value>`
    Sets {
        /// The store.
        store: usize,
        /// The key.
        key: Expr,
        /// The field's Rust name.
        field: String,
        /// The value.
        value: Expr,
    },
    /// `increases|decreases <field> of <Entity> [key] by <value>`
    Changes {
        /// The store.
        store: usize,
        /// The key.
        key: Expr,
        /// The field's Rust name.
        field: String,
        /// By how much.
        by: Expr,
        /// Up or down.
        increase: bool,
    },
    /// `sets <field> to <value>`: a field of the model's `State:`.
    SetsOwn {
        /// The field's Rust name.
        field: String,
        /// The value.
        value: Expr,
    },
    /// `increases|decreases <field> by <value>`: a field of the model's
    /// `State:`.
    ChangesOwn {
        /// The field's Rust name.
        field: String,
        /// By how much.
        by: Expr,
        /// Up or down.
        increase: bool,
    },
    /// `<effect> if <condition>`: a `sets` or a `removes` that applies
    /// only when the condition holds, as the event is accepted (read over
    /// the event's fields and what the model holds then).
    When {
        /// The condition.
        condition: Condition,
        /// The effect.
        then: Box<Effect>,
    },
    /// `removes <Entity> [key]`
    Removes {
        /// The store.
        store: usize,
        /// The key.
        key: Expr,
    },
    /// `removes each <Entity> [keys]`
    RemovesEach {
        /// The store.
        store: usize,
        /// The keys.
        keys: Expr,
    },
}

/// A field of a model's `State:`.
#[derive(Debug, Clone, Serialize)]
pub struct Own {
    /// The field.
    pub field: Field,
    /// Its value before the stream's first event: the term's default, or
    /// the type's empty value (`""`, `0`, `no`, `nothing`, `[]`).
    pub initial: Literal,
}

/// An entity store of a model's state.
#[derive(Debug, Clone, Serialize)]
pub struct Store {
    /// The entity's index in [`Model::entities`].
    pub entity: usize,
    /// The state's field (`todos`).
    pub field: String,
    /// The plural as written in rules (`todos`).
    pub plural: String,
}

/// An action: a command, accepted as an event.
#[derive(Debug, Clone, Serialize)]
pub struct Command {
    /// As written (`create-new`).
    pub name: String,
    /// The struct name (`CreateNew`).
    pub rust: String,
    /// The proposing method (`create_new`).
    pub method: String,
    /// Its parameters.
    pub params: Vec<Field>,
    /// The index of its event in [`Model::events`].
    pub event: usize,
    /// Documentation from the spec.
    pub docs: Vec<String>,
    /// The spec line, in canonical form.
    pub spec_line: String,
    /// Whether `Eq` and `Hash` can be derived.
    pub eq: bool,
    /// Its guards, in spec order.
    pub guards: Vec<Guard>,
    /// How the event's fields are filled, when esgen writes the proposing
    /// (`None`: written by hand).
    pub proposing: Option<Vec<FieldFrom>>,
}

impl Command {
    /// The indices `pick` finds in the expressions of the command's rules,
    /// sorted, each once.
    fn indices(&self, pick: impl Fn(&Expr) -> Option<usize>) -> Vec<usize> {
        let mut found = Vec::new();
        self.visit(&mut |e| found.extend(pick(e)));
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Calls `f` on every expression of the command's rules (its guards'
    /// conditions and its event fields' sources) and inside them.
    pub fn visit(&self, f: &mut dyn FnMut(&Expr)) {
        for guard in &self.guards {
            for expr in guard.condition.exprs() {
                expr.visit(f);
            }
        }
        for source in self.proposing.iter().flatten() {
            source.expr.visit(f);
        }
    }
}

/// An event that one or more commands are accepted as.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// As written (`text-changed`).
    pub name: String,
    /// Its current version: 1 unless the spec writes `@<n>`.
    pub version: u32,
    /// Its name on the wire: its name, or in PascalCase (see [`Wire`]).
    pub wire: String,
    /// The struct name (`TextChanged`).
    pub rust: String,
    /// The accepting method (`accept_text_changed`).
    pub method: String,
    /// Its fields.
    pub fields: Vec<Field>,
    /// The commands accepted as it, as written.
    pub commands: Vec<String>,
    /// Whether `Eq` and `Hash` can be derived.
    pub eq: bool,
    /// Its effects, when the spec declares them (`None`: accepting is
    /// written by hand); `Some(vec![])` for `changes nothing`.
    pub effects: Option<Vec<Effect>>,
    /// The effect lines as written (for `--explain`).
    pub effect_lines: Vec<String>,
}

impl Event {
    /// Its serialised tag: the name at version 1 (`created`), else the
    /// name and the version (`created@2`); the name in PascalCase under
    /// `Tags: PascalCase`.
    pub fn tag(&self) -> String {
        wire_tag(&self.wire, self.version)
    }
}

/// How a model's commands and events are named on the wire (`Tags:`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Wire {
    /// Tags in PascalCase (`CustomerDepositedMoney`) rather than the
    /// spec's names (`customer-deposited-money`).
    pub pascal: bool,
    /// `event_version` written `<n>.0` rather than `<n>`.
    pub dotted: bool,
}

impl Wire {
    /// The name on the wire of an action or event named `name`.
    pub fn name(self, name: &str) -> String {
        if self.pascal {
            crate::model::names::pascal(name).map_or_else(
                |_| name.to_string(),
                |p| crate::model::names::unraw(&p).to_string(),
            )
        } else {
            name.to_string()
        }
    }

    /// The tag of the event named `name` at `version`.
    pub fn tag(self, name: &str, version: u32) -> String {
        wire_tag(&self.name(name), version)
    }

    /// The `event_version` an event at `version` is stored with.
    pub fn version(self, version: u32) -> String {
        if self.dotted {
            format!("{version}.0")
        } else {
            version.to_string()
        }
    }

    /// How the lock records it: `None` for the default.
    pub fn locked(self) -> Option<String> {
        match (self.pascal, self.dotted) {
            (false, false) => None,
            (true, false) => Some("PascalCase".into()),
            (false, true) => Some("kebab-case, versions like 1.0".into()),
            (true, true) => Some("PascalCase, versions like 1.0".into()),
        }
    }
}

/// The serialised tag of an event at a version: `created`, `created@2`.
pub fn wire_tag(name: &str, version: u32) -> String {
    if version == 1 {
        name.to_string()
    } else {
        format!("{name}@{version}")
    }
}

/// One model: a bounded context with its queries and actions.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// As written (`Todos`).
    pub name: String,
    /// The name its events are stored under, cqrs-es's aggregate type:
    /// its name, or what `stored as` says.
    pub stored_as: String,
    /// The aggregate's type name (`Todos`), and the prefix of its traits.
    pub rust: String,
    /// The module name (`todos`).
    pub module: String,
    /// The module's file stem (`todos`, `type` for `r#type`).
    pub file_stem: String,
    /// Documentation from the spec.
    pub docs: Vec<String>,
    /// Its entities.
    pub entities: Vec<Entity>,
    /// Every term it uses or declares, in first-use order.
    pub terms: Vec<Term>,
    /// Its queries.
    pub queries: Vec<Query>,
    /// Its commands, in spec order.
    pub commands: Vec<Command>,
    /// Its events, in order of first appearance.
    pub events: Vec<Event>,
    /// Its choice types.
    pub choices: Vec<Choice>,
    /// The state esgen keeps, one store per entity, when the model declares
    /// rules; `None` when the aggregate is written by hand.
    pub state: Option<Vec<Store>>,
    /// How its commands and events are named on the wire.
    pub wire: Wire,
    /// `State: [fields]`: the record one stream of the model holds, its
    /// fields named directly by the rules; empty when it declares none.
    pub own: Vec<Own>,
    /// Its scenarios, in spec order.
    pub scenarios: Vec<Scenario>,
    /// How its events are split into streams for storage.
    pub streams: Streams,
    /// The other models its rules ask (`<query> [args] in <Model>`), in
    /// the order first asked.
    pub asks: Vec<Ask>,
    /// The services outside the spec its rules ask (`<query> [args] from
    /// <Service>`), in the order first asked.
    pub services: Vec<Service>,
    /// The versions of its events that were stored and are not current,
    /// each read and brought up to its current event (from the lock and
    /// `Evolution:`).
    pub stored: Vec<StoredVersion>,
    /// The tags of stored events the spec retired: skipped when read.
    pub retired: Vec<String>,
    /// `migrate by <function>`: the function (its Rust name) that moves a
    /// running stream of the model to new streams.
    pub migration: Option<String>,
    /// Its policies: what happens next when one of its events is
    /// accepted, in spec order.
    pub policies: Vec<Policy>,
    /// Its scenarios of what happens next (`when <event> [...] happens`),
    /// in spec order.
    pub reactions: Vec<Reaction>,
}

/// A scenario of what happens next: an event of the model recorded, and
/// the commands its policies are expected to send.
#[derive(Debug, Clone, Serialize)]
pub struct Reaction {
    /// The title, as written.
    pub title: String,
    /// The test's function name.
    pub test: String,
    /// The title's line number.
    pub line: usize,
    /// The spec's lines from the title to the last step, as written.
    pub text: String,
    /// The event recorded.
    pub event: Fact,
    /// The commands expected, in the order written: each model's name and
    /// its command.
    pub asked: Vec<(String, Fact)>,
    /// The `then` line's number.
    pub then_line: usize,
}

/// `- when <event> then …` in `Policies:`: when an event of the model is
/// accepted, a command for a model of the spec or a function of the app.
/// Each policy is a subscription of its own, named by [`Policy::name`].
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    /// Its name, which names its subscription and its checkpoint:
    /// `<event>-then-<action>` or `<event>-then-<function>`.
    pub name: String,
    /// The Rust name of the function that decides it (`book_lost_then_order_replacement`).
    pub rust: String,
    /// The event it follows: an index into [`Model::events`].
    pub event: usize,
    /// What it does.
    pub then: Then,
    /// `only if <condition>`: the events it acts on; every one when `None`.
    pub only_if: Option<Condition>,
    /// `strong`: the command that caused its event answers once it acted.
    pub strong: bool,
    /// `from now`: it starts at the events stored after it first runs.
    pub from_now: bool,
    /// Documentation from the spec.
    pub docs: Vec<String>,
    /// The spec line, in canonical form.
    pub spec_line: String,
    /// Its lines below it, in canonical form.
    pub lines: Vec<String>,
}

impl Policy {
    /// The model of `spec` it asks, and the command: `None` for a policy
    /// that notifies.
    pub fn asks<'s>(&self, spec: &'s Spec) -> Option<(&'s Model, &'s Command)> {
        let Then::Ask { model, command, .. } = &self.then else {
            return None;
        };
        let target = spec.models.iter().find(|m| m.name == *model)?;
        Some((target, target.commands.get(*command)?))
    }
}

/// What a policy does.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "then", rename_all = "kebab-case")]
pub enum Then {
    /// A command for a model of the spec (this one or another).
    Ask {
        /// The model, as written.
        model: String,
        /// The model's module (`purchasing`).
        module: String,
        /// The model's aggregate type name (`Purchasing`).
        rust: String,
        /// The command: an index into the model's [`Model::commands`].
        command: usize,
        /// The command's Rust name (`OrderReplacement`).
        command_rust: String,
        /// Each parameter of the command, in order, with its value.
        fields: Vec<FieldFrom>,
    },
    /// `notify by <function>`: a function the app writes, called with the
    /// event.
    Notify {
        /// As written (`tell-librarian`).
        function: String,
        /// Its Rust name (`tell_librarian`).
        method: String,
    },
}

/// A version of an event that was stored and is not current.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredVersion {
    /// The event's name as written then.
    pub name: String,
    /// The version.
    pub version: u32,
    /// Its tag on the wire.
    pub tag: String,
    /// The struct that reads it (`CreatedV1`).
    pub rust: String,
    /// Its fields, as stored.
    pub fields: Vec<StoredField>,
    /// What it is read as next.
    pub next: Next,
    /// How.
    pub how: Upcast,
}

/// A field of a stored version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredField {
    /// Its key on the wire.
    pub wire: String,
    /// Its Rust name.
    pub rust: String,
    /// The Rust type that reads it.
    pub ty: Type,
    /// The term, as written then.
    pub term: String,
}

/// What a stored version is read as next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "next", content = "index", rename_all = "kebab-case")]
pub enum Next {
    /// Another stored version: an index into [`Model::stored`].
    Stored(usize),
    /// A current event: an index into [`Model::events`].
    Current(usize),
}

/// How a stored version becomes the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "how", rename_all = "kebab-case")]
pub enum Upcast {
    /// Field by field: each field of the next version, and its value.
    Fields {
        /// (the next version's field, Rust name; its value).
        fields: Vec<(String, FieldValue)>,
    },
    /// By a function you write (its Rust name).
    By {
        /// The function.
        function: String,
    },
}

/// Where a field of the next version comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum FieldValue {
    /// The stored field of this Rust name.
    Field {
        /// Its Rust name.
        rust: String,
    },
    /// A value written in `Evolution:` or the term's default.
    Value {
        /// The value.
        value: Literal,
        /// Its type.
        ty: Type,
    },
}

/// A service outside the spec whose queries a model's rules ask
/// (`<query> [args] from <Service>`): a trait the app implements.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    /// Its name as written (`Checks`).
    pub name: String,
    /// Its trait's name (`Checks`).
    pub rust: String,
    /// Its queries, in the order first asked.
    pub queries: Vec<ServiceQuery>,
}

/// A query of a service outside the spec.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceQuery {
    /// As written (`valid-check?`).
    pub name: String,
    /// The trait's method (`valid_check`).
    pub method: String,
    /// Its parameters, named after the arguments it was first asked with.
    pub params: Vec<Field>,
    /// What it answers: yes or no for a name ending in `?`, else the type
    /// of the term of its name.
    pub returns: Type,
}

/// Another model of the spec whose queries a model's rules ask.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ask {
    /// Its name as written (`Patients`).
    pub name: String,
    /// Its aggregate's type name (`Patients`).
    pub rust: String,
    /// Its module (`patients`).
    pub module: String,
    /// The parameter that hands it to a proposing method (`patients`).
    pub param: String,
}

/// How a model's events are split into streams.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "streams", rename_all = "kebab-case")]
pub enum Streams {
    /// One stream holds every event of the model (per instance the app
    /// names).
    Whole {
        /// The action that keeps it whole, if one does.
        action: Option<usize>,
        /// Why, in a sentence.
        reason: String,
    },
    /// Each entity instance is a stream: every action carries one
    /// entity's key and touches only that entity.
    PerEntity {
        /// Each command's key, in command order.
        keys: Vec<StreamKey>,
    },
}

/// Which entity a command's stream is, and by which parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreamKey {
    /// The store of the entity.
    pub store: usize,
    /// The parameter holding its key (Rust name).
    pub param: String,
    /// The parameter as written.
    pub term: String,
}

impl Model {
    /// The other models a command's rules ask, as indices into
    /// [`Model::asks`], in order.
    pub fn asks_of(&self, command: &Command) -> Vec<usize> {
        command.indices(|e| match e {
            Expr::Asked { ask, .. } => Some(*ask),
            _ => None,
        })
    }

    /// Whether an expression reads `today` or `now`, itself or through a
    /// query of the model it asks.
    pub fn expr_reads_clock(&self, expr: &Expr) -> bool {
        let mut seen = Vec::new();
        self.reads_clock_in(expr, &mut seen)
    }

    fn reads_clock_in(&self, expr: &Expr, seen: &mut Vec<String>) -> bool {
        let mut found = false;
        let mut calls = Vec::new();
        expr.visit(&mut |e| match e {
            Expr::Clock { .. } => found = true,
            Expr::Call { method, .. } => calls.push(method.clone()),
            _ => {}
        });
        found
            || calls.into_iter().any(|method| {
                if seen.contains(&method) {
                    return false;
                }
                seen.push(method.clone());
                let query = self.queries.iter().find(|q| q.method == method);
                let filter = query
                    .and_then(|q| q.derived.as_ref())
                    .and_then(Derived::filter);
                filter.is_some_and(|c| c.exprs().into_iter().any(|e| self.reads_clock_in(e, seen)))
            })
    }

    /// Whether the model's rules or queries read `today` or `now`: its
    /// state then holds the clock they read.
    pub fn reads_clock(&self) -> bool {
        let mut reads = false;
        let mut look = |e: &Expr| reads |= matches!(e, Expr::Clock { .. });
        for command in &self.commands {
            command.visit(&mut look);
        }
        for query in &self.queries {
            let filter = query.derived.as_ref().and_then(Derived::filter);
            for expr in filter.iter().flat_map(|c| c.exprs()) {
                expr.visit(&mut look);
            }
        }
        reads
    }

    /// The services outside the spec whose queries `command`'s rules ask,
    /// by index, in order.
    pub fn services_of(&self, command: &Command) -> Vec<usize> {
        command.indices(|e| match e {
            Expr::Served { service, .. } => Some(*service),
            _ => None,
        })
    }

    /// The rule by which proposing `command` is rejected as `unavailable`
    /// when `service` cannot answer: `<action>/from-<service>`.
    pub fn unavailable_rule(&self, command: &Command, service: usize) -> String {
        let name = super::names::kebab(&self.services[service].name);
        format!("{}/from-{name}", command.name)
    }

    /// The rule by which proposing `command` rejects it when the source
    /// of an event field reads an entity of `store` that is not held:
    /// `<action>/<entity>-exists` (`cancel/appointment-exists`).
    pub fn exists_rule(&self, command: &Command, store: usize) -> String {
        let entity = super::names::kebab(&self.store_entity(store).name);
        format!("{}/{entity}-exists", command.name)
    }

    /// The rule by which proposing `command` rejects it when an
    /// `increases` or `decreases` of its event would take `field` (its
    /// term) of an entity of `store` out of its type's range:
    /// `<action>/<field>-of-<entity>-in-range`.
    pub fn range_rule(&self, command: &Command, store: usize, field: &str) -> String {
        let entity = super::names::kebab(&self.store_entity(store).name);
        format!("{}/{field}-of-{entity}-in-range", command.name)
    }

    /// The rule by which proposing `command` rejects it when the event
    /// field `field` (its term), computed by arithmetic, is out of its
    /// type's range or divides by zero: `<action>/<field>-in-range`.
    pub fn computed_rule(&self, command: &Command, field: &str) -> String {
        format!("{}/{field}-in-range", command.name)
    }

    /// Every rule proposing `command` can reject it by, when esgen
    /// generates it: its constraints, its guards, the entities its
    /// sources read, the ranges of its event's effects.
    pub fn rules_of(&self, command: &Command) -> Vec<String> {
        let mut rules = Vec::new();
        if command.params.iter().any(|p| !p.checks.is_empty()) {
            rules.push(format!("{}/constraints", command.name));
        }
        for guard in &command.guards {
            rules.push(guard.rule.clone());
            if guard.computes() {
                rules.push(Guard::range_rule(&guard.rule));
            }
        }
        if self.state.is_none() {
            return rules;
        }
        for service in self.services_of(command) {
            rules.push(self.unavailable_rule(command, service));
        }
        for source in command.proposing.iter().flatten() {
            match &source.expr {
                Expr::FieldOf { store, .. } => rules.push(self.exists_rule(command, *store)),
                Expr::Arith { .. } => {
                    source.expr.visit(&mut |e| {
                        if let Expr::FieldOf { store, .. } = e {
                            let rule = self.exists_rule(command, *store);
                            if !rules.contains(&rule) {
                                rules.push(rule);
                            }
                        }
                    });
                    rules.push(self.computed_rule(command, &source.term));
                }
                _ => {}
            }
        }
        for effect in self.event_of(command).effects.iter().flatten() {
            if let Effect::ChangesOwn { field, .. } = effect {
                if let Some(own) = self.own.iter().find(|o| o.field.rust == *field) {
                    rules.push(self.computed_rule(command, &own.field.term));
                }
            }
            if let Effect::Changes { store, field, .. } = effect {
                let term = self
                    .store_entity(*store)
                    .fields
                    .iter()
                    .find(|f| f.rust == *field)
                    .map_or(field.as_str(), |f| f.term.as_str());
                rules.push(self.range_rule(command, *store, term));
            }
        }
        rules.dedup();
        rules
    }

    /// The event a command is accepted as.
    pub fn event_of(&self, command: &Command) -> &Event {
        &self.events[command.event]
    }

    /// Whether the command enum can derive `Eq`.
    pub fn commands_eq(&self) -> bool {
        self.commands.iter().all(|c| c.eq)
    }

    /// Whether the event enum can derive `Eq`.
    pub fn events_eq(&self) -> bool {
        self.events.iter().all(|e| e.eq)
    }

    /// The stores whose entities are streams of their own, in the order
    /// the commands first use them; none when the model is one stream.
    pub fn split_stores(&self) -> Vec<usize> {
        let Streams::PerEntity { keys } = &self.streams else {
            return Vec::new();
        };
        let mut stores = Vec::new();
        for key in keys {
            if !stores.contains(&key.store) {
                stores.push(key.store);
            }
        }
        stores
    }

    /// The first part of the streams of a store's entities (`account`, for
    /// `account/<id>`).
    pub fn stream_prefix(&self, store: usize) -> String {
        super::names::kebab(&self.store_entity(store).name)
    }

    /// The materialized table of a store's entities, for a model split
    /// into one stream per entity (`accounts_accounts`). PostgreSQL cuts
    /// names at 63 bytes, so a longer one keeps its first 54 and ends in
    /// 8 hex digits of its hash, to stay apart from its neighbours.
    pub fn table(&self, store: usize) -> String {
        let stores = self.state.as_deref().unwrap_or_default();
        let name = format!(
            "{}_{}",
            super::names::unraw(&self.module),
            super::names::unraw(&stores[store].field)
        );
        if name.len() <= 63 {
            return name;
        }
        use sha2::{Digest as _, Sha256};
        let hash = Sha256::digest(name.as_bytes());
        format!(
            "{}_{:02x}{:02x}{:02x}{:02x}",
            &name[..54],
            hash[0],
            hash[1],
            hash[2],
            hash[3]
        )
    }

    /// The entity a store holds.
    pub fn store_entity(&self, store: usize) -> &Entity {
        let stores = self.state.as_deref().unwrap_or_default();
        &self.entities[stores[store].entity]
    }

    /// Whether every piece of the model is generated: nothing is left to
    /// write by hand.
    pub fn fully_declared(&self) -> bool {
        self.state.is_some()
            && self.queries.iter().all(|q| q.derived.is_some())
            && self.commands.iter().all(|c| c.proposing.is_some())
            && self.events.iter().all(|e| e.effects.is_some())
    }
}

/// `- <title>` in `Scenarios:`: given events, when a command, then what
/// happens and what the queries answer.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    /// The title, as written.
    pub title: String,
    /// The test's function name (`ids_are_unique`).
    pub test: String,
    /// The title's line number.
    pub line: usize,
    /// The spec's lines from the title to the last step, as written.
    pub text: String,
    /// The events the model starts from, in order.
    pub given: Vec<Fact>,
    /// The command.
    pub when: Fact,
    /// What is expected to happen.
    pub then: Outcome,
    /// The `then` line's number.
    pub then_line: usize,
    /// The answers expected after it.
    pub expects: Vec<Expect>,
    /// What the services outside the spec answer (`given <Service>
    /// answers …`, `given <Service> cannot answer`).
    pub answers: Vec<Answer>,
    /// What the clock reads (`given today is …`, `given now is …`), in
    /// RFC 3339.
    pub clock: Option<String>,
    /// What it shows: the action it runs and the guard it shows
    /// rejecting, if any (rule ids).
    pub covers: Vec<String>,
}

/// What a service outside the spec answers in a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// The service: an index into [`Model::services`].
    pub service: usize,
    /// The query (an index into its queries) and what it answers,
    /// whatever it is asked; `None` when the service cannot answer.
    pub answer: Option<(usize, Literal)>,
}

/// An event or command of a scenario, with every value.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    /// The event's index in [`Model::events`] or the command's in
    /// [`Model::commands`].
    pub index: usize,
    /// Each field's value, in the struct's order: (field, value).
    pub values: Vec<(Field, Literal)>,
    /// Its line.
    pub line: usize,
    /// `given … in <Model>`: an event of that model (an index into
    /// [`Model::asks`]), not of this one.
    pub ask: Option<usize>,
}

/// What a scenario's `then` expects.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    /// This event, field by field.
    Event {
        /// The event.
        fact: Fact,
    },
    /// Any event.
    Accepted,
    /// A rejection.
    Rejected {
        /// The rule, as written after `by`.
        rule: Option<String>,
        /// The kind.
        kind: Option<RejectionKind>,
        /// The message.
        message: Option<String>,
    },
}

/// `and <query> [args] is <value>`.
#[derive(Debug, Clone, Serialize)]
pub struct Expect {
    /// The query's index in [`Model::queries`].
    pub query: usize,
    /// Its arguments, in order.
    pub args: Vec<Literal>,
    /// The answer; entities written as their keys.
    pub value: Literal,
    /// The type `value` has: the query's, with each entity replaced by
    /// its key's type.
    pub ty: Type,
    /// Its line.
    pub line: usize,
}

impl Type {
    /// The type as the spec would write it (`list of id of Todo`).
    pub fn spec(&self) -> String {
        match self {
            Type::Text => "text".into(),
            Type::Integer => "integer".into(),
            Type::Number => "number".into(),
            Type::Boolean => "boolean".into(),
            Type::List(inner) => format!("list of {}", inner.spec()),
            Type::Optional(inner) => format!("optional {}", inner.spec()),
            Type::Id(of) => format!("id of {of}"),
            Type::Entity(rust) => rust.clone(),
            // Another model's choice: `shows::Stage`.
            Type::Choice(rust) => rust.trim_start_matches("super::").to_string(),
            Type::Date => "date".into(),
            Type::Timestamp => "timestamp".into(),
            Type::Decimal => "decimal".into(),
            Type::Map(key, value) => format!("{} per {}", value.spec(), key.spec()),
            Type::Event(_) => "event".into(),
        }
    }

    /// Whether values of the type are plain numbers (`integer`, `number`,
    /// `decimal`), which `at least`, `increases` and friends work on.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Type::Integer | Type::Number | Type::Decimal)
    }

    /// Whether values of the type have an order (`is more than`).
    pub fn is_ordered(&self) -> bool {
        self.is_numeric() || matches!(self, Type::Date | Type::Timestamp)
    }

    /// Whether `{placeholder}`s of this type can be shown in a message.
    pub fn is_displayable(&self) -> bool {
        !matches!(self, Type::List(_) | Type::Optional(_) | Type::Entity(_))
    }

    /// Whether the type is `Copy` in Rust.
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            Type::Integer
                | Type::Number
                | Type::Boolean
                | Type::Date
                | Type::Timestamp
                | Type::Decimal
                | Type::Choice(_)
        )
    }

    /// Whether the type is `Copy` in Rust, an optional of a `Copy` type
    /// included (`Option<i64>`).
    pub fn is_copy_or_optional_copy(&self) -> bool {
        match self {
            Type::Optional(inner) => inner.is_copy(),
            other => other.is_copy(),
        }
    }

    /// The owned Rust type (`Vec<TodoId>`).
    pub fn rust(&self) -> String {
        match self {
            Type::Text => "String".into(),
            Type::Integer => "i64".into(),
            Type::Number => "f64".into(),
            Type::Boolean => "bool".into(),
            Type::List(inner) => format!("Vec<{}>", inner.rust()),
            Type::Optional(inner) => format!("Option<{}>", inner.rust()),
            Type::Id(of) => format!("{of}Id"),
            Type::Entity(rust) | Type::Choice(rust) => rust.clone(),
            Type::Date => "NaiveDate".into(),
            Type::Timestamp => "DateTime<Utc>".into(),
            Type::Decimal => "Decimal".into(),
            Type::Map(key, value) => format!("BTreeMap<{}, {}>", key.rust(), value.rust()),
            Type::Event(rust) => rust.clone(),
        }
    }

    /// The Rust type of a parameter that borrows it (`&str`, `&[TodoId]`,
    /// `i64`).
    pub fn rust_param(&self) -> String {
        match self {
            _ if self.is_copy() => self.rust(),
            Type::Text => "&str".into(),
            Type::List(inner) => format!("&[{}]", inner.rust()),
            Type::Optional(inner) => match inner.rust_param() {
                by_ref if by_ref.starts_with('&') => format!("Option<{by_ref}>"),
                by_value if inner.is_copy() => format!("Option<{by_value}>"),
                other => format!("Option<&{other}>"),
            },
            _ => format!("&{}", self.rust()),
        }
    }

    /// Whether values of the type can be `Eq` and `Hash` (no `f64` inside),
    /// given which entities can.
    pub fn eq_hash(&self, entity_eq: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Type::Number => false,
            Type::List(inner) | Type::Optional(inner) => inner.eq_hash(entity_eq),
            Type::Entity(name) => entity_eq(name),
            _ => true,
        }
    }

    /// The identity types this type mentions (`Todo` for `TodoId`).
    pub fn identities<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Type::Id(of) => out.push(of),
            Type::List(inner) | Type::Optional(inner) => inner.identities(out),
            _ => {}
        }
    }
}
