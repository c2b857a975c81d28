//! What the policies of `{{ krate.spec_file }}` that say `notify by` do: the
//! effects outside the spec (an e-mail, a webhook), written by you.
//!
//! esgen created this file once and never changes it: it is yours. When
//! the spec gains a `notify by` policy, the compiler lists the method to
//! add here. Each is called at least once per event: again when it fails,
//! and when the runner stopped before it saved that it was called. Hand
//! `key` on (an idempotency key of the service you call), or remember it,
//! to act once.
{% for line in policies.stub_uses %}
{{ line }}
{%- endfor %}

/// The app's side of the `notify by` policies, handed to `Policies::new`.
#[derive(Debug, Default, Clone)]
pub struct Notifier;

impl Notifications for Notifier {
{%- for method in policies.stub_methods %}
{%- if !loop.first %}
{% endif %}
{{ method }}
{%- endfor %}
}
