//! The items of a model's generated file: structs (entities, commands,
//! events) and their fields, the variants of the command and event
//! enums, and choice enums.

use crate::codegen::rust::{arm, docs, inert};
use crate::model::ir::{self, Field};

/// A struct: entity, command or event.
pub struct StructView {
    /// Doc lines.
    pub docs: Vec<String>,
    /// The derive list.
    pub derives: &'static str,
    /// serde's derives when they come with the `serde` feature (commands).
    pub serde: Option<&'static str>,
    /// The `record!` that gives it serde's traits (entities and events
    /// with fields).
    pub record: Option<String>,
    /// The type name.
    pub name: String,
    /// For events, the `EVENT` constant (the spec name, also its tag when
    /// serialised), laid out.
    pub event_const: String,
    /// Its fields.
    pub fields: Vec<FieldView>,
}

/// A struct field.
pub struct FieldView {
    /// Doc lines.
    pub docs: Vec<String>,
    /// The Rust name.
    pub name: String,
    /// The Rust type.
    pub ty: String,
}

/// A command struct and what belongs to it.
pub struct CommandView {
    /// The struct.
    pub strukt: StructView,
    /// The `ACTION` constant (the action's name as written), laid out.
    pub action_const: String,
    /// The body of `validate`, when a parameter has constraints.
    pub validate: Option<String>,
}

/// An enum variant over a command or event.
pub struct VariantView {
    /// Doc line.
    pub doc: String,
    /// The attribute that gives the variant its tag, laid out: a command's
    /// only with the `serde` feature.
    pub rename: String,
    /// The variant and struct name.
    pub name: String,
    /// The variant's line(s), `    Name(Name),`, broken as rustfmt breaks it.
    pub line: String,
    /// `impl From<Name> for Enum {`, broken as rustfmt breaks it.
    pub from_header: String,
}

pub(super) fn variant(doc: String, tag: &str, name: &str, enumeration: &str) -> VariantView {
    let rename = if enumeration.ends_with("Command") {
        feature_rename(tag)
    } else {
        format!("    #[serde(rename = \"{tag}\")]")
    };
    let header = format!("impl From<{name}> for {enumeration} {{");
    let from_header = if header.chars().count() <= 100 {
        header
    } else {
        format!("impl From<{name}>\n    for {enumeration}\n{{")
    };
    let one_line = format!("    {name}({name}),");
    let line = if one_line.chars().count() <= 100 {
        one_line
    } else {
        format!("    {name}(\n        {name},\n    ),")
    };
    VariantView {
        doc,
        rename,
        name: name.to_string(),
        line,
        from_header,
    }
}

/// `#[cfg_attr(feature = "serde", serde(rename = "tag"))]` on a variant,
/// broken as rustfmt breaks it.
fn feature_rename(tag: &str) -> String {
    let rename = format!("serde(rename = \"{tag}\")");
    let one_line = format!("    #[cfg_attr(feature = \"serde\", {rename})]");
    // rustfmt lays attributes out as calls, by widths found by trying.
    if one_line.chars().count() <= 87 {
        one_line
    } else if rename.chars().count() + 8 <= 98 {
        format!("    #[cfg_attr(\n        feature = \"serde\",\n        {rename}\n    )]")
    } else {
        format!(
            "    #[cfg_attr(\n        feature = \"serde\",\n        serde(\n            rename = \"{tag}\"\n        )\n    )]"
        )
    }
}

pub(super) fn field_view(field: &Field) -> FieldView {
    FieldView {
        docs: if field.docs.is_empty() {
            let fallback = format!("The `{}` ({}).", field.term, field.ty.spec());
            docs(&[], &[fallback])
        } else {
            docs(&field.docs, &[])
        },
        name: field.rust.clone(),
        ty: field.ty.rust(),
    }
}

/// A choice enum, rendered.
pub(super) fn choice_view(choice: &ir::Choice) -> String {
    let words: Vec<String> = choice
        .values
        .iter()
        .map(|(w, _)| format!("`{w}`"))
        .collect();
    let mut out = String::new();
    for line in docs(
        &choice.docs,
        &[format!(
            "A choice: `{}` is one of {}.",
            choice.term,
            words.join(", ")
        )],
    ) {
        if line.is_empty() {
            out.push_str("///\n");
        } else {
            out.push_str(&format!("/// {line}\n"));
        }
    }
    let derives = if choice.default.is_some() {
        "Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize"
    } else {
        "Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize"
    };
    // rustfmt keeps a derive on one line up to the maximum width, and
    // breaks a longer one after the parenthesis.
    let one = format!("#[derive({derives})]");
    if one.len() < 100 {
        out.push_str(&format!("{one}\npub enum {} {{\n", choice.rust));
    } else {
        out.push_str(&format!(
            "#[derive(\n    {derives},\n)]\npub enum {} {{\n",
            choice.rust
        ));
    }
    for (i, (word, variant)) in choice.values.iter().enumerate() {
        out.push_str(&format!("    /// `{}`\n", inert(word)));
        if choice.default == Some(i) {
            out.push_str("    #[default]\n");
        }
        out.push_str(&format!(
            "    #[serde(rename = \"{word}\")]\n    {variant},\n"
        ));
    }
    out.push_str("}\n\n");
    out.push_str(&format!("impl {} {{\n", choice.rust));
    out.push_str("    /// The value as the spec writes it.\n    #[must_use]\n    pub fn as_str(self) -> &'static str {\n        match self {\n");
    for (word, variant) in &choice.values {
        out.push_str(&arm(
            12,
            &format!("Self::{variant}"),
            &format!("\"{word}\""),
        ));
        out.push('\n');
    }
    out.push_str("        }\n    }\n}\n\n");
    out.push_str(&format!(
        "impl fmt::Display for {} {{\n    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {{\n        f.write_str(self.as_str())\n    }}\n}}",
        choice.rust
    ));
    out
}
