//! Room booking: the calendar, bookings and series, rules per space, prices with included
//! hours, blocks, calendar feeds and door displays.
//!
//! The rules are pure and run on the server only (they need the Paris time zone, which the
//! browser bundle does without); the browser gets what they decided.
#[cfg(feature = "ssr")]
pub mod admin;
pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod feeds;
#[cfg(feature = "ssr")]
pub mod http;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
