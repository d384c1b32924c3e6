//! Invoicing: the seller's identity, buyers' billing identities, monthly billing runs,
//! invoices and credit notes numbered without gaps, their Factur-X PDFs, and payments.
pub mod api;
#[cfg(feature = "ssr")]
pub mod cii;
#[cfg(feature = "ssr")]
pub mod facturx;
#[cfg(feature = "ssr")]
pub mod http;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
