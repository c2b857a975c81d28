//! The syntax tree: what the spec says, as written, with spans.

use crate::source::Span;
use serde::Serialize;

/// A name as written in the spec (`has-todo?`, `Todos`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ident {
    /// The text.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

/// A parsed spec file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SpecFile {
    /// The models, in file order.
    pub models: Vec<Model>,
}

/// `Model: <Name>` and everything up to the next model.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// The model's name.
    pub name: Ident,
    /// `stored as <name>`: the name its events are stored under.
    pub stored_as: Option<Ident>,
    /// Documentation from comments.
    pub docs: Vec<String>,
    /// `Entity:` lines.
    pub entities: Vec<Entity>,
    /// Section headers, in order (for the once-per-model check).
    pub sections: Vec<SectionHeader>,
    /// Bullets of `Terms:` sections.
    pub terms: Vec<Term>,
    /// Bullets of `Queries:` sections.
    pub queries: Vec<Query>,
    /// Bullets of `Actions:` sections.
    pub actions: Vec<Action>,
    /// Bullets of `Scenarios:` sections, with their steps.
    pub scenarios: Vec<Scenario>,
    /// `Streams:` lines, in order (one is expected).
    pub streams: Vec<StreamsRequest>,
    /// `State:` lines, in order (one at most is expected).
    pub state: Vec<StateDecl>,
    /// `Tags:` lines, in order (one at most is expected).
    pub tags: Vec<TagsDecl>,
    /// Bullets of `Evolution:` sections.
    pub evolution: Vec<EvolutionItem>,
    /// Bullets of `Policies:` sections, with their lines.
    pub policies: Vec<Policy>,
}

/// `- when <event> then <action> [in <Model>]` or `- when <event> then
/// notify by <function>` in `Policies:`, with its options and lines.
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    /// The event of this model it follows.
    pub event: Ident,
    /// What it does.
    pub then: PolicyThen,
    /// `, strong`: the command that caused the event answers once the
    /// policy has acted.
    pub strong: Option<Span>,
    /// `, from now`: it starts at the events stored after it first runs.
    pub from_now: Option<Span>,
    /// Its lines, in spec order.
    pub lines: Vec<PolicyLine>,
    /// Documentation from comments.
    pub docs: Vec<String>,
    /// The item.
    pub span: Span,
}

/// What a policy does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PolicyThen {
    /// `<action>` or `<action> in <Model>`: a command sent to a model.
    Ask {
        /// The action.
        action: Ident,
        /// The model, when it is another.
        model: Option<Ident>,
    },
    /// `notify by <function>`: a function you write.
    Notify(Ident),
}

/// A line below a policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PolicyLine {
    /// `<param> = <source>`: a field of the command, from the event.
    Source {
        /// The command's parameter.
        field: Ident,
        /// Where it comes from.
        from: FieldSource,
        /// The whole item.
        span: Span,
    },
    /// `only if <condition>`: the policy acts only on events that meet it.
    OnlyIf {
        /// The condition.
        condition: Condition,
        /// The whole item.
        span: Span,
    },
}

impl PolicyLine {
    /// The line's item.
    pub fn span(&self) -> Span {
        match self {
            PolicyLine::Source { span, .. } | PolicyLine::OnlyIf { span, .. } => *span,
        }
    }
}

/// `created` or `created@2`: an event at a version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRef {
    /// The event's name.
    pub name: Ident,
    /// The version written after `@`, and where; `None` is version 1.
    pub version: Option<(u32, Span)>,
    /// The whole.
    pub span: Span,
}

impl EventRef {
    /// The version: the one written, or 1.
    pub fn number(&self) -> u32 {
        self.version.map_or(1, |(v, _)| v)
    }
}

