//! The generated clinic as cqrs-es sees it, in memory: its given / when /
//! then test framework over the generated aggregate, and a framework on
//! `MemStore` that keeps one stream per clinic.

use chrono::{DateTime, Utc};
use clinic::clinic::*;
use clinic::generated::runtime::ClinicStream;
use cqrs_es::mem_store::MemStore;
use cqrs_es::test::TestFramework;
use cqrs_es::{Aggregate, AggregateError, CqrsFramework, DomainEvent, EventStore};
use rust_decimal::Decimal;

type Stream = ClinicStream<Clinic>;

fn slot() -> DateTime<Utc> {
    "2026-12-01T09:00:00Z".parse().unwrap()
}

fn book(id: &str) -> Book {
    Book {
        id: AppointmentId::new(id),
        doctor_id: DoctorId::new("grey"),
        patient: "Ann".into(),
        slot: slot(),
        fee: Decimal::new(8000, 2),
    }
}

fn booked(id: &str) -> ClinicEvent {
    let book = book(id);
    Booked {
        id: book.id,
        doctor_id: book.doctor_id,
        patient: book.patient,
        slot: book.slot,
        fee: book.fee,
    }
    .into()
}

fn registered(capacity: i64) -> ClinicEvent {
    DoctorRegistered {
        doctor_id: DoctorId::new("grey"),
        name: "Dr Grey".into(),
        capacity,
    }
    .into()
}

#[test]
fn the_aggregate_is_named_and_its_events_typed_by_the_spec() {
    assert_eq!(Stream::TYPE, "Clinic");
    let event = registered(2);
    assert_eq!(event.event_type(), "doctor-registered");
    assert_eq!(event.event_version(), "1");
}

#[test]
fn given_a_doctor_when_booking_then_booked() {
    TestFramework::<Stream>::with(())
        .given(vec![registered(2)])
        .when(book("a1").into())
        .then_expect_events(vec![booked("a1")]);
}

#[test]
fn given_a_full_doctor_when_booking_then_the_rule_rejects_it() {
    let rejection = TestFramework::<Stream>::with(())
        .given(vec![registered(1), booked("a1")])
        .when(book("a2").into())
        .inspect_result()
        .unwrap_err();
    assert_eq!(
        rejection.rule,
        "book/if-booked-count-of-doctor-is-at-least-capacity-of-doctor"
    );
    assert_eq!(rejection.kind, RejectionKind::Refused);
}

#[test]
fn given_nothing_when_booking_then_the_doctor_is_not_found() {
    TestFramework::<Stream>::with(())
        .given_no_previous_events()
        .when(book("a1").into())
        .then_expect_error_message("there is no doctor grey");
}

#[tokio::test]
async fn a_framework_on_mem_store_keeps_each_stream_apart() {
    let store = MemStore::<Stream>::default();
    let cqrs = CqrsFramework::new(store.clone(), Vec::new(), ());
    let grey = RegisterDoctor {
        doctor_id: DoctorId::new("grey"),
        name: "Dr Grey".into(),
        capacity: 1,
    };
    cqrs.execute("north", grey.clone().into()).await.unwrap();
    cqrs.execute("north", book("a1").into()).await.unwrap();
    // Another clinic, another stream: the same doctor and booking are new.
    cqrs.execute("south", grey.into()).await.unwrap();
    cqrs.execute("south", book("a1").into()).await.unwrap();
    let full = cqrs.execute("north", book("a2").into()).await;
    assert!(matches!(full, Err(AggregateError::UserError(r)) if r.kind == RejectionKind::Refused));
    for stream in ["north", "south"] {
        let events = store.load_events(stream).await.unwrap();
        assert_eq!(events.len(), 2, "{stream}");
    }
}
