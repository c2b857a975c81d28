//! Everything esgen generates from `{{ krate.spec_file }}`: the identity types
//! the models share, [`Rejection`], and one module per model.

{% for module in krate.generated_modules -%}
pub mod {{ module }};
{% endfor %}
use serde::{Deserialize, Serialize};
use std::fmt;
{% for id in krate.identities %}
/// The identity of a `{{ id.of }}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct {{ id.rust }}(pub String);

impl {{ id.rust }} {
    /// An identity from its text.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The identity as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for {{ id.rust }} {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for {{ id.rust }} {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl From<&str> for {{ id.rust }} {
    fn from(id: &str) -> Self {
        Self(id.to_string())
    }
}

impl AsRef<str> for {{ id.rust }} {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
{% endfor %}
/// Why a model refused a command: the action, as the spec names it, and a
/// message for people.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rejection {
    /// The action that was refused (`create-new`).
    pub action: String,
    /// Why, for people.
    pub message: String,
}

impl Rejection {
    /// A rejection of `action` with a message.
    #[must_use]
    pub fn new(action: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            action: action.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` rejected: {}", self.action, self.message)
    }
}

impl std::error::Error for Rejection {}