/// A bullet of `Evolution:`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum EvolutionItem {
    /// `<event>@<n> -> <event>@<m>[: <change>, …]`: how a stored version is
    /// read as the next.
    Upcast {
        /// The version stored.
        from: EventRef,
        /// The version it becomes.
        to: EventRef,
        /// How, beyond fields of the same name and type.
        changes: Vec<Change>,
        /// The item.
        span: Span,
    },
    /// `retired <event>, …`: stored ones skipped on replay.
    Retired {
        /// The events.
        names: Vec<Ident>,
        /// The item.
        span: Span,
    },
    /// `reserved <name>, …`: names that may not come back.
    Reserved {
        /// The names.
        names: Vec<Ident>,
        /// The item.
        span: Span,
    },
    /// `migrate by <function>`: a running stream moved to new streams by
    /// a function you write.
    Migrate {
        /// The function.
        function: Ident,
        /// The item.
        span: Span,
    },
}

/// One change of an upcast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Change {
    /// `by <function>`: a function you write does the whole step.
    By(Ident),
    /// `<field> was <old-field>`: a field renamed.
    Was {
        /// The field of the new version.
        field: Ident,
        /// Its name in the old one.
        old: Ident,
    },
    /// `<field> = <value>`: a field the old version lacks, and its value.
    Default {
        /// The field.
        field: Ident,
        /// Its value.
        value: Value,
    },
}

/// `Tags: PascalCase, versions like 1.0`: how the model's commands and
/// events are named on the wire.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TagsDecl {
    /// Tags in PascalCase rather than the spec's names.
    pub pascal: bool,
    /// `event_version` written `<n>.0` rather than `<n>`.
    pub dotted: bool,
    /// The line.
    pub span: Span,
}

/// `State: [fields]`: the record one stream of the model holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateDecl {
    /// Its fields (term names).
    pub fields: Vec<Ident>,
    /// Documentation from comments.
    pub docs: Vec<String>,
    /// The line.
    pub span: Span,
}

/// `Streams: one per <Entity>` or `Streams: one`.
#[derive(Debug, Clone, Serialize)]
pub struct StreamsRequest {
    /// The entity each of whose instances is a stream; `None` for one
    /// stream for the whole model.
    pub per: Option<Ident>,
    /// The line's item.
    pub span: Span,
}

/// Which section a header opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SectionKind {
    /// `Terms:`
    Terms,
    /// `Queries:`
    Queries,
    /// `Actions:`
    Actions,
    /// `Scenarios:`
    Scenarios,
    /// `Evolution:`
    Evolution,
    /// `Policies:`
    Policies,
}

impl SectionKind {
    /// The header word.
    pub fn keyword(self) -> &'static str {
        match self {
            SectionKind::Terms => "Terms",
            SectionKind::Queries => "Queries",
            SectionKind::Actions => "Actions",
            SectionKind::Scenarios => "Scenarios",
            SectionKind::Evolution => "Evolution",
            SectionKind::Policies => "Policies",
        }
    }
}

/// A section header line.
#[derive(Debug, Clone, Serialize)]
pub struct SectionHeader {
    /// Which section.
    pub kind: SectionKind,
    /// Where the header is.
    pub span: Span,
}

/// `Entity: <Name> [fields]`.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    /// The entity's name.
    pub name: Ident,
    /// Its fields (term names); the first identifies it.
    pub fields: Vec<Ident>,
    /// The fields written `optional`: unknown until an effect sets them.
    pub starts_empty: Vec<Ident>,
    /// Documentation from comments.
    pub docs: Vec<String>,
    /// Read loosely from a line that did not parse (which was reported):
    /// the entity exists, so that what refers to it is not reported too,
    /// but its fields may be incomplete.
    pub recovered: bool,
    /// The whole line's item.
    pub span: Span,
}

/// A type as written: `list of optional text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TypeExpr {
    /// `list of <type>`
    List(Box<TypeExpr>, Span),
    /// `optional <type>`
    Optional(Box<TypeExpr>, Span),
    /// `id of <Name>`
    IdOf(Ident, Span),
    /// `text`, `integer`, `number`, `boolean`, an entity or a term.
    Named(Ident),
    /// `one of [a b c]`: a choice (only as a term's whole type).
    Choice(Vec<Ident>, Span),
}

