//! The scenarios of what happens next in `{{ view.spec_doc }}`, one test each:
//! the event of `when … happens` handed to each policy that follows it, and
//! the command each sends against the one `then … is asked` names (or
//! none).
{%- for model in view.models %}

mod {{ model.module }} {
{%- for line in model.uses %}
    {{ line }}
{%- endfor %}
{%- for test in model.tests %}

    /// {{ test.doc }}
    #[test]
{{ test.head }}
{{ test.body }}
    }
{%- endfor %}
}
{%- endfor %}
{%- if view.date %}

/// A date the spec wrote, checked when it was built.
fn date(year: i32, month: u32, day: u32) -> ::chrono::NaiveDate {
    ::chrono::NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}
{%- endif %}
{%- if view.timestamp %}

/// A timestamp the spec wrote, checked when it was built.
fn timestamp(text: &str) -> ::chrono::DateTime<::chrono::Utc> {
    ::chrono::DateTime::parse_from_rfc3339(text).map_or_else(|_| Default::default(), |t| t.to_utc())
}
{%- endif %}
