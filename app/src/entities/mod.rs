//! SeaORM entities: one file per table, no business logic.
pub mod login_throttle;
pub mod organisation;
pub mod session;
pub mod space;
pub mod space_equipment;
pub mod space_rate;
pub mod user;
