//! Server functions of organisations' settings. Managers set what a lease includes; an
//! organisation's referent (or a manager) decides whether door displays show its titles.
use super::model::OrganisationSettings;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn unknown(ctx: &crate::ctx::Ctx) -> AppError {
    AppError::NotFound {
        message: crate::i18n::td_string!(ctx.locale, organisations.errors.not_found).to_string(),
    }
}

/// Every organisation, for the managers' list.
#[server(prefix = "/api", endpoint = "organisations/settings")]
pub async fn list_organisation_settings() -> Result<Vec<OrganisationSettings>, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    super::service::settings(&ctx.db)
        .await
        .map_err(|e| ctx.internal(e))
}

/// The caller's own organisation (for its referent's settings).
#[server(prefix = "/api", endpoint = "organisations/mine")]
pub async fn my_organisation() -> Result<Option<OrganisationSettings>, AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    match user.organisation {
        Some(org) => super::service::settings_of_one(&ctx.db, org.id)
            .await
            .map_err(|e| ctx.internal(e)),
        None => Ok(None),
    }
}

/// Updates an organisation's settings. `included_hours` is for managers only; a referent may
/// change `show_titles` for their own organisation.
#[server(prefix = "/api", endpoint = "organisations/update")]
pub async fn update_organisation(
    id: String,
    #[server(default)] included_hours: Option<String>,
    #[server(default)] show_titles: Option<String>,
) -> Result<OrganisationSettings, AppError> {
    use crate::i18n::td_string;
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let id = id.trim().parse::<i32>().map_err(|_| unknown(&ctx))?;
    let own_referent = user.is_referent && user.organisation.as_ref().is_some_and(|o| o.id == id);
    if !user.is_manager() && !own_referent {
        return Err(ctx.forbidden());
    }
    let minutes = match (included_hours.as_deref().map(str::trim), user.is_manager()) {
        (None | Some(""), _) => None,
        (Some(_), false) => return Err(ctx.forbidden()),
        (Some(raw), true) => Some(super::model::parse_included_hours(raw).ok_or_else(|| {
            AppError::validation(
                "included_hours",
                td_string!(ctx.locale, organisations.errors.hours).to_string(),
            )
        })?),
    };
    // A checkbox sends its value only when ticked; the form always carries the field's intent.
    let show = Some(show_titles.is_some_and(|v| matches!(v.as_str(), "on" | "true" | "1")));
    let saved = super::service::update_settings(&ctx.db, id, minutes, show)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| unknown(&ctx))?;
    ctx.redirect_back_with("enregistre", &saved.id.to_string());
    Ok(saved)
}
