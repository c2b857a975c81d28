//! The `Todos` model, from the outside: what each action records, what it
//! refuses, replaying its events, and the JSON shape of its commands and
//! events.

use serde_json::json;
use todos::todos::*;

fn id(id: &str) -> TodoId {
    TodoId::new(id)
}

fn todo(todo_id: &str, text: &str, completed: bool) -> Todo {
    Todo {
        id: id(todo_id),
        text: text.to_string(),
        completed,
    }
}

fn create_new(todo_id: &str, text: &str) -> TodosCommand {
    CreateNew {
        id: id(todo_id),
        text: text.to_string(),
    }
    .into()
}

fn change_text(todo_id: &str, new_text: &str) -> TodosCommand {
    ChangeText {
        id: id(todo_id),
        new_text: new_text.to_string(),
    }
    .into()
}

fn change_completed(todo_id: &str, completed: bool) -> TodosCommand {
    ChangeCompleted {
        id: id(todo_id),
        completed,
    }
    .into()
}

fn delete(todo_id: &str) -> TodosCommand {
    Delete { id: id(todo_id) }.into()
}

fn clear_done() -> TodosCommand {
    ClearDone {}.into()
}

/// A list with `t1` "buy milk" (open), `t2` "walk the dog" (done) and
/// `t3` "call mum" (open), created in that order.
fn three_todos() -> Todos {
    let mut todos = Todos::default();
    for command in [
        create_new("t1", "buy milk"),
        create_new("t2", "walk the dog"),
        change_completed("t2", true),
        create_new("t3", "call mum"),
    ] {
        todos.execute(command).expect("setting up the list");
    }
    todos
}

// --- Each action's event -------------------------------------------------

#[test]
fn create_new_records_created_not_done_and_appends_the_todo() {
    let mut todos = Todos::default();
    assert!(todos.all_todos().is_empty());
    assert_eq!(todos.open_count(), 0);

    let event = todos.execute(create_new("t1", "buy milk")).unwrap();

    assert_eq!(
        event,
        TodosEvent::Created(Created {
            id: id("t1"),
            text: "buy milk".to_string(),
            completed: false,
        })
    );
    assert!(todos.has_todo(&id("t1")));
    assert_eq!(
        todos.get_todo(&id("t1")),
        Some(todo("t1", "buy milk", false))
    );
    assert_eq!(todos.open_count(), 1);

    todos.execute(create_new("t0", "later but first")).unwrap();
    assert_eq!(
        todos.all_todos(),
        vec![
            todo("t1", "buy milk", false),
            todo("t0", "later but first", false),
        ],
        "todos are in creation order, not id order"
    );
}

#[test]
fn change_text_records_text_changed_and_rewords_only_that_todo() {
    let mut todos = three_todos();

    let event = todos.execute(change_text("t1", "buy oat milk")).unwrap();

    assert_eq!(
        event,
        TodosEvent::TextChanged(TextChanged {
            id: id("t1"),
            new_text: "buy oat milk".to_string(),
        })
    );
    assert_eq!(
        todos.all_todos(),
        vec![
            todo("t1", "buy oat milk", false),
            todo("t2", "walk the dog", true),
            todo("t3", "call mum", false),
        ]
    );
}

#[test]
fn change_completed_records_completed_changed_and_marks_the_todo() {
    let mut todos = three_todos();

    let event = todos.execute(change_completed("t1", true)).unwrap();
    assert_eq!(
        event,
        TodosEvent::CompletedChanged(CompletedChanged {
            id: id("t1"),
            completed: true,
        })
    );
    assert_eq!(
        todos.get_todo(&id("t1")),
        Some(todo("t1", "buy milk", true))
    );
    assert_eq!(todos.open_count(), 1);

    let event = todos.execute(change_completed("t2", false)).unwrap();
    assert_eq!(
        event,
        TodosEvent::CompletedChanged(CompletedChanged {
            id: id("t2"),
            completed: false,
        })
    );
    assert_eq!(
        todos.get_todo(&id("t2")),
        Some(todo("t2", "walk the dog", false))
    );
    assert_eq!(todos.done_todos(), vec![todo("t1", "buy milk", true)]);
    assert_eq!(todos.open_count(), 2);
}