impl TypeExpr {
    /// Where the type is written.
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::List(_, span)
            | TypeExpr::Optional(_, span)
            | TypeExpr::IdOf(_, span)
            | TypeExpr::Choice(_, span) => *span,
            TypeExpr::Named(name) => name.span,
        }
    }
}

/// `- <term>: <type>` in `Terms:`.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    /// The term.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
    /// Constraints and a default, after the type.
    pub constraints: Vec<Constraint>,
    /// Documentation from comments.
    pub docs: Vec<String>,
    /// The item.
    pub span: Span,
}

/// A constraint or default after a term's type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ConstraintKind {
    /// `not blank`
    NotBlank,
    /// `at most N characters`
    MaxChars(Number),
    /// `at least N characters`
    MinChars(Number),
    /// `at least N`
    AtLeast(Number),
    /// `at most N`
    AtMost(Number),
    /// `between A and B`
    Between(Number, Number),
    /// `default <value>`
    Default(Value),
    /// `moves a -> b | c, …`: each move a value may make (from, to).
    Moves(Vec<(Ident, Ident)>),
}

/// A constraint with where it is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Constraint {
    /// What it says.
    pub kind: ConstraintKind,
    /// `: "<message>"`: what a command that breaks it is told, in the
    /// spec's words, and where.
    pub said: Option<(String, Span)>,
    /// Where.
    pub span: Span,
}

/// A number as written (`12.50`), kept as text so that decimals stay exact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Number {
    /// The digits, with a leading `-` and a `.` if written.
    pub text: String,
    /// Where.
    pub span: Span,
}

/// A value as written in a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Value {
    /// `"quoted text"`, unescaped.
    Text(String, Span),
    /// `42`, `12.50`
    Number(Number),
    /// `[a, b]`
    List(Vec<Value>, Span),
    /// `[north: 2, south: 1]`: a value for each key.
    Map(Vec<(Value, Value)>, Span),
    /// A word: `yes`, `no`, `nothing`, a choice value, an identity, or a
    /// name the context gives a meaning (a parameter, a field).
    Word(Ident),
}

impl Value {
    /// Where the value is written.
    pub fn span(&self) -> Span {
        match self {
            Value::Text(_, span) | Value::List(_, span) | Value::Map(_, span) => *span,
            Value::Number(n) => n.span,
            Value::Word(w) => w.span,
        }
    }
}

/// Something a condition compares or a source reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Operand {
    /// A value or a name.
    Value(Value),
    /// `<field> of <Entity> [key]`
    FieldOf {
        /// The field.
        field: Ident,
        /// The entity.
        entity: Ident,
        /// The key: names of parameters (or event fields).
        key: Vec<Ident>,
        /// The whole.
        span: Span,
    },
    /// `<query> [args]`
    Call {
        /// The query.
        query: Ident,
        /// Its arguments.
        args: Vec<Ident>,
        /// The whole.
        span: Span,
    },
    /// `<query> [args] in <Model>`: a query of another model.
    Asked {
        /// The query.
        query: Ident,
        /// Its arguments.
        args: Vec<Ident>,
        /// The model asked.
        model: Ident,
        /// The whole.
        span: Span,
    },
    /// `balance + overdraft`: a number computed from others, a side of a
    /// comparison.
    Sum(Box<Sum>),
    /// `<query> [args] from <Service>`: a query of a service outside the
    /// spec.
    Served {
        /// The query.
        query: Ident,
        /// Its arguments.
        args: Vec<Ident>,
        /// The service asked.
        service: Ident,
        /// The whole.
        span: Span,
    },
}

impl Operand {
    /// Where the operand is written.
    pub fn span(&self) -> Span {
        match self {
            Operand::Value(v) => v.span(),
            Operand::FieldOf { span, .. }
            | Operand::Call { span, .. }
            | Operand::Asked { span, .. }
            | Operand::Served { span, .. } => *span,
            Operand::Sum(sum) => sum.span(),
        }
    }
}

