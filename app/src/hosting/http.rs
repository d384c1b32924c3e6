//! Plain HTTP routes of hosting, outside the Leptos router: files, not pages.
//!   GET /gestion/occupation/{table}.csv?mois=2026-12&sur=12   a dashboard table, for managers
use super::report::{self, TableKind};
use crate::auth::model::Role;
use crate::files::{self, plain};
use crate::i18n::td_string;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct RangeQuery {
    #[serde(default)]
    mois: String,
    #[serde(default)]
    sur: String,
}

/// One of the occupancy dashboard's tables as CSV, for a manager; the same range as the page.
pub async fn occupancy_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(query): Query<RangeQuery>,
) -> Response {
    let now = chrono::Utc::now();
    let (user, locale) = match files::caller(&state.db, &headers, now).await {
        Ok(found) => found,
        Err(res) => return res,
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
        Err(e) => return files::internal(locale, "occupancy export", &e),
    };
    let table = report::table(&occupancy, kind, locale);
    let body = match report::csv(&table, locale) {
        Ok(body) => body,
        Err(e) => return files::internal(locale, "occupancy export", &e),
    };
    let name = format!(
        "occupation-{}-{}-{}.csv",
        kind.slug(),
        range.month_param(),
        range.count
    );
    files::file(body, "text/csv; charset=utf-8", "attachment", &name)
}

/// The lease as a PDF, for managers and the organisation's members (404 to anyone else).
///   GET /baux/{id}/bail.pdf
pub async fn lease_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let now = chrono::Utc::now();
    let (user, locale) = match files::caller(&state.db, &headers, now).await {
        Ok(found) => found,
        Err(res) => return res,
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
        Err(e) => return files::internal(locale, "lease document", &e),
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
    let rendered =
        files::blocking(move || crate::pdf::render(&title, language, &lines, &title)).await;
    match rendered {
        Ok(body) => files::file(body, "application/pdf", "inline", &format!("bail-{id}.pdf")),
        Err(e) => files::internal(locale, "lease PDF", &e),
    }
}
