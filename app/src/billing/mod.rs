//! Invoicing: the seller's identity, buyers' billing identities, monthly billing runs,
//! invoices and credit notes numbered without gaps, and payments.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
