//! Answers of the plain HTTP routes that serve files (PDF, CSV, XML) outside the Leptos router.
use crate::i18n::Locale;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A short text answer: errors of the file routes, in the caller's language.
pub fn plain(status: StatusCode, message: String) -> Response {
    let mut res = (status, message).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

/// A 500 whose cause goes to the log only.
pub fn internal(locale: Locale, what: &str, cause: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %cause, "{what}");
    plain(
        StatusCode::INTERNAL_SERVER_ERROR,
        crate::messages::internal(locale),
    )
}

/// A file for its reader only: never kept by a shared cache.
/// `disposition` is `inline` or `attachment`; `name` must be plain ASCII (numbers, dates).
pub fn file(body: Vec<u8>, mime: &'static str, disposition: &str, name: &str) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// Runs CPU work (laying out a PDF, subsetting fonts) off the async workers.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r)
}

/// The signed-in caller and their language, or the 401 to answer (in French, the hub's default).
pub async fn caller(
    db: &sea_orm::DatabaseConnection,
    headers: &axum::http::HeaderMap,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(crate::auth::model::UserView, Locale), Response> {
    match crate::auth::service::signed_in(db, headers, now).await {
        Some(user) => {
            let locale = user.locale;
            Ok((user, locale))
        }
        None => Err(plain(
            StatusCode::UNAUTHORIZED,
            crate::messages::unauthorized(Locale::fr),
        )),
    }
}
