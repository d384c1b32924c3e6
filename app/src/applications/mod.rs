//! Applications for hosting: the public application form, the candidate's portal, the
//! managers' pipeline and visit slots, and the selection committee with its diversity panel.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
