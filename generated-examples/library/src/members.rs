//! The `Members` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `library.ddd`
//! into `src/generated/members.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.

pub use crate::generated::members::*;

/// The `Members` aggregate: the state its queries read and its
/// events change.
#[derive(Debug, Default)]
pub struct Members {}

impl MembersQueries for Members {
    // get-member [id]
    fn get_member(&self, _id: &MemberId) -> Option<Member> {
        todo!()
    }

    // active-members
    fn active_members(&self) -> Vec<Member> {
        todo!()
    }

    // is-active? [id]
    fn is_active(&self, _id: &MemberId) -> bool {
        todo!()
    }
}

impl MembersPropose for Members {
    // join [id name email] accepted as joined [id name email active?]
    fn join(&self, _command: Join) -> Result<Joined, Rejection> {
        todo!()
    }

    // rename [id new-name] accepted as renamed [id new-name]
    fn rename(&self, _command: Rename) -> Result<Renamed, Rejection> {
        todo!()
    }

    // leave [id] accepted as left [id]
    fn leave(&self, _command: Leave) -> Result<Left, Rejection> {
        todo!()
    }
}

impl MembersAccept for Members {
    // joined [id name email active?]
    fn accept_joined(&mut self, _event: &Joined) {
        todo!()
    }

    // renamed [id new-name]
    fn accept_renamed(&mut self, _event: &Renamed) {
        todo!()
    }

    // left [id]
    fn accept_left(&mut self, _event: &Left) {
        todo!()
    }
}
