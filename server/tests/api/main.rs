//! Coopole's integration tests: the real router on 127.0.0.1:0, over HTTP, with cookies.
//! One binary for the whole crate. It runs on SQLite by default, and on PostgreSQL when
//! `TEST_DATABASE_URL` points at a server (each test then gets its own database).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod applications;
mod auth;
mod availability;
mod billing;
mod billing_runs;
mod booking_rules;
mod bookings;
mod calendar_past;
mod demo;
mod events;
mod fuzz;
mod hosting;
mod multi_server;
mod organisations;
mod platform;
mod races;
mod security;
mod spaces;
mod users;
