//! Plain HTTP routes of booking, outside the Leptos router: calendar files are not pages.
//!   GET /agenda/{secret}.ics               a feed (subscribe to it in a calendar app)
//!   GET /agenda/reservation/{id}.ics       one booking, for the signed-in user who may see it
use super::service::Actor;
use crate::auth::service as auth;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn calendar_file(body: String, name: &str) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    // A feed changes with every booking; calendar apps poll it.
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    res
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        "Agenda introuvable. / Calendar not found.",
    )
        .into_response()
}

pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(secret) = file.strip_suffix(".ics") else {
        return not_found();
    };
    match super::feeds::feed_ics(&state.db, secret, chrono::Utc::now()).await {
        Ok(Some(ics)) => calendar_file(ics, "coopole.ics"),
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "calendar feed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn booking_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let Some(id) = file
        .strip_suffix(".ics")
        .and_then(|i| i.parse::<i32>().ok())
    else {
        return not_found();
    };
    let now = chrono::Utc::now();
    let Some(user) = auth::signed_in(&state.db, &headers, now).await else {
        return (
            StatusCode::UNAUTHORIZED,
            "Connectez-vous. / Please sign in.",
        )
            .into_response();
    };
    let actor = Actor::from(&user);
    let found = match super::service::visible_booking_with_space(&state.db, &actor, id).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "booking file");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Some((b, space)) = found else {
        return not_found();
    };
    calendar_file(
        super::feeds::booking_ics(&b, &space, user.locale),
        &format!("reservation-{id}.ics"),
    )
}
