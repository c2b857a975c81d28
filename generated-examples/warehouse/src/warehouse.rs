//! The `Warehouse` model: the aggregate's state, what its queries
//! read, how it decides on commands and how events change it.
//!
//! esgen created this file once and never changes it: it is yours. The
//! types and traits it implements are generated from `warehouse.ddd`
//! into `src/generated/warehouse.rs`. When the spec gains an action or a
//! query, the compiler lists the methods to add here.

pub use crate::generated::warehouse::*;

/// The `Warehouse` aggregate: the state its queries read and its
/// events change.
#[derive(Debug, Default)]
pub struct Warehouse {}

impl WarehouseQueries for Warehouse {
    // find-parcel [parcel-id]
    fn find_parcel(&self, _parcel_id: &ParcelId) -> Option<Parcel> {
        todo!()
    }

    // find-bin [bin-id]
    fn find_bin(&self, _bin_id: &BinId) -> Option<Bin> {
        todo!()
    }

    // parcels-in [bin-id] returns list of Parcel
    fn parcels_in(&self, _bin_id: &BinId) -> Vec<Parcel> {
        todo!()
    }

    // free-capacity [bin-id] returns number
    fn free_capacity(&self, _bin_id: &BinId) -> f64 {
        todo!()
    }

    // count-parcels
    fn count_parcels(&self) -> i64 {
        todo!()
    }

    // fragile-parcels
    fn fragile_parcels(&self) -> Vec<Parcel> {
        todo!()
    }

    // route-of [parcel-id] returns route
    fn route_of(&self, _parcel_id: &ParcelId) -> Vec<String> {
        todo!()
    }
}

impl WarehousePropose for Warehouse {
    // receive [parcel-id weight-kg destination fragile?] accepted as received [parcel-id weight-kg destination fragile?]
    fn receive(&self, _command: Receive) -> Result<Received, Rejection> {
        todo!()
    }

    // store [parcel-id bin-id] accepted as stored [parcel-id bin-id]
    fn store(&self, _command: Store) -> Result<Stored, Rejection> {
        todo!()
    }

    // prioritise [parcel-id priority] accepted as prioritised [parcel-id priority]
    fn prioritise(&self, _command: Prioritise) -> Result<Prioritised, Rejection> {
        todo!()
    }

    // plan-route [parcel-id route] accepted as route-planned [parcel-id route]
    fn plan_route(&self, _command: PlanRoute) -> Result<RoutePlanned, Rejection> {
        todo!()
    }

    // ship [parcel-id] accepted as shipped [parcel-id]
    fn ship(&self, _command: Ship) -> Result<Shipped, Rejection> {
        todo!()
    }
}

impl WarehouseAccept for Warehouse {
    // received [parcel-id weight-kg destination fragile?]
    fn accept_received(&mut self, _event: &Received) {
        todo!()
    }

    // stored [parcel-id bin-id]
    fn accept_stored(&mut self, _event: &Stored) {
        todo!()
    }

    // prioritised [parcel-id priority]
    fn accept_prioritised(&mut self, _event: &Prioritised) {
        todo!()
    }

    // route-planned [parcel-id route]
    fn accept_route_planned(&mut self, _event: &RoutePlanned) {
        todo!()
    }

    // shipped [parcel-id]
    fn accept_shipped(&mut self, _event: &Shipped) {
        todo!()
    }
}
