//! Organisations hosted by or working with the hub.
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