#[test]
fn delete_records_deleted_and_takes_the_todo_off() {
    let mut todos = three_todos();

    let event = todos.execute(delete("t2")).unwrap();

    assert_eq!(event, TodosEvent::Deleted(Deleted { id: id("t2") }));
    assert!(!todos.has_todo(&id("t2")));
    assert_eq!(todos.get_todo(&id("t2")), None);
    assert_eq!(
        todos.all_todos(),
        vec![todo("t1", "buy milk", false), todo("t3", "call mum", false)]
    );
    assert!(todos.done_todos().is_empty());
}

#[test]
fn clear_done_records_the_done_ids_in_creation_order_and_takes_them_off() {
    let mut todos = three_todos();
    todos.execute(change_completed("t3", true)).unwrap();
    todos.execute(change_completed("t1", true)).unwrap();
    todos.execute(change_completed("t1", false)).unwrap();
    assert_eq!(
        todos.done_todos(),
        vec![
            todo("t2", "walk the dog", true),
            todo("t3", "call mum", true)
        ]
    );

    let event = todos.execute(clear_done()).unwrap();

    assert_eq!(
        event,
        TodosEvent::DoneCleared(DoneCleared {
            ids: vec![id("t2"), id("t3")],
        })
    );
    assert_eq!(todos.all_todos(), vec![todo("t1", "buy milk", false)]);
    assert!(todos.done_todos().is_empty());
    assert_eq!(todos.open_count(), 1);
}

#[test]
fn clear_done_with_nothing_done_is_accepted_and_changes_nothing() {
    let mut todos = Todos::default();
    todos.execute(create_new("t1", "buy milk")).unwrap();
    let before = todos.clone();

    let event = todos.execute(clear_done()).unwrap();

    assert_eq!(event, TodosEvent::DoneCleared(DoneCleared { ids: vec![] }));
    assert_eq!(todos, before);
}

#[test]
fn propose_returns_the_event_without_changing_the_model() {
    let todos = three_todos();
    let before = todos.clone();

    assert_eq!(
        todos.propose(delete("t1")),
        Ok(TodosEvent::Deleted(Deleted { id: id("t1") }))
    );
    assert_eq!(
        todos.clear_done(ClearDone {}),
        Ok(DoneCleared {
            ids: vec![id("t2")]
        })
    );
    assert_eq!(todos, before);
}

// --- Rejections ----------------------------------------------------------

/// Executes `command`, expecting it refused by `action` with a message
/// that names `todo_id` (or, for a blank text, the broken constraint), and
/// the model left as it was.
fn assert_rejected(todos: &mut Todos, command: TodosCommand, action: &str, todo_id: &str) {
    let before = todos.clone();

    let rejection = todos
        .execute(command.clone())
        .expect_err("the command should be rejected");

    assert_eq!(rejection.action, action);
    assert_eq!(rejection.model, "Todos");
    match rejection.kind {
        RejectionKind::Invalid => {
            assert_eq!(rejection.rule, format!("{action}/constraints"));
            assert_eq!(rejection.problems.len(), 1, "{rejection:?}");
            assert_eq!(rejection.problems[0].rule, "not-blank");
            assert!(rejection.message.contains("must not be blank"));
        }
        RejectionKind::Conflict => {
            assert_eq!(rejection.rule, format!("{action}/if-has-todo"));
            assert!(rejection.message.contains(todo_id), "{rejection:?}");
        }
        RejectionKind::NotFound => {
            assert_eq!(rejection.rule, format!("{action}/unless-has-todo"));
            assert!(rejection.message.contains(todo_id), "{rejection:?}");
        }
        RejectionKind::Refused => panic!("no rule of todos.ddd refuses: {rejection:?}"),
        RejectionKind::Unavailable => panic!("nothing is read from elsewhere: {rejection:?}"),
    }
    assert_eq!(
        *todos, before,
        "a rejected command must not change the model"
    );
    assert_eq!(todos.propose(command), Err(rejection));
}

