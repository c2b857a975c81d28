//! The `Loans` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `library.ddd`
//! into `src/generated/loans.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.

pub use crate::generated::loans::*;

/// The `Loans` aggregate: the state its queries read and its
/// events change.
#[derive(Debug, Default)]
pub struct Loans {}

impl LoansQueries for Loans {
    // get-loan [id]
    fn get_loan(&self, _id: &LoanId) -> Option<Loan> {
        todo!()
    }

    // loans-of [member-id] returns list of Loan
    fn loans_of(&self, _member_id: &MemberId) -> Vec<Loan> {
        todo!()
    }

    // on-loan? [book-id]
    fn on_loan(&self, _book_id: &BookId) -> bool {
        todo!()
    }

    // fines-due [member-id] returns number
    fn fines_due(&self, _member_id: &MemberId) -> f64 {
        todo!()
    }

    // loan-history [member-id] returns history
    fn loan_history(&self, _member_id: &MemberId) -> Vec<Loan> {
        todo!()
    }

    // overdue-loans [due-day]
    fn overdue_loans(&self, _due_day: i64) -> Vec<Loan> {
        todo!()
    }

    // fees-of [member-id] returns late-fees
    fn fees_of(&self, _member_id: &MemberId) -> Vec<f64> {
        todo!()
    }
}

impl LoansPropose for Loans {
    // lend [id book-id member-id due-day] accepted as lent [id book-id member-id due-day renewals]
    fn lend(&self, _command: Lend) -> Result<Lent, Rejection> {
        todo!()
    }

    // renew [id new-due-day] accepted as renewed [id new-due-day]
    fn renew(&self, _command: Renew) -> Result<Renewed, Rejection> {
        todo!()
    }

    // return [id] accepted as returned [id]
    fn r#return(&self, _command: Return) -> Result<Returned, Rejection> {
        todo!()
    }

    // give-back [id] accepted as returned [id]
    fn give_back(&self, _command: GiveBack) -> Result<Returned, Rejection> {
        todo!()
    }

    // charge [member-id fine] accepted as charged [member-id fine]
    fn charge(&self, _command: Charge) -> Result<Charged, Rejection> {
        todo!()
    }

    // waive-fees [member-ids] accepted as fees-waived [member-ids]
    fn waive_fees(&self, _command: WaiveFees) -> Result<FeesWaived, Rejection> {
        todo!()
    }
}

impl LoansAccept for Loans {
    // lent [id book-id member-id due-day renewals]
    fn accept_lent(&mut self, _event: &Lent) {
        todo!()
    }

    // renewed [id new-due-day]
    fn accept_renewed(&mut self, _event: &Renewed) {
        todo!()
    }

    // returned [id]
    fn accept_returned(&mut self, _event: &Returned) {
        todo!()
    }

    // charged [member-id fine]
    fn accept_charged(&mut self, _event: &Charged) {
        todo!()
    }

    // fees-waived [member-ids]
    fn accept_fees_waived(&mut self, _event: &FeesWaived) {
        todo!()
    }
}
