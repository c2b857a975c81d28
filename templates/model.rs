//! The `{{ model.name }}` model: its entities, commands and events, its queries,
//! and the traits of its aggregate.
{%- if !model.docs.is_empty() %}
//!
{%- for line in model.docs %}
//!{% if !line.is_empty() %} {{ line }}{% endif %}
{%- endfor %}
{%- endif %}
//!
//! The aggregate has two halves. *Proposing* ([`{{ model.rust }}Propose`])
//! validates a command against the model and turns it into the event that
//! records it, or a [`Rejection`]. *Accepting* ([`{{ model.rust }}Accept`])
//! applies an event to the model. [`{{ model.rust }}Aggregate`] builds
//! `propose`, `accept`, `execute` and `replay` on top of them.
{%- for line in model.ask_uses %}
{% if loop.first %}
{% endif %}{{ line }}
{%- endfor %}
{% if model.imports.len() == 1 %}
pub use super::{{ model.imports|join(", ") }};
{%- else %}
pub use super::{{ "{" }}{{ model.imports|join(", ") }}{{ "}" }};
{%- endif %}
{%- for line in model.uses %}
{{ line }}
{%- endfor %}
{%- if model.serde_import %}
use serde::{Deserialize, Serialize};
{%- endif %}
use std::borrow::Borrow;
{%- if model.maps %}
pub use std::collections::BTreeMap;
{%- endif %}
{%- if !model.choices.is_empty() %}
use std::fmt;
{%- endif %}
{%- if model.served %}
use std::future::Future;
{%- endif %}

/// The model's name in the spec, as rejections name it.
pub const MODEL: &str = "{{ model.name }}";

/// The name its events are stored under: cqrs-es's aggregate type, the
/// `aggregate_type` of each stored row.
pub const STORED_AS: &str = "{{ model.stored_as }}";
{%- for c in model.choices %}

{{ c }}
{%- endfor %}
{%- for s in model.entities %}
{% call strukt(s) %}{% endcall %}
{%- endfor %}
{%- for c in model.commands %}
{% call strukt(c.strukt) %}{% endcall %}

impl {{ c.strukt.name }} {
    /// The action's name in the spec.
{{ c.action_const }}

    /// Rejects this command, with a message for people.
    #[must_use]
    pub fn reject(&self, message: impl Into<String>) -> Rejection {
        Rejection::new(Self::ACTION, message).in_model(MODEL)
    }
{%- if let Some(body) = c.validate %}

    /// Checks the constraints the spec puts on the command's values, all of
    /// them: `propose` and `execute` call it first.
    ///
    /// # Errors
    ///
    /// One [`RejectionKind::Invalid`] rejection listing every broken
    /// constraint.
    pub fn validate(&self) -> Result<(), Rejection> {
{{ body }}
    }
{%- endif %}
}
{%- endfor %}
{%- for s in model.events %}
{% call strukt(s) %}{% endcall %}

impl {{ s.name }} {
{%- if model.pascal %}
    /// The event's name in the spec; serialised, its tag is this name in
    /// PascalCase, with `@<n>` after it above version 1.
{%- else %}
    /// The event's name in the spec; serialised, its tag is this name,
    /// with `@<n>` after it above version 1.
{%- endif %}
{{ s.event_const }}
}
{%- endfor %}

/// A command of the `{{ model.name }}` model. With the crate's `serde`
/// feature, serialised as an object whose one key is the action's name in
/// the spec{% if model.pascal %}, in PascalCase{% endif %}.
#[derive({{ model.command_derives }})]
{{ model.command_serde }}
#[allow(clippy::enum_variant_names, clippy::large_enum_variant)]
pub enum {{ model.rust }}Command {
{%- if model.command_variants.is_empty() %}}{% endif %}
{%- for v in model.command_variants %}
    /// {{ v.doc }}
{{ v.rename }}
{{ v.line }}
{%- endfor %}
{%- if !model.command_variants.is_empty() %}
}
{%- endif %}

