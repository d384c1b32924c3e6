//! Event rental: organisers' requests, quotes, ranked options, confirmation with a deposit,
//! cancellation by a notice scale. Confirmed events take their spaces through the booking
//! engine's occupancy table, set-up and teardown included.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
