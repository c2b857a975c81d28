//! The scenarios of `{{ view.spec_doc }}`, one test each, run against the
//! models as this crate defines them: the spec's rules, your code, or both.
//!
//! A failing scenario names its lines in the spec and says, in the spec's
//! words, what it expected and what happened.

{% for model in view.models -%}
mod {{ model.module }} {
{%- for line in model.uses %}
    {{ line }}
{%- endfor %}

    impl {{ view.harness }}::Model for {{ model.rust }} {
        type Command = {{ model.rust }}Command;
        type Event = {{ model.rust }}Event;
{%- if view.others %}
        type Others = {{ model.others }};
{%- endif %}

{{ model.propose }}

        fn accept(&mut self, event: &Self::Event) {
            {{ model.rust }}Aggregate::accept(self, event);
        }
{%- if let Some(state) = model.clock %}
{%- if view.clock %}

        fn fix_clock(&mut self, at: ::chrono::DateTime<::chrono::Utc>) {
            let state: &mut {{ state }} = self.as_mut();
            state.clock = {{ view.root }}::generated::Clock::fixed(at);
        }
{%- endif %}
{%- endif %}
    }
{%- if let Some(answers) = model.answers %}

{{ answers }}
{%- endif %}

{%- if model.history %}

    impl {{ view.harness }}::Keys for {{ model.rust }}Event {
        type Key = String;

        fn keys(self) -> String {
            let name = self.name();
            name.split_once('@')
                .map_or(name, |(name, _)| name)
                .to_string()
        }
    }
{%- endif %}

    impl {{ view.harness }}::Words for {{ model.rust }}Event {
        fn words(&self) -> String {
            match self {
{%- for arm in model.event_arms %}
{{ arm }}
{%- endfor %}
            }
        }
    }
{%- for choice in model.choices %}

    impl {{ view.harness }}::Words for {{ choice }} {
        fn words(&self) -> String {
            self.as_str().to_string()
        }
    }
{%- endfor %}
{%- for (entity, key, key_type) in model.entities %}

    impl {{ view.harness }}::Words for {{ entity }} {
        fn words(&self) -> String {
            self.{{ key }}.words()
        }
    }
{%- if model.keys %}

    impl {{ view.harness }}::Keys for {{ entity }} {
        type Key = {{ key_type }};

        fn keys(self) -> {{ key_type }} {
            self.{{ key }}
        }
    }
{%- endif %}
{%- endfor %}
{%- for test in model.tests %}

    /// {{ test.doc }}
    #[test]
{{ test.head }}
{{ test.body }}
    }
{%- endfor %}
}

