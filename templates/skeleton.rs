//! The `{{ model.name }}` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `{{ krate.spec_file }}`
//! into `src/generated/{{ model.file_stem }}.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.
{%- if model.fully_declared %}
//!
//! Every query, action and event of this model is generated from the
//! spec's rules, so this file needs no code. A method written in one of
//! the `impl` blocks below replaces the generated one.
{%- endif %}

pub use crate::generated::{{ model.module }}::*;
{% if model.state.is_some() %}
/// The `{{ model.name }}` aggregate: the state its queries read and its
/// events change, kept by the rules of the spec.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct {{ model.rust }} {
    /// {{ model.holds }}
    state: {{ model.state_name }},
}

impl AsRef<{{ model.state_name }}> for {{ model.rust }} {
    fn as_ref(&self) -> &{{ model.state_name }} {
        &self.state
    }
}

impl AsMut<{{ model.state_name }}> for {{ model.rust }} {
    fn as_mut(&mut self) -> &mut {{ model.state_name }} {
        &mut self.state
    }
}
{%- else %}
/// The `{{ model.name }}` aggregate: the state its queries read and its
/// events change.
#[derive(Debug, Default)]
pub struct {{ model.rust }} {}
{%- endif %}

impl {{ model.rust }}Queries for {{ model.rust }} {
{%- if model.hand_queries.is_empty() %}}{% endif %}
{%- for q in model.hand_queries %}
{%- if !loop.first %}
{% endif %}
    // {{ q.spec_line }}
{%- if q.many_params %}
    #[allow(clippy::too_many_arguments)]
{%- endif %}
{{ q.definition }}
        todo!()
    }
{%- endfor %}
{%- if !model.hand_queries.is_empty() %}
}
{%- endif %}

impl {{ model.rust }}Propose for {{ model.rust }} {
{%- if model.hand_proposals.is_empty() %}}{% endif %}
{%- for m in model.hand_proposals %}
{%- if !loop.first %}
{% endif %}
    // {{ m.spec_line }}
{{ m.definition }}
        todo!()
    }
{%- endfor %}
{%- if !model.hand_proposals.is_empty() %}
}
{%- endif %}

impl {{ model.rust }}Accept for {{ model.rust }} {
{%- if model.hand_acceptances.is_empty() %}}{% endif %}
{%- for m in model.hand_acceptances %}
{%- if !loop.first %}
{% endif %}
    // {{ m.spec_line }}
{{ m.definition }}
        todo!()
    }
{%- endfor %}
{%- if !model.hand_acceptances.is_empty() %}
}
{%- endif %}
