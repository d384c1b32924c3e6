//! The hub's spaces: the catalogue and each space's page.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