{% endfor -%}
/// Runs a scenario, and reports a failure with the spec's lines.
mod {{ view.harness }} {
    pub use {{ view.root }}::generated::{Rejection, RejectionKind};
    use std::fmt::Write as _;

    /// The spec the scenarios come from.
    const SPEC: &str = {{ view.spec_file }};

    /// A model as scenarios drive it: what its aggregate trait does.
    pub trait Model: Default {
        /// Its commands.
        type Command;
        /// Its events.
{%- if view.history %}
        type Event: Clone + PartialEq + Words;
{%- else %}
        type Event: PartialEq + Words;
{%- endif %}
{%- if view.others %}
        /// The other models its rules ask, as a scenario's `given … in
        /// <Model>` events made them, or what stands in for the services
        /// outside the spec it asks.
        type Others: Default;
        /// Proposes a command, asking `others`.
        fn propose(
            &self,
            command: Self::Command,
            others: &Self::Others,
        ) -> Result<Self::Event, Rejection>;
{%- else %}
        /// Proposes a command.
        fn propose(&self, command: Self::Command) -> Result<Self::Event, Rejection>;
{%- endif %}
        /// Accepts an event.
        fn accept(&mut self, event: &Self::Event);
{%- if view.clock %}
        /// Fixes the clock its rules read `today` and `now` from (a model
        /// that reads no clock ignores it).
        fn fix_clock(&mut self, _at: ::chrono::DateTime<::chrono::Utc>) {}
{%- endif %}
    }

{%- if view.served %}

    /// The outcome of `future`, which the services of a scenario make ready
    /// at once: what stands in for them answers without waiting.
    pub fn ready<F: std::future::Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        loop {
            if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
                return output;
            }
            std::thread::yield_now();
        }
    }
{%- endif %}

    /// A value as a spec writes it.
    pub trait Words {
        /// An identity or a choice's value as a word, `"text"` quoted,
        /// `yes`, `[a, b]`, `nothing`.
        fn words(&self) -> String;
    }
{%- if view.keys %}

    /// An answer with each entity replaced by its key, as a spec writes it.
    pub trait Keys {
        /// The answer's type, keyed.
        type Key: PartialEq + Words;
        /// The answer, keyed.
        fn keys(self) -> Self::Key;
    }

    impl<T: Keys> Keys for Vec<T> {
        type Key = Vec<T::Key>;

        fn keys(self) -> Vec<T::Key> {
            self.into_iter().map(Keys::keys).collect()
        }
    }

    impl<T: Keys> Keys for Option<T> {
        type Key = Option<T::Key>;

        fn keys(self) -> Option<T::Key> {
            self.map(Keys::keys)
        }
    }
{%- if view.maps %}

    impl<K: Ord + Words, T: Keys> Keys for ::std::collections::BTreeMap<K, T> {
        type Key = ::std::collections::BTreeMap<K, T::Key>;

        fn keys(self) -> Self::Key {
            self.into_iter().map(|(k, v)| (k, v.keys())).collect()
        }
    }
{%- endif %}
{%- endif %}

    impl Words for String {
        fn words(&self) -> String {
            format!("{self:?}")
        }
    }

    impl Words for i64 {
        fn words(&self) -> String {
            self.to_string()
        }
    }

    impl Words for f64 {
        fn words(&self) -> String {
            self.to_string()
        }
    }

    impl Words for bool {
        fn words(&self) -> String {
            String::from(if *self { "yes" } else { "no" })
        }
    }

    impl<T: Words> Words for Option<T> {
        fn words(&self) -> String {
            match self {
                Some(value) => value.words(),
                None => String::from("nothing"),
            }
        }
    }

    impl<T: Words> Words for Vec<T> {
        fn words(&self) -> String {
            let items: Vec<String> = self.iter().map(T::words).collect();
            format!("[{}]", items.join(", "))
        }
    }
{%- if view.maps %}

    impl<K: Words, V: Words> Words for ::std::collections::BTreeMap<K, V> {
        fn words(&self) -> String {
            let entries: Vec<String> = self
                .iter()
                .map(|(k, v)| format!("{}: {}", k.words(), v.words()))
                .collect();
            format!("[{}]", entries.join(", "))
        }
    }
{%- endif %}
{%- for identity in view.identities %}

    impl Words for {{ view.root }}::generated::{{ identity }} {
        fn words(&self) -> String {
            self.as_str().to_string()
        }
    }
{%- endfor %}
{%- if view.decimal %}

    impl Words for ::rust_decimal::Decimal {
        fn words(&self) -> String {
            self.to_string()
        }
    }
{%- endif %}
{%- if view.date %}

    impl Words for ::chrono::NaiveDate {
        fn words(&self) -> String {
            format!("\"{self}\"")
        }
    }
{%- endif %}
{%- if view.timestamp %}

    impl Words for ::chrono::DateTime<::chrono::Utc> {
        fn words(&self) -> String {
            let text = self.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true);
            format!("{text:?}")
        }
    }
{%- endif %}
{%- if view.date_values %}

    /// A date the spec wrote, checked when it was built.
    pub fn date(year: i32, month: u32, day: u32) -> ::chrono::NaiveDate {
        ::chrono::NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
    }
{%- endif %}
{%- if view.timestamp_values %}

    /// A timestamp the spec wrote, checked when it was built.
    pub fn timestamp(text: &str) -> ::chrono::DateTime<::chrono::Utc> {
        ::chrono::DateTime::parse_from_rfc3339(text)
            .map_or_else(|_| Default::default(), |t| t.to_utc())
    }
{%- endif %}
{%- if view.facts %}

    /// An event as a spec writes it: `<event> [<field>: <value>, …]`.
    pub struct Fact(String);

    impl Fact {
        /// `name [`.
        pub fn new(name: &str) -> Self {
            Fact(format!("{name} ["))
        }

        /// One field and its value.
        pub fn field(&mut self, name: &str, value: &impl Words) {
            if !self.0.ends_with('[') {
                self.0.push_str(", ");
            }
            let _ = write!(self.0, "{name}: {}", value.words());
        }

        /// The whole.
        pub fn end(mut self) -> String {
            self.0.push(']');
            self.0
        }
    }
{%- endif %}

    /// A scenario before its command: the model its events made.
{%- if view.others %}
    pub struct Run<M: Model> {
        model: M,
        others: M::Others,
{%- else if view.history %}
    pub struct Run<M: Model> {
        model: M,
{%- else %}
    pub struct Run<M> {
        model: M,
{%- endif %}
{%- if view.history %}
        events: Vec<M::Event>,
{%- endif %}
        line: u32,
        text: &'static str,
    }

    /// A scenario after its command: what happened{% if view.answers %}, and the model after{% endif %}.
    pub struct Ran<M: Model> {
{%- if view.answers %}
        model: M,
{%- endif %}
{%- if view.history %}
        events: Vec<M::Event>,
{%- endif %}
        outcome: Result<M::Event, Rejection>,
        line: u32,
        text: &'static str,
    }

    impl<M: Model> Run<M> {
        /// A scenario whose lines, from `line` on, are `text`.
        pub fn new(line: u32, text: &'static str) -> Self {
            Run {
                model: M::default(),
{%- if view.others %}
                others: M::Others::default(),
{%- endif %}
{%- if view.history %}
                events: Vec::new(),
{%- endif %}
                line,
                text,
            }
        }

{%- if view.clock %}

        /// `given today is …`, `given now is …`: what the clock reads.
        pub fn fix_clock(&mut self, at: ::chrono::DateTime<::chrono::Utc>) {
            self.model.fix_clock(at);
        }
{%- endif %}
{%- if view.given %}

        /// `given`: the model accepts an event.
        pub fn given(&mut self, event: impl Into<M::Event>) {
{%- if view.history %}
            let event = event.into();
            self.model.accept(&event);
            self.events.push(event);
{%- else %}
            self.model.accept(&event.into());
{%- endif %}
        }
{%- endif %}
{%- if view.given_others %}

        /// `given … in <Model>`: another model the rules ask accepts an
        /// event.
        pub fn others(&mut self, given: impl FnOnce(&mut M::Others)) {
            given(&mut self.others);
        }
{%- endif %}

        /// `when`: the model proposes a command and, if it is accepted,
        /// accepts its event.
        pub fn when(mut self, command: impl Into<M::Command>) -> Ran<M> {
{%- if view.others %}
            let outcome = self.model.propose(command.into(), &self.others);
{%- else %}
            let outcome = self.model.propose(command.into());
{%- endif %}
            if let Ok(event) = &outcome {
                self.model.accept(event);
{%- if view.history %}
                self.events.push(event.clone());
{%- endif %}
            }
            Ran {
{%- if view.answers %}
                model: self.model,
{%- endif %}
{%- if view.history %}
                events: self.events,
{%- endif %}
                outcome,
                line: self.line,
                text: self.text,
            }
        }
    }

    impl<M: Model> Ran<M> {
        /// What the command came to, as the spec would say it.
        fn happened(&self) -> String {
            match &self.outcome {
                Ok(event) => event.words(),
                Err(rejection) => format!(
                    "rejected by {} as {}: {:?}",
                    rejection.rule,
                    kind_words(rejection.kind),
                    rejection.message
                ),
            }
        }
{%- if view.answers %}

        /// The model after the command.
        pub fn model(&self) -> &M {
            &self.model
        }
{%- if view.history %}

        /// Every event of the scenario, its own included, in order.
        pub fn events(&self) -> &[M::Event] {
            &self.events
        }
{%- endif %}
{%- endif %}
{%- if view.then_event %}

        /// `then <event> [...]`: the command was accepted as this event.
        #[track_caller]
        pub fn then(&self, line: u32, expected: impl Into<M::Event>) {
            let expected = expected.into();
            if self.outcome.as_ref().ok() != Some(&expected) {
                self.fail(line, &expected.words());
            }
        }
{%- endif %}
{%- if view.then_accepted %}

        /// `then accepted`: the command was accepted.
        #[track_caller]
        pub fn then_accepted(&self, line: u32) {
            if self.outcome.is_err() {
                self.fail(line, "accepted");
            }
        }
{%- endif %}
{%- if view.then_rejected %}

        /// `then rejected [by <rule>] [as <kind>] [: "<message>"]`.
        #[track_caller]
        pub fn then_rejected(
            &self,
            line: u32,
            rule: Option<&str>,
            kind: Option<RejectionKind>,
            message: Option<&str>,
        ) {
            let fits = self.outcome.as_ref().err().is_some_and(|rejection| {
                rule.is_none_or(|rule| same_rule(rejection, rule))
                    && kind.is_none_or(|kind| rejection.kind == kind)
                    && message.is_none_or(|message| rejection.message == message)
            });
            if !fits {
                let mut expected = String::from("rejected");
                if let Some(rule) = rule {
                    let _ = write!(expected, " by {rule}");
                }
                if let Some(kind) = kind {
                    let _ = write!(expected, " as {}", kind_words(kind));
                }
                if let Some(message) = message {
                    let _ = write!(expected, ": {message:?}");
                }
                self.fail(line, &expected);
            }
        }
{%- endif %}
{%- if view.answers %}

        /// `and <query> [args] is <value>`: the model's answer.
        #[track_caller]
        pub fn answer<T: PartialEq + Words>(&self, line: u32, query: &str, actual: T, expected: T) {
            if actual != expected {
                self.report(
                    line,
                    &format!("{query} is {}", expected.words()),
                    &format!("{query} is {}", actual.words()),
                );
            }
        }
{%- endif %}

        #[track_caller]
        fn fail(&self, line: u32, expected: &str) -> ! {
            self.report(line, expected, &self.happened());
        }

        /// Fails the test: the scenario's lines, the failing one marked,
        /// then what was expected and what happened.
        #[track_caller]
        fn report(&self, line: u32, expected: &str, happened: &str) -> ! {
            let mut report = format!("scenario failed at {SPEC}:{line}\n");
            for (at, text) in (self.line..).zip(self.text.lines()) {
                let mark = if at == line { "->" } else { "  " };
                let _ = writeln!(report, "{mark} {at:>4} | {text}");
            }
            let _ = write!(report, "expected: {expected}\nhappened: {happened}");
            panic!("{report}");
        }
    }

{%- if view.then_rejected %}
    /// Whether a rejection is by `rule`: its whole id, or the id without
    /// the action (`<rule>` for `<action>/<rule>`).
    fn same_rule(rejection: &Rejection, rule: &str) -> bool {
        let short = rejection.rule.strip_prefix(rejection.action.as_ref());
        rejection.rule == rule || short.and_then(|r| r.strip_prefix('/')) == Some(rule)
    }
{% endif %}
    /// A kind of rejection, as the spec writes it.
    fn kind_words(kind: RejectionKind) -> &'static str {
        match kind {
            RejectionKind::NotFound => "not-found",
            RejectionKind::Conflict => "conflict",
            RejectionKind::Invalid => "invalid",
            RejectionKind::Refused => "refused",
            RejectionKind::Unavailable => "unavailable",
        }
    }
}