#[test]
fn create_new_rejects_an_id_already_on_the_list() {
    let mut todos = three_todos();
    assert_rejected(
        &mut todos,
        create_new("t2", "walk the cat"),
        CreateNew::ACTION,
        "t2",
    );
    assert_eq!(
        todos.get_todo(&id("t2")),
        Some(todo("t2", "walk the dog", true))
    );
}

#[test]
fn create_new_rejects_blank_text() {
    let mut todos = three_todos();
    assert_rejected(&mut todos, create_new("t4", ""), CreateNew::ACTION, "t4");
    assert_rejected(
        &mut todos,
        create_new("t4", " \t\n "),
        CreateNew::ACTION,
        "t4",
    );
    assert!(!todos.has_todo(&id("t4")));
}

#[test]
fn change_text_rejects_an_unknown_id() {
    let mut todos = three_todos();
    assert_rejected(
        &mut todos,
        change_text("t9", "anything"),
        ChangeText::ACTION,
        "t9",
    );
}

#[test]
fn change_text_rejects_blank_text() {
    let mut todos = three_todos();
    assert_rejected(
        &mut todos,
        change_text("t1", "   "),
        ChangeText::ACTION,
        "t1",
    );
    assert_eq!(
        todos.get_todo(&id("t1")),
        Some(todo("t1", "buy milk", false))
    );
}

#[test]
fn change_completed_rejects_an_unknown_id() {
    let mut todos = three_todos();
    assert_rejected(
        &mut todos,
        change_completed("t9", true),
        ChangeCompleted::ACTION,
        "t9",
    );
}

#[test]
fn delete_rejects_an_unknown_id() {
    let mut todos = three_todos();
    assert_rejected(&mut todos, delete("t9"), Delete::ACTION, "t9");
}

#[test]
fn a_deleted_todo_is_unknown_afterwards() {
    let mut todos = three_todos();
    todos.execute(delete("t1")).unwrap();
    assert_rejected(&mut todos, delete("t1"), Delete::ACTION, "t1");
    assert_rejected(
        &mut todos,
        change_completed("t1", true),
        ChangeCompleted::ACTION,
        "t1",
    );
}

#[test]
fn rejection_displays_its_message_and_names_the_rule_in_full() {
    let todos = Todos::default();
    let rejection = todos.propose(delete("t9")).unwrap_err();
    assert_eq!(rejection.action, "delete");
    assert_eq!(rejection.to_string(), rejection.message);
    assert_eq!(
        format!("{rejection:#}"),
        format!(
            "`delete` rejected by {} (not-found): {}",
            rejection.rule, rejection.message
        )
    );
}

// --- Replay --------------------------------------------------------------

#[test]
fn replaying_a_morning_of_use_rebuilds_the_live_model() {
    let morning = [
        create_new("t1", "buy milk"),
        create_new("t2", "walk the dog"),
        create_new("t3", "call mum"),
        change_completed("t2", true),
        create_new("t2", "duplicate"), // rejected
        change_text("t1", "buy oat milk"),
        change_text("t9", "unknown"), // rejected
        create_new("t4", "water the plants"),
        change_completed("t4", true),
        clear_done(),
        create_new("t5", "book the dentist"),
        change_completed("t3", true),
        change_completed("t3", false),
        delete("t1"),
        delete("t1"),           // rejected
        change_text("t5", " "), // rejected
        change_completed("t5", true),
    ];

    let mut live = Todos::default();
    let mut events = Vec::new();
    let mut rejections = 0;
    for command in morning {
        match live.execute(command) {
            Ok(event) => events.push(event),
            Err(_) => rejections += 1,
        }
    }
    assert_eq!(rejections, 4);
    assert_eq!(events.len(), 13);
    assert_eq!(
        live.all_todos(),
        vec![
            todo("t3", "call mum", false),
            todo("t5", "book the dentist", true)
        ]
    );

    assert_eq!(Todos::replay(&events), live);
    assert_eq!(Todos::replay(events.clone()), live);

    // Through JSON, as an event store would keep them.
    let stored = serde_json::to_string(&events).unwrap();
    let loaded: Vec<TodosEvent> = serde_json::from_str(&stored).unwrap();
    assert_eq!(Todos::replay(loaded), live);
}

