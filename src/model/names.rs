//! Spec names → Rust names: case conversion, `?`, keywords, plurals.

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

/// Rust keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers at all.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Why a name cannot become a Rust identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// `self`, `super`, `crate`, `Self`.
    Reserved(String),
}

/// The spec name without its `?`.
fn bare(name: &str) -> &str {
    name.strip_suffix('?').unwrap_or(name)
}

/// Whether `name` is plain lower kebab case: lowercase ASCII words of
/// letters, joined by single `-`. Such a name is its own kebab case, its
/// snake case swaps `-` for `_`, and its upper camel case capitalises each
/// word, exactly as `heck` would convert it; `heck` (which goes through
/// `fmt` per character) is left for everything else.
fn plain_kebab(name: &str) -> bool {
    !name.is_empty()
        && name
            .split('-')
            .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()))
}

fn to_snake(name: &str) -> String {
    if plain_kebab(name) {
        name.replace('-', "_")
    } else {
        name.to_snake_case()
    }
}

fn to_pascal(name: &str) -> String {
    if !plain_kebab(name) {
        return name.to_upper_camel_case();
    }
    let mut out = String::with_capacity(name.len());
    for word in name.split('-') {
        let (first, rest) = word.split_at(1);
        out.push_str(&first.to_ascii_uppercase());
        out.push_str(rest);
    }
    out
}

fn to_kebab(name: &str) -> String {
    if plain_kebab(name) {
        name.to_string()
    } else {
        name.to_kebab_case()
    }
}

/// Whether `name` is a Rust keyword (raw-able or not).
pub fn is_keyword(name: &str) -> bool {
    RAW_KEYWORDS.contains(&name) || NOT_RAW.contains(&name)
}

/// A value name: `new-text` → `new_text`, `type` → `r#type`.
pub fn snake(name: &str) -> Result<String, NameError> {
    let snake = to_snake(bare(name));
    if NOT_RAW.contains(&snake.as_str()) {
        Err(NameError::Reserved(snake))
    } else if RAW_KEYWORDS.contains(&snake.as_str()) {
        Ok(format!("r#{snake}"))
    } else {
        Ok(snake)
    }
}

/// A type name: `text-changed` → `TextChanged`.
pub fn pascal(name: &str) -> Result<String, NameError> {
    let pascal = to_pascal(bare(name));
    if NOT_RAW.contains(&pascal.as_str()) {
        Err(NameError::Reserved(pascal))
    } else {
        Ok(pascal)
    }
}

/// The identifier without `r#`, for file names and messages.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// A name in lower kebab case, for comparing spec words (`Todo` → `todo`).
pub fn kebab(name: &str) -> String {
    to_kebab(bare(name))
}

/// The singular of a kebab-case name, inflecting its last word
/// (`member-ids` → `member-id`); `None` when it is not a plural.
pub fn singular(name: &str) -> Option<String> {
    let (head, last) = match name.rfind('-') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    };
    if last.is_empty() {
        return None;
    }
    let one = pluralizer::pluralize(last, 1, false);
    (one != last && !one.is_empty()).then(|| format!("{head}{one}"))
}

/// The plural of a kebab-case name (`todo` → `todos`).
pub fn plural(name: &str) -> String {
    let (head, last) = match name.rfind('-') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    };
    format!("{head}{}", pluralizer::pluralize(last, 2, false))
}

/// A bracket list as the spec writes it: `[id text completed?]`.
pub fn bracket<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    format!("[{}]", names.into_iter().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_names() {
        assert_eq!(snake("new-text").unwrap(), "new_text");
        assert_eq!(snake("completed?").unwrap(), "completed");
        assert_eq!(snake("type").unwrap(), "r#type");
        assert_eq!(snake("self"), Err(NameError::Reserved("self".into())));
        assert_eq!(pascal("text-changed").unwrap(), "TextChanged");
        assert_eq!(pascal("self"), Err(NameError::Reserved("Self".into())));
        assert_eq!(kebab("BookLoan"), "book-loan");
    }

    /// The plain kebab-case shortcut gives what `heck` gives, on every
    /// name of up to four characters over an alphabet that covers its edges
    /// (case, digits, `-`, `_`, a non-ASCII letter), and on longer ones.
    #[test]
    fn shortcut_agrees_with_heck() {
        let alphabet = ['a', 'z', 'B', '7', '-', '_', 'é'];
        let mut names = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for name in &frontier {
                for c in alphabet {
                    let mut longer = name.clone();
                    longer.push(c);
                    next.push(longer);
                }
            }
            names.extend(next.iter().cloned());
            frontier = next;
        }
        names.extend(
            [
                "new-text",
                "text-changed",
                "a-b-c",
                "todo",
                "x",
                "accept-done-cleared",
                "create-new",
                "new--text",
                "-text",
                "text-",
                "open-count",
                "readings-taken",
            ]
            .map(String::from),
        );
        for name in &names {
            assert_eq!(to_snake(name), name.to_snake_case(), "snake of {name:?}");
            assert_eq!(
                to_pascal(name),
                name.to_upper_camel_case(),
                "pascal of {name:?}"
            );
            assert_eq!(to_kebab(name), name.to_kebab_case(), "kebab of {name:?}");
        }
    }

    #[test]
    fn inflects_last_word() {
        assert_eq!(singular("ids").as_deref(), Some("id"));
        assert_eq!(singular("member-ids").as_deref(), Some("member-id"));
        assert_eq!(singular("categories").as_deref(), Some("category"));
        assert_eq!(singular("people").as_deref(), Some("person"));
        assert_eq!(singular("text"), None);
        assert_eq!(plural("todo"), "todos");
        assert_eq!(singular("todos").as_deref(), Some("todo"));
    }
}