/// How two operands compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparator {
    /// `is`
    Is,
    /// `is not`
    IsNot,
    /// `is more than`
    MoreThan,
    /// `is less than`
    LessThan,
    /// `is at least`
    AtLeast,
    /// `is at most`
    AtMost,
    /// `is within <n> days of`: two dates at most `n` days apart.
    Within(u32),
    /// `is not within <n> days of`: more than `n` days apart.
    Beyond(u32),
}

impl Comparator {
    /// As the spec writes it.
    pub fn words(self) -> std::borrow::Cow<'static, str> {
        let days = |n: u32| if n == 1 { "day" } else { "days" };
        match self {
            Comparator::Is => "is".into(),
            Comparator::IsNot => "is not".into(),
            Comparator::MoreThan => "is more than".into(),
            Comparator::LessThan => "is less than".into(),
            Comparator::AtLeast => "is at least".into(),
            Comparator::AtMost => "is at most".into(),
            Comparator::Within(n) => format!("is within {n} {} of", days(n)).into(),
            Comparator::Beyond(n) => format!("is not within {n} {} of", days(n)).into(),
        }
    }
}

/// A yes/no condition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Condition {
    /// An operand that is yes or no itself.
    Holds(Operand),
    /// `not <operand>`
    Not(Operand, Span),
    /// `<a> is … <b>`
    Compare(Operand, Comparator, Operand, Span),
    /// `<a> and <b> …`: every part holds.
    All(Vec<Condition>, Span),
    /// `<a> or <b> …`: some part holds.
    Any(Vec<Condition>, Span),
    /// `not (<condition>)`
    Negated(Box<Condition>, Span),
    /// `(<condition>)`: parentheses, as written.
    Grouped(Box<Condition>, Span),
}

impl Condition {
    /// Where the condition is written.
    pub fn span(&self) -> Span {
        match self {
            Condition::Holds(o) => o.span(),
            Condition::Not(_, span)
            | Condition::Compare(_, _, _, span)
            | Condition::All(_, span)
            | Condition::Any(_, span)
            | Condition::Negated(_, span)
            | Condition::Grouped(_, span) => *span,
        }
    }

    /// The operands it reads, in the order written (those a computed side
    /// is computed from, rather than the side).
    pub fn operands(&self) -> Vec<&Operand> {
        fn leaves(o: &Operand) -> Vec<&Operand> {
            match o {
                Operand::Sum(sum) => sum.operands(),
                other => vec![other],
            }
        }
        match self {
            Condition::Holds(o) | Condition::Not(o, _) => vec![o],
            Condition::Compare(left, _, right, _) => {
                let mut all = leaves(left);
                all.extend(leaves(right));
                all
            }
            Condition::All(parts, _) | Condition::Any(parts, _) => {
                parts.iter().flat_map(Condition::operands).collect()
            }
            Condition::Negated(inner, _) | Condition::Grouped(inner, _) => inner.operands(),
        }
    }
}

/// `= <plural> where …` or `= count of <plural> where …` after a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryBody {
    /// `<field> of <Entity> [key]` (an [`Operand::FieldOf`]): one field of
    /// one entity; `plural` is then empty.
    pub field_of: Option<Operand>,
    /// `count of`?
    pub count: bool,
    /// `sum of <field> of`: the field added up.
    pub sum: Option<Ident>,
    /// The entities' plural (`todos`).
    pub plural: Ident,
    /// `per <field>`: the answer grouped by a field of the entities.
    pub per: Option<Ident>,
    /// `history of <Entity> [key]`: the entity and its key; `plural` is
    /// then empty.
    pub history: Option<(Ident, Vec<Ident>)>,
    /// The condition, if any.
    pub filter: Option<Condition>,
    /// The whole body.
    pub span: Span,
}

