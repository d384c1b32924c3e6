//! SeaORM entities: one file per table, no business logic.
pub mod booking;
pub mod booking_series;
pub mod charge;
pub mod feed_token;
pub mod login_throttle;
pub mod occupancy;
pub mod organisation;
pub mod session;
pub mod space;
pub mod space_block;
pub mod space_booking_rule;
pub mod space_equipment;
pub mod space_opening_hour;
pub mod space_rate;
pub mod user;
