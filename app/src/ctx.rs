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
    pub catalogue: Arc<crate::spaces::service::CatalogueCache>,
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
        catalogue: state.catalogue,
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

    /// Sends a form posted without JavaScript back to the page it came from, with
    /// `key=value` in the address so that the page can say what was done. The page is the
    /// request's `Referer`, kept only if it is a local path.
    pub fn redirect_back_with(&self, key: &str, value: &str) {
        let referer = self
            .parts
            .as_ref()
            .and_then(|p| p.headers.get(http::header::REFERER))
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        leptos_axum::redirect(&back_with(referer, key, value));
    }

    /// The scheme and host the caller reached us at, for addresses they copy elsewhere
    /// (calendar feeds): as a trusted proxy reports them, else `Host`, with https when the
    /// hub says it is served over HTTPS.
    pub fn origin(&self) -> String {
        let forwarded = self
            .parts
            .as_ref()
            .and_then(|p| p.extensions.get::<crate::state::ForwardedOrigin>());
        let host = forwarded
            .map(|f| f.host.as_str())
            .or_else(|| {
                self.parts
                    .as_ref()
                    .and_then(|p| p.headers.get(http::header::HOST))
                    .and_then(|v| v.to_str().ok())
            })
            .filter(|h| {
                h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            })
            .unwrap_or("localhost");
        let https = forwarded
            .and_then(|f| f.https)
            .unwrap_or(self.config.secure_cookies);
        format!("{}://{host}", if https { "https" } else { "http" })
    }
}

/// `referer`'s path and query with `key=value` set; the home page if it is not ours.
fn back_with(referer: &str, key: &str, value: &str) -> String {
    let path = match referer.find("://") {
        Some(i) => referer[i + 3..]
            .find('/')
            .map_or("/", |j| &referer[i + 3 + j..]),
        None => referer,
    };
    let path = path.split('#').next().unwrap_or_default();
    let path = crate::auth::api::safe_next(path);
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let mut pairs: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some(key))
        .collect();
    let added = format!("{key}={value}");
    pairs.push(&added);
    format!("{base}?{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::back_with;

    #[test]
    fn a_form_goes_back_to_its_own_page_with_what_was_done() {
        assert_eq!(
            back_with("http://hub.example/gestion/structures", "enregistre", "4"),
            "/gestion/structures?enregistre=4"
        );
        assert_eq!(
            back_with("https://h/compte?enregistre=1&x=2#f", "enregistre", "7"),
            "/compte?x=2&enregistre=7"
        );
        // Someone else's page, or none at all, sends the user to their account.
        assert_eq!(
            back_with("https://evil.example//x", "k", "v"),
            "/compte?k=v"
        );
        assert_eq!(back_with("", "k", "v"), "/compte?k=v");
    }
}
