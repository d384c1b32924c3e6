//! Invoicing: the seller's identity, buyers' billing identities, monthly billing runs,
//! invoices and credit notes numbered without gaps, and payments.
pub mod model;
pub mod rules;
