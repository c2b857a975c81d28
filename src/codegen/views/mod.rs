//! What the templates show: the semantic model with docs made inert,
//! derives chosen and long lines laid out.
//!
//! - [`krate`]: the crate as a whole ([`CrateView`]);
//! - [`model`]: one model ([`ModelView`]), made of the [`items`] of its
//!   file (structs, fields, enum variants, choices) and its trait
//!   [`methods`];
//! - [`derives`]: what each generated type derives;
//! - [`runtime`]: each model as a cqrs-es aggregate over PostgreSQL, and
//!   [`asks`], how it reads the models its rules ask;
//! - [`services`]: the services outside the spec a model's rules ask, and
//!   the asynchronous proposing of the actions that ask them;
//! - [`history`]: the queries answered from the events, not the state.

mod asks;
mod console;
mod derives;
mod history;
mod http;
mod items;
mod krate;
mod methods;
mod model;
mod policies;
mod runtime;
mod services;

pub use console::ConsoleView;
pub use http::HttpView;
pub use krate::CrateView;
pub(super) use krate::TypeCrates;
pub use model::ModelView;
pub use policies::PoliciesView;
