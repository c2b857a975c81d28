//! The one diagnostic type every stage reports through, and its rendering.
//!
//! A stage never prints: it returns [`Diagnostic`]s. The command line (or a
//! build script) renders them with [`render`], which shows the file, line and
//! column, the offending source line with the span underlined, secondary
//! labels and a `help:` line; or, for editors and other tools, as one JSON
//! object per line with [`to_json`]. [`cap()`] keeps a long list of errors
//! readable, and [`explain()`] gives the long explanation of each code
//! (`docs/diagnostics/<CODE>.md`).

mod cap;
mod excerpt;
mod explain;
mod json;

pub use cap::{cap, Capped, DEFAULT_MAX_ERRORS};
pub use explain::explain;
pub use json::{render_json, to_json};

use crate::source::{Source, Span};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;
pub use codespan_reporting::term::termcolor;
use serde::Serialize;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Legal, but worth knowing (an inferred type, for instance).
    Note,
    /// Legal, but likely wrong.
    Warning,
    /// The spec cannot be compiled.
    Error,
}

/// A second place that matters to a diagnostic (an earlier definition, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// A located, coded message about a spec or about a build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error, warning or note.
    pub severity: Severity,
    /// A stable code (`E0101`), see `docs/diagnostics.md`.
    pub code: &'static str,
    /// One line, in the domain's words.
    pub message: String,
    /// The place the message is about, if it is about a place in the spec.
    pub span: Option<Span>,
    /// What to write at `span` (shown under the underline).
    pub label: Option<String>,
    /// Other places that matter.
    pub labels: Vec<Label>,
    /// How to fix it, where that is known.
    pub help: Option<String>,
}

impl Diagnostic {
    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            span: None,
            label: None,
            labels: Vec::new(),
            help: None,
        }
    }

    /// An error.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// A note.
    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, message)
    }

    /// Places the diagnostic at `span`.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Places the diagnostic at `span`, with a short label under it.
    pub fn at_labelled(mut self, span: Span, label: impl Into<String>) -> Self {
        self.span = Some(span);
        self.label = Some(label.into());
        self
    }

    /// Adds a secondary place.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Whether any of `diagnostics` is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Renders diagnostics about `source` as plain text (no colour codes), in
/// the order given. A line longer than 400 bytes is shown only around the
/// places a diagnostic points at, between `…`.
pub fn render(source: &Source, diagnostics: &[Diagnostic]) -> String {
    let renderer = Renderer::new(source);
    diagnostics.iter().map(|d| renderer.plain(d)).collect()
}

/// What rendering needs of a source, computed once for many diagnostics.
struct Renderer<'a> {
    source: &'a Source,
    file: SimpleFile<&'a str, &'a str>,
    lines: excerpt::Lines,
    config: term::Config,
}

impl<'a> Renderer<'a> {
    fn new(source: &'a Source) -> Self {
        Renderer {
            source,
            file: SimpleFile::new(source.name.as_str(), source.text.as_str()),
            lines: excerpt::Lines::new(&source.text),
            config: term::Config::default(),
        }
    }

    /// One diagnostic as plain text.
    fn plain(&self, diagnostic: &Diagnostic) -> String {
        let source = self.source;
        let rendered = if excerpt::touches_long_line(&source.text, &self.lines, diagnostic) {
            let (excerpt, shown) = excerpt::excerpt(source, &self.lines, diagnostic);
            let shown = to_codespan(source, excerpt.len(), &shown);
            term::emit_into_string(&self.config, &excerpt, &shown)
        } else {
            let shown = to_codespan(source, source.text.len(), diagnostic);
            term::emit_into_string(&self.config, &self.file, &shown)
        };
        rendered.unwrap_or_else(|_| format!("{}: {}\n", source.name, diagnostic.message))
    }
}

/// Renders diagnostics with colours, for a terminal; long lines as
/// [`render`] shows them.
pub fn render_coloured(
    source: &Source,
    diagnostics: &[Diagnostic],
    writer: &mut dyn term::termcolor::WriteColor,
) {
    let file = SimpleFile::new(source.name.as_str(), source.text.as_str());
    let lines = excerpt::Lines::new(&source.text);
    let config = term::Config::default();
    for diagnostic in diagnostics {
        let _ = if excerpt::touches_long_line(&source.text, &lines, diagnostic) {
            let (excerpt, shown) = excerpt::excerpt(source, &lines, diagnostic);
            let shown = to_codespan(source, excerpt.len(), &shown);
            term::emit_to_write_style(writer, &config, &excerpt, &shown)
        } else {
            let shown = to_codespan(source, source.text.len(), diagnostic);
            term::emit_to_write_style(writer, &config, &file, &shown)
        };
    }
}