/// A rule line under an action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Clause {
    /// `rejected if|unless <condition>: "<message>"`
    Guard {
        /// `unless` rather than `if`.
        unless: bool,
        /// The condition.
        condition: Condition,
        /// The message, unescaped.
        message: String,
        /// Where the message is.
        message_span: Span,
        /// The whole line's item.
        span: Span,
    },
    /// `<field> = <source>`
    Source {
        /// The event field.
        field: Ident,
        /// Where it comes from.
        from: FieldSource,
        /// The whole item.
        span: Span,
    },
    /// An effect of the event.
    Effect(Effect),
}

/// Where an event field comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FieldSource {
    /// A value, parameter, query or field of an entity.
    Operand(Operand),
    /// `ids of <query [args] or plural>`
    IdsOf(Operand, Span),
    /// `balance of Account [id] + amount`: a number computed from others.
    Sum(Sum),
}

/// A number computed from others: `+`, `-`, `*` (or `×`), `/` (or `÷`)
/// between operands, `*` and `/` first, parentheses grouping.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Sum {
    /// An operand: a number, a parameter, a field, a query.
    Operand(Operand),
    /// `<left> <op> <right>`
    Op(Box<Sum>, ArithOp, Box<Sum>, Span),
}

impl Sum {
    /// Where it is written.
    pub fn span(&self) -> Span {
        match self {
            Sum::Operand(o) => o.span(),
            Sum::Op(_, _, _, span) => *span,
        }
    }

    /// The operands, in the order written.
    pub fn operands(&self) -> Vec<&Operand> {
        match self {
            Sum::Operand(o) => vec![o],
            Sum::Op(left, _, right, _) => {
                let mut all = left.operands();
                all.extend(right.operands());
                all
            }
        }
    }
}

/// An arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*` or `×`
    Mul,
    /// `/` or `÷`
    Div,
}

impl ArithOp {
    /// As esgen writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}

/// How an event changes the state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum EffectKind {
    /// `adds <Entity>`
    Adds,
    /// `sets <field> of <Entity> [key] to <value>`
    Sets(Ident, Value),
    /// `increases|decreases <field> of <Entity> [key] by <value>`
    Changes {
        /// `increases` rather than `decreases`.
        increase: bool,
        /// The field.
        field: Ident,
        /// By how much.
        by: Value,
    },
    /// `removes <Entity> [key]`
    Removes,
    /// `removes each <Entity> [keys]`
    RemovesEach,
    /// `changes nothing`
    Nothing,
    /// `moves <Entity> [key] to <value>`
    Moves(Ident),
}

/// An effect line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effect {
    /// What it does.
    pub kind: EffectKind,
    /// The entity it changes; blank when it changes the model's own
    /// state (`sets balance to …`, see [`Effect::own`]).
    pub entity: Ident,
    /// The key (event fields); empty for `adds`.
    pub key: Vec<Ident>,
    /// Whether it changes a field of the model's `State:` (a `sets` or
    /// `increases` without `of <Entity> [key]`).
    pub own: bool,
    /// `if <condition>`: it applies only when this holds.
    pub when: Option<Condition>,
    /// The whole item.
    pub span: Span,
}

/// `- <query> [params] returns <type>` in `Queries:`.
#[derive(Debug, Clone, Serialize)]
pub struct Query {
    /// The query's name.
    pub name: Ident,
    /// Its parameters (term names).
    pub params: Vec<Ident>,
    /// What it returns, if said.
    pub returns: Option<TypeExpr>,
    /// How it is derived (`= todos where completed?`), if said.
    pub body: Option<QueryBody>,
    /// Documentation from comments.
    pub docs: Vec<String>,
    /// The item.
    pub span: Span,
}

/// `- <command> [params] accepted as <event> [fields]` in `Actions:`.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    /// The command's name.
    pub command: Ident,
    /// The command's parameters (term names).
    pub params: Vec<Ident>,
    /// The event's name.
    pub event: Ident,
    /// `@<n>` after the event's name, and where; `None` is version 1.
    pub event_version: Option<(u32, Span)>,
    /// The event's fields (term names).
    pub fields: Vec<Ident>,
    /// Its rule lines, in spec order.
    pub clauses: Vec<Clause>,
    /// Documentation from comments.
    pub docs: Vec<String>,
    /// The item.
    pub span: Span,
}

