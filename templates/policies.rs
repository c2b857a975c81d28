//! The policies of `{{ krate.spec_file }}`: what happens next when an event is
//! recorded. Each is a subscription of its own ([`Policy`]), with a
//! checkpoint in the store; `Policies` (in `postgres` and `sqlite`, features
//! `postgres` and `sqlite`) follows them all. What a policy that asks an
//! action sends is a function of its event, in its model's module.

use std::future::Future;

/// Each policy of the spec: the subscription that runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Policy {
{%- for (doc, variant) in policies.variants %}
    /// {{ doc }}
    {{ variant }},
{%- endfor %}
}

impl Policy {
    /// Every policy, in spec order.
{{ policies.all }}

    /// Its name, which names its subscription and its checkpoint.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
{%- for line in policies.name_arms %}
{{ line }}
{%- endfor %}
        }
    }

    /// The model whose events it follows (their `aggregate_type`).
    #[must_use]
    pub fn model(self) -> &'static str {
        match self {
{%- for line in policies.model_arms %}
{{ line }}
{%- endfor %}
        }
    }

    /// Whether it is `strong`: the command that recorded its event answers
    /// once it has acted (`Policies::settle`).
    #[must_use]
    pub fn strong(self) -> bool {
        match self {
{%- for line in policies.strong_arms %}
{{ line }}
{%- endfor %}
        }
    }

    /// Whether it sends a command (to a model of the spec), rather than
    /// calling a function of the app.
    #[must_use]
    pub fn sends(self) -> bool {
        match self {
{%- for line in policies.sends_arms %}
{{ line }}
{%- endfor %}
        }
    }

    /// Whether it starts at the events recorded after it first runs
    /// (`from now`), rather than at the first one.
    #[must_use]
    pub fn from_now(self) -> bool {
        match self {
{%- for line in policies.from_now_arms %}
{{ line }}
{%- endfor %}
        }
    }
}

/// Why the app's function of a `notify by` policy failed: the event is
/// tried again, then parked.
pub type NotifyError = Box<dyn std::error::Error + Send + Sync>;

/// The functions the app writes for the spec's `notify by` policies
/// (`src/notifications.rs` was created with a stub of each).
pub trait Notifications: Send + Sync {
{%- for method in policies.notify_methods %}
{%- if !loop.first %}
{% endif %}
{{ method }}
{%- endfor %}
}
{%- if policies.notify_methods.is_empty() %}

/// No policy notifies: `()` stands for the app's functions.
impl Notifications for () {}
{%- endif %}

/// What stands for the app's functions where none is at hand: the HTTP
/// service, which settles the `strong` policies that send a command.
/// Through it, a `notify by` function fails.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Unnotified;
{%- if policies.unnotified_methods.is_empty() %}

impl Notifications for Unnotified {}
{%- else %}

impl Notifications for Unnotified {
{%- for method in policies.unnotified_methods %}
{%- if !loop.first %}
{% endif %}
{{ method }}
{%- endfor %}
}
{%- endif %}
{%- let sqlite = false %}
{%- let store = "postgres" %}
{% include "policies_store.rs" %}
{%- let sqlite = true %}
{%- let store = "sqlite" %}
{% include "policies_store.rs" %}
