//! What a server function knows about its caller: who they are, their language, their address.
//! Every server function starts here; `require_user` and `require_manager` are the access checks.
use crate::auth::{
    cookies,
    model::{Role, UserView},
    service,
};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::messages;
use crate::state::{AppConfig, AppState, ClientAddr};
use axum::extract::ConnectInfo;
use chrono::Utc;
use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use sea_orm::DatabaseConnection;
use std::net::SocketAddr;
use std::sync::Arc;

pub struct Ctx {
    pub db: DatabaseConnection,
    pub config: Arc<AppConfig>,
    pub locale: Locale,
    parts: Option<Parts>,
}

/// The context of the current server function or page render.
pub fn ctx() -> Result<Ctx, AppError> {
    let locale = crate::i18n_util::ambient_locale();
    let state = use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal {
            message: messages::internal(locale),
        }
    })?;
    Ok(Ctx {
        db: state.db,
        config: state.config,
        locale,
        parts: use_context::<Parts>(),
    })
}

impl Ctx {
    /// The session token the request carries, if any.
    pub fn session_token(&self) -> Option<String> {
        self.cookie(cookies::SESSION_COOKIE)
    }

    /// The value of the request's cookie `name`, if any.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.parts
            .as_ref()
            .and_then(|p| cookies::read_cookie(&p.headers, name))
    }

    /// The signed-in user, or `None` for a visitor.
    pub async fn user(&self) -> Result<Option<UserView>, AppError> {
        let Some(token) = self.session_token() else {
            return Ok(None);
        };
        service::user_for_token(&self.db, &token, Utc::now())
            .await
            .map_err(|e| self.internal(e))
    }

    /// The signed-in user; a visitor gets 401 and an invitation to sign in.
    pub async fn require_user(&self) -> Result<UserView, AppError> {
        self.user().await?.ok_or_else(|| AppError::Unauthorized {
            message: messages::unauthorized(self.locale),
        })
    }

    /// A hub manager; anyone else gets 403.
    pub async fn require_manager(&self) -> Result<UserView, AppError> {
        let user = self.require_user().await?;
        if user.role != Role::Manager {
            tracing::warn!(user = user.id, "manager-only function refused");
            return Err(self.forbidden());
        }
        Ok(user)
    }

    pub fn forbidden(&self) -> AppError {
        AppError::Forbidden {
            message: messages::forbidden(self.locale),
        }
    }

    /// The client's address, for counting failed sign-ins: the one the server worked out
    /// (behind a trusted proxy, from `X-Forwarded-For`), else the peer's.
    pub fn client_address(&self) -> String {
        let parts = self.parts.as_ref();
        parts
            .and_then(|p| p.extensions.get::<ClientAddr>())
            .map(|ClientAddr(ip)| ip.to_string())
            .or_else(|| {
                parts
                    .and_then(|p| p.extensions.get::<ConnectInfo<SocketAddr>>())
                    .map(|ConnectInfo(addr)| addr.ip().to_string())
            })
            .unwrap_or_else(|| "unknown".to_owned())
    }

    /// Logs an internal failure and returns the message the user may see.
    pub fn internal(&self, cause: impl std::fmt::Display) -> AppError {
        tracing::error!(%cause, "internal error");
        AppError::Internal {
            message: messages::internal(self.locale),
        }
    }

    /// Adds a `Set-Cookie` header to the response.
    pub fn set_cookie(&self, value: &str) {
        if let (Some(res), Ok(value)) = (
            use_context::<ResponseOptions>(),
            http::HeaderValue::from_str(value),
        ) {
            res.append_header(http::header::SET_COOKIE, value);
        }
    }
}
