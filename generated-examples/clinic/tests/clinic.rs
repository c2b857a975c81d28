//! The clinic's rules, as `specs/clinic.ddd` declares them: each guard
//! rejects with its rule and kind, each effect changes the state, each
//! derived query answers from it, and broken constraints come back
//! together. `src/clinic.rs` holds no code: all of this is generated.

use chrono::{DateTime, Utc};
use clinic::clinic::*;
use rust_decimal::Decimal;

fn at(hour: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000 + hour * 3600, 0).expect("a valid instant")
}

fn register(clinic: &mut Clinic, doctor: &str, capacity: i64) {
    clinic
        .execute(RegisterDoctor {
            doctor_id: doctor.into(),
            name: format!("Dr {doctor}"),
            capacity,
        })
        .expect("the doctor registers");
}

fn book(id: &str, doctor: &str) -> Book {
    Book {
        id: id.into(),
        doctor_id: doctor.into(),
        patient: "Ada".into(),
        slot: at(9),
        fee: Decimal::new(4_550, 2),
    }
}

fn clinic_with_one_booking() -> Clinic {
    let mut clinic = Clinic::default();
    register(&mut clinic, "d1", 2);
    clinic.execute(book("a1", "d1")).expect("a1 is booked");
    clinic
}

#[test]
fn booking_adds_an_appointment_and_counts_it_against_the_doctor() {
    let clinic = clinic_with_one_booking();
    let appointment = clinic.get_appointment(&"a1".into()).expect("held");
    assert_eq!(appointment.status, Status::Booked, "the default status");
    assert_eq!(appointment.fee, Decimal::new(4_550, 2));
    assert_eq!(clinic.get_doctor(&"d1".into()).unwrap().booked_count, 1);
    assert_eq!(clinic.appointments_with(&"d1".into()).len(), 1);
    assert_eq!(clinic.waiting_appointments().len(), 1);
}

#[test]
fn each_guard_rejects_with_its_rule_and_kind() {
    let mut clinic = clinic_with_one_booking();
    let before = clinic.clone();
    let cases = [
        (
            ClinicCommand::from(book("a1", "d1")),
            "book/if-has-appointment",
            RejectionKind::Conflict,
        ),
        (
            book("a2", "d9").into(),
            "book/unless-has-doctor",
            RejectionKind::NotFound,
        ),
        (
            CheckIn { id: "a9".into() }.into(),
            "check-in/unless-has-appointment",
            RejectionKind::NotFound,
        ),
        (
            Cancel { id: "a9".into() }.into(),
            "cancel/unless-status-of-appointment-is-booked",
            RejectionKind::Refused,
        ),
    ];
    for (command, rule, kind) in cases {
        let rejection = clinic.execute(command).expect_err(rule);
        assert_eq!(rejection.rule, rule);
        assert_eq!(rejection.kind, kind);
        assert_eq!(rejection.model, "Clinic");
    }
    assert_eq!(clinic, before, "rejections change nothing");
}

#[test]
fn a_full_doctor_takes_no_more_bookings_until_one_cancels() {
    let mut clinic = clinic_with_one_booking();
    clinic.execute(book("a2", "d1")).expect("room for two");
    let full = clinic.execute(book("a3", "d1")).expect_err("full");
    assert_eq!(
        full.rule,
        "book/if-booked-count-of-doctor-is-at-least-capacity-of-doctor"
    );
    assert_eq!(full.message, "doctor d1 is fully booked");

    let cancelled = clinic.execute(Cancel { id: "a1".into() }).expect("cancels");
    assert_eq!(
        cancelled,
        ClinicEvent::Cancelled(Cancelled {
            id: "a1".into(),
            doctor_id: "d1".into(),
        }),
        "the doctor comes from the appointment"
    );
    assert_eq!(clinic.get_doctor(&"d1".into()).unwrap().booked_count, 1);
    assert_eq!(clinic.cancelled_count(), 1);
    clinic.execute(book("a3", "d1")).expect("room again");
}

#[test]
fn check_in_moves_a_waiting_appointment_on_once() {
    let mut clinic = clinic_with_one_booking();
    clinic
        .execute(CheckIn { id: "a1".into() })
        .expect("checks in");
    let status = clinic.get_appointment(&"a1".into()).unwrap().status;
    assert_eq!(status, Status::CheckedIn);
    assert!(clinic.waiting_appointments().is_empty());
    let again = clinic
        .execute(CheckIn { id: "a1".into() })
        .expect_err("twice");
    assert_eq!(
        again.rule,
        "check-in/unless-status-of-appointment-is-booked"
    );
}

#[test]
fn every_broken_constraint_comes_back_together() {
    let mut clinic = Clinic::default();
    let rejection = clinic
        .execute(RegisterDoctor {
            doctor_id: "d1".into(),
            name: "  ".into(),
            capacity: 0,
        })
        .expect_err("two constraints are broken");
    assert_eq!(rejection.kind, RejectionKind::Invalid);
    assert_eq!(rejection.rule, "register-doctor/constraints");
    let broken: Vec<(&str, &str)> = rejection
        .problems
        .iter()
        .map(|p| (&*p.field, &*p.rule))
        .collect();
    assert_eq!(broken, [("name", "not-blank"), ("capacity", "between")]);
    assert_eq!(clinic, Clinic::default());

    let mut negative = book("a1", "d1");
    negative.fee = Decimal::new(-1, 0);
    let rejection = clinic.execute(negative).expect_err("a negative fee");
    assert_eq!(rejection.problems[0].rule, "at-least");
}

#[test]
fn replay_rebuilds_the_same_clinic() {
    let mut recorded = vec![];
    let mut live = Clinic::default();
    for command in [
        ClinicCommand::from(RegisterDoctor {
            doctor_id: "d2".into(),
            name: "Dr Who".into(),
            capacity: 5,
        }),
        book("a1", "d2").into(),
        book("a2", "d2").into(),
        CheckIn { id: "a1".into() }.into(),
        Cancel { id: "a2".into() }.into(),
        ChangeFee {
            id: "a1".into(),
            fee: Decimal::new(60, 0),
        }
        .into(),
    ] {
        recorded.push(live.execute(command).expect("accepted"));
    }
    let json = serde_json::to_string(&recorded).unwrap();
    let stored: Vec<ClinicEvent> = serde_json::from_str(&json).unwrap();
    assert_eq!(Clinic::replay(&stored), live);
    assert!(
        json.contains("\"fee\":\"60\""),
        "decimals are strings: {json}"
    );
    assert!(
        json.contains("\"slot\":\"2027-"),
        "timestamps are ISO 8601: {json}"
    );
}
