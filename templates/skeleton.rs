//! The `{{ model.name }}` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `{{ krate.spec_file }}`
//! into `src/generated/{{ model.file_stem }}.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.

pub use crate::generated::{{ model.module }}::*;

/// The `{{ model.name }}` aggregate: the state its queries read and its
/// events change.
#[derive(Debug, Default)]
pub struct {{ model.rust }} {}

impl {{ model.rust }}Queries for {{ model.rust }} {
{%- if model.queries.is_empty() %}}{% endif %}
{%- for q in model.queries %}
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
{%- if !model.queries.is_empty() %}
}
{%- endif %}

impl {{ model.rust }}Propose for {{ model.rust }} {
{%- if model.proposals.is_empty() %}}{% endif %}
{%- for m in model.proposals %}
{%- if !loop.first %}
{% endif %}
    // {{ m.spec_line }}
{{ m.definition }}
        todo!()
    }
{%- endfor %}
{%- if !model.proposals.is_empty() %}
}
{%- endif %}

impl {{ model.rust }}Accept for {{ model.rust }} {
{%- if model.acceptances.is_empty() %}}{% endif %}
{%- for m in model.acceptances %}
{%- if !loop.first %}
{% endif %}
    // {{ m.spec_line }}
{{ m.definition }}
        todo!()
    }
{%- endfor %}
{%- if !model.acceptances.is_empty() %}
}
{%- endif %}
