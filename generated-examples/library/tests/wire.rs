//! Events and entities are written and read through `record!`, and event
//! enums through `events!` (generic code instead of serde's derives, for
//! compile time): the JSON is the one serde's derives give, field by field,
//! and reading it is as lenient and as strict as they are.

use library::catalog::{BookAdded, CatalogEvent, EditionRecorded};
use library::generated::BookId;
use serde_json::{json, Value};

fn book() -> BookAdded {
    BookAdded {
        id: BookId::new("b1"),
        title: "Dune".into(),
        authors: vec!["Frank Herbert".into()],
        genre: "science fiction".into(),
        published_year: 1965,
        list_price: 9.5,
        tags: vec![],
        subtitle: None,
        r#type: "paperback".into(),
    }
}

fn full() -> Value {
    json!({
        "id": "b1",
        "title": "Dune",
        "authors": ["Frank Herbert"],
        "genre": "science fiction",
        "published_year": 1965,
        "list_price": 9.5,
        "tags": [],
        "subtitle": null,
        "type": "paperback"
    })
}

#[test]
fn written_field_by_field_in_order_with_raw_names_unprefixed() {
    let text = serde_json::to_string(&book()).unwrap();
    assert_eq!(
        text,
        r#"{"id":"b1","title":"Dune","authors":["Frank Herbert"],"genre":"science fiction","published_year":1965,"list_price":9.5,"tags":[],"subtitle":null,"type":"paperback"}"#
    );
    let event = serde_json::to_value(CatalogEvent::BookAdded(book())).unwrap();
    assert_eq!(event, json!({ "book-added": full() }));
}

#[test]
fn read_back_from_a_map_or_a_sequence() {
    let read: BookAdded = serde_json::from_value(full()).unwrap();
    assert_eq!(read, book());
    let text = serde_json::to_string(&book()).unwrap();
    assert_eq!(serde_json::from_str::<BookAdded>(&text).unwrap(), book());
    let seq = json!([
        "b1",
        "Dune",
        ["Frank Herbert"],
        "science fiction",
        1965,
        9.5,
        [],
        null,
        "paperback"
    ]);
    assert_eq!(serde_json::from_value::<BookAdded>(seq).unwrap(), book());
    let event: CatalogEvent = serde_json::from_value(json!({ "book-added": full() })).unwrap();
    assert_eq!(event, CatalogEvent::BookAdded(book()));
}

#[test]
fn a_missing_optional_field_is_nothing_and_unknown_fields_are_ignored() {
    let mut value = full();
    let map = value.as_object_mut().unwrap();
    map.remove("subtitle");
    map.insert("shelf-mark".into(), json!({ "nested": [1, 2] }));
    let read: BookAdded = serde_json::from_value(value).unwrap();
    assert_eq!(read, book());
    let edition: EditionRecorded = serde_json::from_str(r#"{"id":"b1"}"#).unwrap();
    assert_eq!(edition.edition, None);
}

#[test]
fn a_missing_required_field_a_repeated_one_or_a_wrong_type_is_refused() {
    let mut value = full();
    value.as_object_mut().unwrap().remove("genre");
    let error = serde_json::from_value::<BookAdded>(value).unwrap_err();
    assert_eq!(error.to_string(), "missing field `genre`");

    let repeated = r#"{"id":"b1","title":"Dune","title":"Dune again"}"#;
    let error = serde_json::from_str::<BookAdded>(repeated).unwrap_err();
    assert!(
        error.to_string().starts_with("duplicate field `title`"),
        "{error}"
    );

    let mut value = full();
    value["published_year"] = json!("nineteen sixty-five");
    let error = serde_json::from_value::<BookAdded>(value).unwrap_err();
    assert!(error.to_string().contains("expected i64"), "{error}");

    let short = json!(["b1", "Dune"]);
    let error = serde_json::from_value::<BookAdded>(short).unwrap_err();
    assert!(error.to_string().starts_with("invalid length 2"), "{error}");

    let error = serde_json::from_str::<BookAdded>("[1").unwrap_err();
    assert!(
        error.is_syntax() || error.is_eof() || error.is_data(),
        "{error}"
    );
    let error = serde_json::from_str::<BookAdded>("12").unwrap_err();
    assert!(error.to_string().contains("struct BookAdded"), "{error}");
}

#[test]
fn an_event_is_read_by_its_tag_and_an_unknown_tag_is_refused() {
    let event: CatalogEvent = serde_json::from_value(json!({ "book-added": full() })).unwrap();
    assert_eq!(event, CatalogEvent::BookAdded(book()));
    let error = serde_json::from_value::<CatalogEvent>(json!({ "book-lost": full() }))
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("unknown variant `book-lost`, expected one of `book-added`, `repriced`"),
        "{error}"
    );
    // A tag alone, without the event's fields, is not an event.
    assert!(serde_json::from_value::<CatalogEvent>(json!("book-added")).is_err());
    assert!(serde_json::from_value::<CatalogEvent>(json!({})).is_err());
}
