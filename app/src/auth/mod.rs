//! Accounts, roles and sessions.
pub mod api;
#[cfg(feature = "ssr")]
pub mod cookies;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