#[test]
fn replaying_nothing_is_the_empty_list() {
    assert_eq!(Todos::replay(Vec::<TodosEvent>::new()), Todos::default());
}

// --- JSON ----------------------------------------------------------------

/// Asserts that `value` serializes to `expected` and reads back as itself.
fn assert_json<T>(value: &T, expected: serde_json::Value)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    assert_eq!(serde_json::to_value(value).unwrap(), expected);
    let text = serde_json::to_string(value).unwrap();
    assert_eq!(&serde_json::from_str::<T>(&text).unwrap(), value);
    assert_eq!(&serde_json::from_value::<T>(expected).unwrap(), value);
}

#[test]
fn todo_id_is_a_plain_string() {
    assert_json(&id("t1"), json!("t1"));
    assert_json(&todo("t1", "buy milk", true), {
        json!({"id": "t1", "text": "buy milk", "completed": true})
    });
}

#[test]
fn every_event_round_trips_as_its_spec_name() {
    assert_json(
        &TodosEvent::Created(Created {
            id: id("t1"),
            text: "buy milk".to_string(),
            completed: false,
        }),
        json!({"created": {"id": "t1", "text": "buy milk", "completed": false}}),
    );
    assert_json(
        &TodosEvent::TextChanged(TextChanged {
            id: id("t1"),
            new_text: "x".to_string(),
        }),
        json!({"text-changed": {"id": "t1", "new_text": "x"}}),
    );
    assert_json(
        &TodosEvent::CompletedChanged(CompletedChanged {
            id: id("t1"),
            completed: true,
        }),
        json!({"completed-changed": {"id": "t1", "completed": true}}),
    );
    assert_json(
        &TodosEvent::Deleted(Deleted { id: id("t1") }),
        json!({"deleted": {"id": "t1"}}),
    );
    assert_json(
        &TodosEvent::DoneCleared(DoneCleared {
            ids: vec![id("t1"), id("t2")],
        }),
        json!({"done-cleared": {"ids": ["t1", "t2"]}}),
    );
}

#[test]
fn every_command_round_trips_as_its_spec_name() {
    assert_json(
        &create_new("t1", "buy milk"),
        json!({"create-new": {"id": "t1", "text": "buy milk"}}),
    );
    assert_json(
        &change_text("t1", "x"),
        json!({"change-text": {"id": "t1", "new_text": "x"}}),
    );
    assert_json(
        &change_completed("t1", true),
        json!({"change-completed": {"id": "t1", "completed": true}}),
    );
    assert_json(&delete("t1"), json!({"delete": {"id": "t1"}}));
    assert_json(&clear_done(), json!({"clear-done": {}}));
}

#[test]
fn a_command_read_from_json_can_be_executed() {
    let mut todos = Todos::default();
    let command: TodosCommand =
        serde_json::from_str(r#"{"create-new": {"id": "t1", "text": "buy milk"}}"#).unwrap();
    let event = todos.execute(command).unwrap();
    assert_eq!(
        serde_json::to_value(&event).unwrap(),
        json!({"created": {"id": "t1", "text": "buy milk", "completed": false}})
    );
}

#[test]
fn a_rejection_serializes_with_its_rule_and_kind() {
    let rejection = Todos::default().propose(delete("t9")).unwrap_err();
    assert_json(
        &rejection.clone(),
        json!({
            "model": "Todos",
            "action": "delete",
            "rule": "delete/unless-has-todo",
            "kind": "not-found",
            "message": "there is no todo `t9`",
            "problems": [],
        }),
    );
}

#[test]
fn every_broken_constraint_comes_back_together() {
    let mut todos = three_todos();
    let rejection = todos
        .execute(change_text("t1", " "))
        .expect_err("blank text is refused");
    assert_eq!(rejection.kind, RejectionKind::Invalid);
    assert_eq!(rejection.problems[0].field, "new-text");
}
