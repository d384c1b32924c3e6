//! What every request handler can reach: the Leptos options, the database and the settings.
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Settings read once at start-up (see the server's `config` module for where they come from).
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Mark cookies `Secure` (the hub is served over HTTPS).
    pub secure_cookies: bool,
    /// How long a sign-in lasts.
    pub session_days: i64,
    /// Deposit and cancellation terms of event rental.
    pub events: crate::events::service::EventTerms,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            secure_cookies: false,
            session_days: 30,
            events: Default::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub config: Arc<AppConfig>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
