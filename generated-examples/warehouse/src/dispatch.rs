//! The `Dispatch` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `warehouse.ddd`
//! into `src/generated/dispatch.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.

pub use crate::generated::dispatch::*;

/// The `Dispatch` aggregate: the state its queries read and its
/// events change.
#[derive(Debug, Default)]
pub struct Dispatch {}

impl DispatchQueries for Dispatch {
    // loaded? [parcel-id]
    fn loaded(&self, _parcel_id: &ParcelId) -> bool {
        todo!()
    }

    // truck-of [parcel-id] returns optional truck
    fn truck_of(&self, _parcel_id: &ParcelId) -> Option<String> {
        todo!()
    }
}

impl DispatchPropose for Dispatch {
    // load [parcel-id truck loaded-at] accepted as loaded [parcel-id truck loaded-at]
    fn load(&self, _command: Load) -> Result<Loaded, Rejection> {
        todo!()
    }

    // unload [parcel-id] accepted as unloaded [parcel-id]
    fn unload(&self, _command: Unload) -> Result<Unloaded, Rejection> {
        todo!()
    }
}

impl DispatchAccept for Dispatch {
    // loaded [parcel-id truck loaded-at]
    fn accept_loaded(&mut self, _event: &Loaded) {
        todo!()
    }

    // unloaded [parcel-id]
    fn accept_unloaded(&mut self, _event: &Unloaded) {
        todo!()
    }
}
