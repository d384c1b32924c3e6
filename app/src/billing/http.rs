//! Plain HTTP routes of invoicing, outside the Leptos router: files, not pages.
//!   GET /factures/{id}/facture.pdf     the Factur-X PDF of an issued invoice or credit note
//!   GET /factures/{id}/factur-x.xml    the same document's CII XML alone
//! Both answer to whoever may read the invoice (managers, its buyer), and 404 to anyone else.
use super::model::InvoiceDoc;
use crate::files::{self, plain};
use crate::i18n::{Locale, td_string};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

/// The invoice `id` if the caller may read it and it is issued; otherwise the answer to give.
async fn readable(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(InvoiceDoc, Locale), Response> {
    let now = chrono::Utc::now();
    let (user, locale) = files::caller(&state.db, headers, now).await?;
    let not_found = || {
        plain(
            StatusCode::NOT_FOUND,
            td_string!(locale, billing.errors.not_found).to_string(),
        )
    };
    let internal = |e: sea_orm::DbErr| files::internal(locale, "invoice file", &e);
    let Ok(id) = id.trim().parse::<i32>() else {
        return Err(not_found());
    };
    let doc = super::service::invoice_doc(&state.db, id)
        .await
        .map_err(internal)?
        .ok_or_else(not_found)?;
    if !super::service::may_read(&state.db, &user, &doc)
        .await
        .map_err(internal)?
    {
        return Err(not_found());
    }
    if doc.number.is_none() {
        return Err(plain(
            StatusCode::CONFLICT,
            td_string!(locale, billing.errors.not_issued).to_string(),
        ));
    }
    Ok((doc, locale))
}

#[derive(Clone, Copy)]
enum Kind {
    Pdf,
    Xml,
}

async fn serve(state: AppState, headers: HeaderMap, id: String, kind: Kind) -> Response {
    let (doc, locale) = match readable(&state, &headers, &id).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    let number = doc.number.clone().unwrap_or_default();
    match kind {
        Kind::Pdf => match files::blocking(move || super::facturx::pdf(&doc)).await {
            Ok(body) => files::file(body, "application/pdf", "inline", &format!("{number}.pdf")),
            Err(e) => files::internal(locale, "invoice PDF", &e),
        },
        Kind::Xml => match super::cii::xml(&doc) {
            Ok(body) => files::file(
                body,
                "application/xml; charset=utf-8",
                "attachment",
                &format!("{number}.xml"),
            ),
            Err(e) => files::internal(locale, "invoice XML", &e),
        },
    }
}

/// The Factur-X PDF.
pub async fn invoice_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    serve(state, headers, id, Kind::Pdf).await
}

/// The CII XML.
pub async fn invoice_xml(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    serve(state, headers, id, Kind::Xml).await
}
