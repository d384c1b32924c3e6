//! Hosting: candidates' applications, the selection committee and its diversity panel, and
//! the leases of offices, desks and storage units.
pub mod api;
#[cfg(feature = "ssr")]
pub mod chart;
#[cfg(feature = "ssr")]
pub mod http;
pub mod model;
pub mod pages;
pub mod report;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