/// An event of the `{{ model.name }}` model. Serialised as an object whose one key
/// is the event's name in the spec{% if model.pascal %}, in PascalCase{% endif %}.
#[derive({{ model.event_derives }})]
#[allow(clippy::enum_variant_names, clippy::large_enum_variant)]
pub enum {{ model.rust }}Event {
{%- if model.event_variants.is_empty() %}}{% endif %}
{%- for v in model.event_variants %}
    /// {{ v.doc }}
{%- if !v.rename.is_empty() %}
{{ v.rename }}
{%- endif %}
{{ v.line }}
{%- endfor %}
{%- if model.retired %}
    /// A stored event the spec retired (`Evolution:`), by its name: read,
    /// changes nothing, never written.
    #[serde(skip)]
    Retired(&'static str),
{%- endif %}
{%- if !model.event_variants.is_empty() %}
}
{%- endif %}
{%- if let Some(events) = model.events_macro %}

{{ events }}
{%- endif %}
{%- if let Some(decoding) = model.decoding %}

{{ decoding }}
{%- endif %}

impl {{ model.rust }}Command {
    /// The action's name in the spec, as its rejections name it.
    #[must_use]
    pub fn action(&self) -> &'static str {
{%- if model.action_arms.is_empty() %}
        match *self {}
{%- else %}
        match self {
{%- for arm in model.action_arms %}
{{ arm }}
{%- endfor %}
        }
{%- endif %}
    }
}

impl {{ model.rust }}Event {
{%- if model.pascal %}
    /// The event's name in the spec; its tag when serialised is this name
    /// in PascalCase (with `@<n>` above version 1).
{%- else %}
    /// The event's name in the spec, also its tag when serialised (with
    /// `@<n>` above version 1).
{%- endif %}
    #[must_use]
    pub fn name(&self) -> &'static str {
{%- if model.name_arms.is_empty() %}
        match *self {}
{%- else %}
        match self {
{%- for arm in model.name_arms %}
{{ arm }}
{%- endfor %}
        }
{%- endif %}
    }
}
{%- for v in model.command_variants %}

{{ v.from_header }}
    fn from(command: {{ v.name }}) -> Self {
        Self::{{ v.name }}(command)
    }
}
{%- endfor %}
{%- for v in model.event_variants %}

{{ v.from_header }}
    fn from(event: {{ v.name }}) -> Self {
        Self::{{ v.name }}(event)
    }
}
{%- endfor %}

{%- if let Some(state) = model.state %}

{{ state }}
{%- endif %}

{%- for service in model.service_traits %}

{{ service }}
{%- endfor %}

/// The queries of the `{{ model.name }}` model.
{{ model.queries_header }}
{%- if model.queries.is_empty() %}}{% endif %}
{%- for q in model.queries %}
{%- if !loop.first %}
{% endif %}
{%- for line in q.docs %}
    ///{% if !line.is_empty() %} {{ line }}{% endif %}
{%- endfor %}
{%- if q.many_params %}
    #[allow(clippy::too_many_arguments)]
{%- endif %}
{%- if let Some(body) = q.provided %}
{{ body }}
{%- else %}
{{ q.declaration }}
{%- endif %}
{%- endfor %}
{%- if !model.queries.is_empty() %}
}
{%- endif %}
{%- for history in model.histories %}

{{ history }}
{%- endfor %}

/// Proposing: one method per action of the `{{ model.name }}` model. Each validates
/// its command against the model and, in the same step, turns it into the
/// event that records it, or rejects it.
{{ model.propose_header }}
{%- if model.proposals.is_empty() %}}{% endif %}
{%- for m in model.proposals %}
{%- if !loop.first %}
{% endif %}
{%- for line in m.docs %}
    ///{% if !line.is_empty() %} {{ line }}{% endif %}
{%- endfor %}
{%- if let Some(body) = m.provided %}
{{ body }}
{%- else %}
{{ m.declaration }}
{%- endif %}
{%- endfor %}
{%- if !model.proposals.is_empty() %}
}
{%- endif %}
{%- if let Some(asking) = model.asking %}

{{ asking }}