/// A diagnostic for the renderer, its spans clamped to a text of `len`
/// bytes.
fn to_codespan(source: &Source, len: usize, d: &Diagnostic) -> cs::Diagnostic<()> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let clamp = |span: Span| {
        let start = span.start.min(len);
        start..span.end.clamp(start, len)
    };
    let mut labels = Vec::new();
    if let Some(span) = d.span {
        labels.push(
            cs::Label::primary((), clamp(span)).with_message(d.label.clone().unwrap_or_default()),
        );
    }
    for label in &d.labels {
        labels
            .push(cs::Label::secondary((), clamp(label.span)).with_message(label.message.clone()));
    }
    let mut notes = Vec::new();
    // Which spec, for a diagnostic about a spec without a place in it; the
    // E02xx codes are about files on disk, which their messages name.
    let about_disk = d.code.starts_with("E02");
    if d.span.is_none() && !about_disk && !d.message.contains(source.name.as_str()) {
        notes.push(format!("in {}", source.name));
    }
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(d.code)
        .with_message(d.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

/// Every diagnostic code, in one place. `docs/diagnostics.md` explains each.
pub mod codes {
    /// A line that does not parse.
    pub const SYNTAX: &str = "E0001";
    /// A header or item before the first `Model:`.
    pub const OUTSIDE_MODEL: &str = "E0002";
    /// A list item with no section open.
    pub const ITEM_OUTSIDE_SECTION: &str = "E0003";
    /// A section header that is not `Terms:`, `Queries:`, `Actions:` or
    /// `Scenarios:`.
    pub const UNKNOWN_SECTION: &str = "E0004";
    /// A spec file that is not UTF-8.
    pub const NOT_UTF8: &str = "E0005";
    /// A spec larger than `syntax::MAX_SPEC_BYTES`.
    pub const SPEC_TOO_LARGE: &str = "E0006";
    /// Two models with one name.
    pub const DUPLICATE_MODEL: &str = "E0101";
    /// A section opened twice in one model.
    pub const DUPLICATE_SECTION: &str = "E0102";
    /// Two entities with one name.
    pub const DUPLICATE_ENTITY: &str = "E0103";
    /// A term declared twice.
    pub const DUPLICATE_TERM: &str = "E0104";
    /// Two queries with one name.
    pub const DUPLICATE_QUERY: &str = "E0105";
    /// Two actions with one command.
    pub const DUPLICATE_ACTION: &str = "E0106";
    /// A name twice in one bracket list.
    pub const DUPLICATE_PARAMETER: &str = "E0107";
    /// One event given different fields by two actions.
    pub const EVENT_FIELDS_DIFFER: &str = "E0108";
    /// A command and an event with one name.
    pub const COMMAND_IS_EVENT: &str = "E0109";
    /// A type that is neither built in, an entity nor a term.
    pub const UNKNOWN_TYPE: &str = "E0110";
    /// Terms whose types refer to each other in a circle.
    pub const ALIAS_CYCLE: &str = "E0111";
    /// A query whose return type is neither said nor inferable.
    pub const QUERY_RETURNS: &str = "E0112";
    /// An entity without fields.
    pub const ENTITY_WITHOUT_FIELDS: &str = "E0113";
    /// A name that cannot become a Rust name.
    pub const INVALID_NAME: &str = "E0114";
    /// Two names that become the same Rust name.
    pub const NAME_COLLISION: &str = "E0115";
    /// `id` where the model's entity is ambiguous.
    pub const AMBIGUOUS_ID: &str = "E0116";
    /// An entity that contains itself.
    pub const RECURSIVE_ENTITY: &str = "E0117";
    /// A spec without any model.
    pub const NO_MODEL: &str = "E0118";
    /// A term whose type is reached through too many other terms.
    pub const TYPE_TOO_DEEP: &str = "E0119";
    /// `optional` of something already optional.
    pub const DOUBLE_OPTIONAL: &str = "E0120";
    /// A clause names an entity, field, parameter or query that does not exist.
    pub const UNKNOWN_IN_RULE: &str = "E0121";
    /// A rule line with no action above it.
    pub const CLAUSE_OUTSIDE_ACTION: &str = "E0122";
    /// A guard or filter condition that is not yes or no.
    pub const NOT_YES_NO: &str = "E0123";
    /// A `{placeholder}` in a message that is not a command parameter.
    pub const BAD_PLACEHOLDER: &str = "E0124";
    /// A comparison between values of types that do not compare.
    pub const INCOMPATIBLE_COMPARISON: &str = "E0125";
    /// A value that is not one of its choice's values.
    pub const NOT_IN_CHOICE: &str = "E0126";
    /// An event field with no source: not a parameter, no `=`, no default.
    pub const NO_SOURCE: &str = "E0127";
    /// Two actions accepted as one event declare different effects.
    pub const CONFLICTING_EFFECTS: &str = "E0128";
    /// A constraint or default that does not fit its term's type.
    pub const CONSTRAINT_MISFIT: &str = "E0129";
    /// An effect or source whose value has the wrong type.
    pub const WRONG_VALUE_TYPE: &str = "E0130";
    /// A scenario whose steps are missing, repeated or out of order.
    pub const SCENARIO_SHAPE: &str = "E0131";
    /// A scenario names an event, action, field, query or rule the model
    /// does not have.
    pub const SCENARIO_UNKNOWN: &str = "E0132";
    /// A scenario leaves out a value that has no default, gives one twice,
    /// or gives a query the wrong number of arguments.
    pub const SCENARIO_VALUES: &str = "E0133";
    /// A scenario's `then` names an event its action is not accepted as.
    pub const SCENARIO_WRONG_EVENT: &str = "E0134";
    /// A `Streams:` line the model's rules do not allow.
    pub const STREAMS_NOT_ALLOWED: &str = "E0135";
    /// A query of another model asked where it cannot be answered: in an
    /// effect or a derived query, of the model itself, or one returning
    /// that model's entities.
    pub const ASKED_WHERE_NOT_ALLOWED: &str = "E0136";
    /// Derived queries whose conditions ask each other in a circle, or a
    /// derived query that asks itself.
    pub const QUERY_CYCLE: &str = "E0137";
    /// A scenario the spec's rules do not bear out, run by `esgen check`.
    pub const SCENARIO_FAILS: &str = "E0138";
    /// A condition that joins `and` and `or` without parentheses to say
    /// which goes first.
    pub const AND_OR_UNGROUPED: &str = "E0139";
    /// A condition whose parts contradict or repeat each other: it never
    /// holds, always holds, or says a thing twice.
    pub const CONDITION_CONTRADICTS: &str = "E0140";
    /// Arithmetic on values that are not two numbers of one type, or where
    /// nothing is computed (a derived query, an entity's field in a guard).
    pub const ARITHMETIC_TYPES: &str = "E0141";
    /// A `State:` that cannot be the record of the model's stream: a
    /// second one, a field without a first value, a name its entities
    /// take, or streams split per entity.
    pub const STATE_SHAPE: &str = "E0142";
    /// A policy esgen cannot follow: a line with no policy above it, a
    /// command field the event cannot fill, a value read from outside
    /// the event, or policies that ask each other in a circle.
    pub const POLICY: &str = "E0143";
    /// A rule line esgen accepted but could not generate: a fault in esgen,
    /// reported rather than dropped.
    pub const RULE_NOT_LOWERED: &str = "E0199";
    /// A problem reading a spec or writing the crate.
    pub const IO: &str = "E0201";
    /// A stored event the spec no longer has, and does not retire or say
    /// how to read (`event-removed`).
    pub const EVENT_REMOVED: &str = "E0301";
    /// A model with stored events stores them under another name
    /// (`stored as`) than the lock records (`stored-as-changed`).
    pub const STORED_AS_CHANGED: &str = "E0310";
    /// A model with stored events names them another way on the wire
    /// (`Tags:`) than the lock records (`tags-changed`).
    pub const TAGS_CHANGED: &str = "E0311";
    /// A locked version of an event changed shape (`version-edited`).
    pub const VERSION_EDITED: &str = "E0302";
    /// A field a stored version lacks, with nothing to fill it
    /// (`field-without-default`).
    pub const FIELD_WITHOUT_DEFAULT: &str = "E0303";
    /// A field whose type changed, or that became required, between
    /// versions (`field-retyped`).
    pub const FIELD_RETYPED: &str = "E0304";
    /// A choice value stored events hold that the next version lacks
    /// (`choice-value-removed`).
    pub const CHOICE_VALUE_REMOVED: &str = "E0305";
    /// A reserved or retired name back in use (`reserved-name-reused`).
    pub const RESERVED_NAME_REUSED: &str = "E0306";
    /// An upcast from or to a version that is not there, twice from one
    /// version, in a cycle, or leaving a stored version with no way
    /// forward (`upcast-chain`).
    pub const UPCAST_CHAIN: &str = "E0307";
    /// The lock records another representation of events
    /// (`representation-changed`).
    pub const REPRESENTATION_CHANGED: &str = "E0308";
    /// A lock file esgen cannot read (`lock-unreadable`).
    pub const LOCK_UNREADABLE: &str = "E0309";
    /// The crate directory holds a file that esgen would have to overwrite.
    pub const OUTPUT_CONFLICT: &str = "E0202";
    /// A generated file edited by hand since esgen wrote it.
    pub const EDITED_GENERATED_FILE: &str = "E0203";
    /// Another build holds the crate directory's lock.
    pub const OUTPUT_LOCKED: &str = "E0204";
    /// A term whose type esgen inferred as text.
    pub const INFERRED_TEXT: &str = "W0001";
    /// A term declared and never used.
    pub const UNUSED_TERM: &str = "W0002";
    /// In a model with scenarios, a guard no scenario shows rejecting, or an
    /// action no scenario runs.
    pub const UNTESTED: &str = "W0003";
    /// A field stored events hold that is no longer read (`field-dropped`).
    pub const FIELD_DROPPED: &str = "W0004";
    /// A value added to a choice that stored events use
    /// (`choice-value-added`).
    pub const CHOICE_VALUE_ADDED: &str = "W0005";
    /// A model with stored events gone from the spec (`model-removed`).
    pub const MODEL_REMOVED: &str = "W0006";
    /// Policies that may ask each other in a circle: each has a condition
    /// that may end it.
    pub const POLICY_MAY_LOOP: &str = "W0007";

    /// Every code above, errors first, in numeric order (a test keeps this
    /// list in step with the constants).
    pub const ALL: [&str; 72] = [
        SYNTAX,
        OUTSIDE_MODEL,
        ITEM_OUTSIDE_SECTION,
        UNKNOWN_SECTION,
        NOT_UTF8,
        SPEC_TOO_LARGE,
        DUPLICATE_MODEL,
        DUPLICATE_SECTION,
        DUPLICATE_ENTITY,
        DUPLICATE_TERM,
        DUPLICATE_QUERY,
        DUPLICATE_ACTION,
        DUPLICATE_PARAMETER,
        EVENT_FIELDS_DIFFER,
        COMMAND_IS_EVENT,
        UNKNOWN_TYPE,
        ALIAS_CYCLE,
        QUERY_RETURNS,
        ENTITY_WITHOUT_FIELDS,
        INVALID_NAME,
        NAME_COLLISION,
        AMBIGUOUS_ID,
        RECURSIVE_ENTITY,
        NO_MODEL,
        TYPE_TOO_DEEP,
        DOUBLE_OPTIONAL,
        UNKNOWN_IN_RULE,
        CLAUSE_OUTSIDE_ACTION,
        NOT_YES_NO,
        BAD_PLACEHOLDER,
        INCOMPATIBLE_COMPARISON,
        NOT_IN_CHOICE,
        NO_SOURCE,
        CONFLICTING_EFFECTS,
        CONSTRAINT_MISFIT,
        WRONG_VALUE_TYPE,
        SCENARIO_SHAPE,
        SCENARIO_UNKNOWN,
        SCENARIO_VALUES,
        SCENARIO_WRONG_EVENT,
        STREAMS_NOT_ALLOWED,
        ASKED_WHERE_NOT_ALLOWED,
        QUERY_CYCLE,
        SCENARIO_FAILS,
        AND_OR_UNGROUPED,
        CONDITION_CONTRADICTS,
        ARITHMETIC_TYPES,
        STATE_SHAPE,
        POLICY,
        RULE_NOT_LOWERED,
        IO,
        OUTPUT_CONFLICT,
        EDITED_GENERATED_FILE,
        OUTPUT_LOCKED,
        EVENT_REMOVED,
        VERSION_EDITED,
        FIELD_WITHOUT_DEFAULT,
        FIELD_RETYPED,
        CHOICE_VALUE_REMOVED,
        RESERVED_NAME_REUSED,
        UPCAST_CHAIN,
        REPRESENTATION_CHANGED,
        LOCK_UNREADABLE,
        STORED_AS_CHANGED,
        TAGS_CHANGED,
        INFERRED_TEXT,
        UNUSED_TERM,
        UNTESTED,
        FIELD_DROPPED,
        CHOICE_VALUE_ADDED,
        MODEL_REMOVED,
        POLICY_MAY_LOOP,
    ];
}

/// `did you mean …?`: the one candidate close to `word`, if exactly one is.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    let mut close = candidates
        .into_iter()
        .filter(|candidate| *candidate != word)
        .map(|candidate| {
            (
                strsim::osa_distance(&lower, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .collect::<Vec<_>>();
    close.sort();
    match close.as_slice() {
        [(_, only)] => Some(*only),
        [(best, first), (next, _), ..] if best < next => Some(*first),
        _ => None,
    }
}
