//! Plain HTTP routes of hosting, outside the Leptos router: files, not pages.
//!   GET /gestion/occupation/{table}.csv?mois=2026-12&sur=12   a dashboard table, for managers
use super::report::{self, TableKind};
use crate::auth::{model::Role, service as auth};
use crate::i18n::{Locale, td_string};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct RangeQuery {
    #[serde(default)]
    mois: String,
    #[serde(default)]
    sur: String,
}

fn plain(status: StatusCode, message: String) -> Response {
    let mut res = (status, message).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

/// One of the occupancy dashboard's tables as CSV, for a manager; the same range as the page.
pub async fn occupancy_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(query): Query<RangeQuery>,
) -> Response {
    let now = chrono::Utc::now();
    let user = auth::signed_in(&state.db, &headers, now).await;
    let locale = user.as_ref().map_or(Locale::fr, |u| u.locale);
    let Some(user) = user else {
        return plain(
            StatusCode::UNAUTHORIZED,
            crate::messages::unauthorized(locale),
        );
    };
    if user.role != Role::Manager {
        return plain(StatusCode::FORBIDDEN, crate::messages::forbidden(locale));
    }
    let Some(kind) = file.strip_suffix(".csv").and_then(TableKind::from_slug) else {
        return plain(
            StatusCode::NOT_FOUND,
            td_string!(locale, hosting.errors.no_such_table).to_string(),
        );
    };
    let today = crate::bookings::rules::paris_today(now);
    let range = match super::model::MonthRange::parse(&query.mois, &query.sur, today) {
        Ok(range) => range,
        Err(super::model::RangeError::Month) => {
            return plain(
                StatusCode::BAD_REQUEST,
                td_string!(locale, hosting.errors.month).to_string(),
            );
        }
        Err(super::model::RangeError::Count) => {
            return plain(
                StatusCode::BAD_REQUEST,
                td_string!(locale, hosting.errors.month_count).to_string(),
            );
        }
    };
    let occupancy = match super::service::occupancy(&state.db, range, today, locale).await {
        Ok(o) => o,
        Err(e) => {
            tracing::error!(error = %e, "occupancy export");
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                crate::messages::internal(locale),
            );
        }
    };
    let table = report::table(&occupancy, kind, locale);
    let body = match report::csv(&table, locale) {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "occupancy export");
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                crate::messages::internal(locale),
            );
        }
    };
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let name = format!(
        "occupation-{}-{}-{}.csv",
        kind.slug(),
        range.month_param(),
        range.count
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// The lease as a PDF, for managers and the organisation's members (404 to anyone else).
///   GET /baux/{id}/bail.pdf
pub async fn lease_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let now = chrono::Utc::now();
    let user = auth::signed_in(&state.db, &headers, now).await;
    let locale = user.as_ref().map_or(Locale::fr, |u| u.locale);
    let Some(user) = user else {
        return plain(
            StatusCode::UNAUTHORIZED,
            crate::messages::unauthorized(locale),
        );
    };
    let not_found = || {
        plain(
            StatusCode::NOT_FOUND,
            td_string!(locale, hosting.errors.not_found).to_string(),
        )
    };
    let Ok(id) = id.trim().parse::<i32>() else {
        return not_found();
    };
    let today = crate::bookings::rules::paris_today(now);
    let operator = super::api::operator_party(&state.config);
    let doc = match super::service::lease_document(&state.db, id, operator, today).await {
        Ok(Some(doc)) => doc,
        Ok(None) => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, "lease document");
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                crate::messages::internal(locale),
            );
        }
    };
    let own = user
        .organisation
        .as_ref()
        .is_some_and(|o| o.id == doc.lease.summary.organisation_id);
    if user.role != Role::Manager && !own {
        return not_found();
    }
    let title = td_string!(locale, hosting.document.heading, id = id).to_string();
    let lines = super::pages::document::document_lines(&doc, locale);
    let language = crate::i18n_util::locale_code(locale);
    // Laying out and subsetting the fonts is CPU work: off the async workers.
    let rendered =
        tokio::task::spawn_blocking(move || super::pdf::render(&title, language, &lines, &title))
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r);
    let body = match rendered {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "lease PDF");
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                crate::messages::internal(locale),
            );
        }
    };
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"bail-{id}.pdf\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}
