//! The availability engine: who holds which space when. Bookings, blocks, confirmed events
//! (and, later, leases) all write their hold as occupancy rows, one per *leaf* space (the
//! whole hall takes both halves), from set-up or start to teardown or buffer. One table, one
//! clash check, and a database guard on both backends:
//!
//! - PostgreSQL refuses two overlapping rows of one leaf with an exclusion constraint
//!   (`occupancies_no_overlap`, migration `m20261122_000003_create_bookings`);
//! - SQLite refuses them with triggers of the same name (`m20261201_000001_guard_occupancies`),
//!   so a writer who forgets `BEGIN IMMEDIATE` still cannot double-book.
//!
//! Either refusal reaches the caller as [`service::OccupyError::Taken`].
pub mod model;
pub mod rules;
pub mod service;

pub use model::{Clash, EventPhase};
