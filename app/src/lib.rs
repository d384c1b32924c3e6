//! Coopole: the pages, server functions and domain rules of an ESS cooperation hub.
//! One folder per domain; see `../shared/design/ARCHITECTURE.md` for the layout.
#![recursion_limit = "512"]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod applications;
pub mod auth;
pub mod billing;
pub mod bookings;
pub mod components;
pub mod error;
pub mod events;
pub mod format;
pub mod hosting;
pub mod hub;
pub mod i18n_util;
pub mod input;
pub mod labels;
pub mod messages;
pub mod organisations;
pub mod routes;
pub mod spaces;

#[cfg(feature = "ssr")]
pub mod availability;
#[cfg(feature = "ssr")]
pub mod ctx;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod entities;
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod state;

pub use routes::{App, shell};

/// The browser's entry point: brings the page's islands to life; the rest of the page is
/// plain server HTML, whose forms post and whose links navigate without any of this code.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // A mark for the browser tests, which wait for the page's code before clicking.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "");
    }
}