/// `- <title>` in `Scenarios:`, with the steps below it.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    /// The title, trimmed.
    pub title: String,
    /// Where the title is.
    pub title_span: Span,
    /// Its steps, in spec order.
    pub steps: Vec<Step>,
    /// Documentation from comments.
    pub docs: Vec<String>,
    /// One of its lines did not parse (and was reported): its shape is not
    /// checked.
    pub broken: bool,
    /// The bullet line's item.
    pub span: Span,
}

/// One line of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// What it says.
    pub kind: StepKind,
    /// Written with `and` (continuing the line above).
    pub and: bool,
    /// The whole item.
    pub span: Span,
}

/// What a scenario's line says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum StepKind {
    /// `given <event> [...]` (or `and <event> [...]`)
    Given(Fact),
    /// `when <action> [...]`
    When(Fact),
    /// `when <event> [...] happens`: what the model's policies ask next.
    Happens(Fact),
    /// `then …`
    Then(Outcome),
    /// `and <query> [args] is <value>`
    Expect(Expectation),
    /// `given <Service> answers <query> <value>`, `given <Service> cannot
    /// answer`
    Answers(ServiceAnswer),
    /// `given today is "<date>"`, `given now is "<timestamp>"`: what the
    /// clock reads.
    Clock(ClockFix),
    /// `given <n> × <event> [...]`: the event `n` times, `{n}` in its
    /// values counting from 1.
    Repeated(u32, Fact),
}

/// `today is "2026-03-02"` or `now is "2026-03-02T09:30:00Z"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockFix {
    /// `today` (else `now`).
    pub today: bool,
    /// The date or timestamp, unquoted.
    pub value: String,
    /// Where the value is written.
    pub value_span: Span,
    /// The whole.
    pub span: Span,
}

/// What a service outside the spec answers in a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceAnswer {
    /// The service.
    pub service: Ident,
    /// The query and its answer, whatever it is asked; `None` for
    /// `cannot answer`.
    pub answer: Option<(Ident, Value)>,
    /// The whole.
    pub span: Span,
}

/// `<name> [field: value, …]`: an event or a command, written out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// The event or action.
    pub name: Ident,
    /// Its values, by field.
    pub entries: Vec<Entry>,
    /// `in <Model>`: an event of another model of the spec.
    pub model: Option<Ident>,
    /// The whole.
    pub span: Span,
}

/// `<field>: <value>`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The field or parameter.
    pub name: Ident,
    /// Its value.
    pub value: Value,
}

/// What `then` says happens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Outcome {
    /// `then <event> [...]`: the event proposed.
    Event(Fact),
    /// `then accepted`: some event, whatever its values.
    Accepted(Span),
    /// `then <Model> is asked to <action> [...]` (or `and …`): a command a
    /// policy sends.
    Asked {
        /// The model asked.
        model: Ident,
        /// The command, with its values (`model` is `None` in it).
        command: Fact,
        /// The whole.
        span: Span,
    },
    /// `then nothing is asked`: no policy sends a command.
    NothingAsked(Span),
    /// `then rejected [by <rule>] [as <kind>] [: "<message>"]`
    Rejected {
        /// The rule named after `by`.
        by: Option<Ident>,
        /// The kind named after `as`.
        kind: Option<Ident>,
        /// The message, unescaped, and where it is.
        message: Option<(String, Span)>,
        /// The whole outcome.
        span: Span,
    },
}

/// A query's arguments in a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Args {
    /// None written.
    None,
    /// `[id: t1]`
    Named(Vec<Entry>, Span),
    /// `[t1]`
    Positional(Vec<Value>, Span),
}

/// `and <query> [args] is <value>`: the model's answer after `then`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expectation {
    /// The query.
    pub query: Ident,
    /// Its arguments.
    pub args: Args,
    /// The answer expected.
    pub value: Value,
    /// The whole.
    pub span: Span,
}