/// The answer of a service outside the spec, or, when it could not give
/// one, the rejection of `action` by `rule` as
/// [`RejectionKind::Unavailable`]: nothing was decided, and the command
/// may be sent again.
fn answered<T>(
    answer: Result<T, ServiceError>,
    action: &'static str,
    rule: &'static str,
    service: &str,
) -> Result<T, Rejection> {
    answer.map_err(|error| {
        let message = format!("`{service}` could not answer: {error}");
        Rejection::by_rule(MODEL, action, rule, RejectionKind::Unavailable, message)
    })
}
{%- endif %}

/// Accepting: one method per event of the `{{ model.name }}` model, each applying
/// its event to the model.
{{ model.accept_header }}
{%- if model.acceptances.is_empty() %}}{% endif %}
{%- for m in model.acceptances %}
{%- if !loop.first %}
{% endif %}
{%- for line in m.docs %}
    ///{% if !line.is_empty() %} {{ line }}{% endif %}
{%- endfor %}
{%- if let Some(body) = m.provided %}
{{ body }}
{%- else %}
{{ m.declaration }}
{%- endif %}
{%- endfor %}
{%- if !model.acceptances.is_empty() %}
}
{%- endif %}

/// The `{{ model.name }}` aggregate: proposing and accepting, put together.
/// Implemented for every type that implements both halves and `Default`.
{{ model.aggregate_header }}
{%- if !model.propose_arms.is_empty() %}
    /// Proposes any command: the event that records it, or a rejection.
    /// The model is not changed.
    ///
    /// # Errors
    ///
    /// The [`Rejection`] of the command's proposing method.
    #[inline]
{{ model.propose_signature }}
{%- if model.served %}
        Asking(self).propose(command.into(), services)
{%- else %}
        match command.into() {
{%- for arm in model.propose_arms %}
{{ arm }}
{%- endfor %}
        }
{%- endif %}
    }
{% endif %}
    /// Accepts any event: applies it to the model.
    #[inline]
{{ model.accept_signature }}
{%- if model.accept_arms.is_empty() %}
        match *event {}
{%- else %}
        match event {
{%- for arm in model.accept_arms %}
{{ arm }}
{%- endfor %}
        }
{%- endif %}
    }

{%- if !model.propose_arms.is_empty() %}

    /// Proposes a command and, if it is accepted, accepts its event and
    /// returns it. On rejection the model is left as it was.
    ///
    /// # Errors
    ///
    /// The [`Rejection`] of the command's proposing method.
    #[inline]
{{ model.execute_signature }}
{%- if model.served %}
        let command = command.into();
        async move {
            let event = self.propose(command, services).await?;
            self.accept(&event);
            Ok(event)
        }
{%- else %}
        match command.into() {
{%- for arm in model.execute_arms %}
{{ arm }}
{%- endfor %}
        }
{%- endif %}
    }
{%- endif %}

    /// The model that results from accepting `events`, in order, starting
    /// from `Default`.
    fn replay<I>(events: I) -> Self
    where
        I: IntoIterator,
        I::Item: Borrow<{{ model.rust }}Event>,
    {
        let mut model = Self::default();
        for event in events {
            model.accept(event.borrow());
        }
        model
    }
}

{{ model.aggregate_impl }}
{%- for policy in model.policies %}

{{ policy }}
{%- endfor %}

{%- macro strukt(s) %}
{%- for line in s.docs %}
///{% if !line.is_empty() %} {{ line }}{% endif %}
{%- endfor %}
#[derive({{ s.derives }})]
{%- if let Some(attr) = s.serde %}
{{ attr }}
{%- endif %}
pub struct {{ s.name }} {
{%- if s.fields.is_empty() %}}{% endif %}
{%- for f in s.fields %}
{%- for line in f.docs %}
    ///{% if !line.is_empty() %} {{ line }}{% endif %}
{%- endfor %}
    pub {{ f.name }}: {{ f.ty }},
{%- endfor %}
{%- if !s.fields.is_empty() %}
}
{%- endif %}
{%- if let Some(record) = s.record %}

{{ record }}
{%- endif %}
{%- endmacro %}
