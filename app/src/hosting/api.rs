//! Server functions of hosting. Managers record and read every lease; an organisation's
//! members read their own organisation's leases, never another's.
// A server function takes one argument per form field, and the lease form has many.
#![allow(clippy::too_many_arguments)]
use super::model::{LeaseDetail, LeaseFormOptions, LeaseSummary};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod errors {
    use super::super::model::LeaseFormError;
    use super::super::service::HostingError;
    use crate::ctx::Ctx;
    use crate::error::AppError;
    use crate::i18n::Locale;
    use crate::i18n::td_string;

    pub fn not_found(locale: Locale) -> AppError {
        AppError::NotFound {
            message: td_string!(locale, hosting.errors.not_found).to_string(),
        }
    }

    pub fn form(e: LeaseFormError, locale: Locale) -> AppError {
        use LeaseFormError as E;
        let message = match e {
            E::Organisation => td_string!(locale, hosting.errors.organisation),
            E::StartsOn => td_string!(locale, hosting.errors.starts_on),
            E::EndsOn => td_string!(locale, hosting.errors.ends_on),
            E::EndBeforeStart => td_string!(locale, hosting.errors.end_before_start),
            E::NoticeMonths => td_string!(locale, hosting.errors.notice_months),
            E::Deposit => td_string!(locale, hosting.errors.deposit),
            E::IncludedHours => td_string!(locale, hosting.errors.included_hours),
            E::BillingDay => td_string!(locale, hosting.errors.billing_day),
            E::NoUnit => td_string!(locale, hosting.errors.no_unit),
            E::TooManyUnits => td_string!(locale, hosting.errors.too_many_units),
            E::UnknownUnit => td_string!(locale, hosting.errors.unknown_unit),
            E::Fee => td_string!(locale, hosting.errors.fee),
            E::ReasonTooLong => td_string!(locale, hosting.errors.reason_too_long),
            E::EffectiveFrom => td_string!(locale, hosting.errors.effective_from),
            E::AmendReason => td_string!(locale, hosting.errors.amend_reason),
            E::EndReason => td_string!(locale, hosting.errors.end_reason),
        };
        AppError::validation(e.field(), message.to_string())
    }

    pub fn range(e: super::super::model::RangeError, locale: Locale) -> AppError {
        use super::super::model::RangeError as E;
        let message = match e {
            E::Month => td_string!(locale, hosting.errors.month),
            E::Count => td_string!(locale, hosting.errors.month_count),
        };
        AppError::validation(e.field(), message.to_string())
    }

    pub fn hosting(e: HostingError, ctx: &Ctx) -> AppError {
        let locale = ctx.locale;
        match e {
            HostingError::UnknownOrganisation => form(LeaseFormError::Organisation, locale),
            HostingError::UnknownUnit(_) => form(LeaseFormError::UnknownUnit, locale),
            HostingError::NotLeasable(unit) => AppError::validation(
                "units",
                td_string!(locale, hosting.errors.not_leasable, unit = unit).to_string(),
            ),
            HostingError::NoListPrice(unit) => AppError::validation(
                "units",
                td_string!(locale, hosting.errors.no_list_price, unit = unit).to_string(),
            ),
            HostingError::DiscountWithoutReason(unit) => AppError::validation(
                "discount_reason",
                td_string!(locale, hosting.errors.discount_without_reason, unit = unit).to_string(),
            ),
            HostingError::AlreadyLet {
                unit,
                lease,
                organisation,
            } => AppError::Conflict {
                message: td_string!(
                    locale,
                    hosting.errors.already_let,
                    unit = unit,
                    organisation = organisation,
                    lease = lease
                )
                .to_string(),
            },
            HostingError::Promised { unit, organisation } => AppError::Conflict {
                message: td_string!(
                    locale,
                    hosting.errors.promised,
                    unit = unit,
                    organisation = organisation
                )
                .to_string(),
            },
            HostingError::ApplicationNotReady => AppError::Conflict {
                message: td_string!(locale, hosting.errors.application_not_ready).to_string(),
            },
            HostingError::NotFound => not_found(locale),
            HostingError::Amend(refused) => {
                use super::super::rules::AmendRefused as R;
                let message = match refused {
                    R::Ended => td_string!(locale, hosting.errors.amend_ended),
                    R::Past => td_string!(locale, hosting.errors.amend_past),
                    R::NotAfterLatest => td_string!(locale, hosting.errors.amend_not_after_latest),
                    R::AfterEnd => td_string!(locale, hosting.errors.amend_after_end),
                };
                AppError::validation("effective_from", message.to_string())
            }
            HostingError::End(refused) => {
                use super::super::rules::EndRefused as R;
                let message = match refused {
                    R::Ended => td_string!(locale, hosting.errors.end_ended),
                    R::Past => td_string!(locale, hosting.errors.end_past),
                    R::BeforeStart => td_string!(locale, hosting.errors.end_before_start_day),
                    R::BeforeLatest => td_string!(locale, hosting.errors.end_before_latest),
                    R::NotEarlier => td_string!(locale, hosting.errors.end_not_earlier),
                };
                AppError::validation("ends_on", message.to_string())
            }
            HostingError::Notice(refused) => {
                use super::super::rules::NoticeRefused as R;
                let message = match refused {
                    R::AlreadyGiven => td_string!(locale, hosting.errors.notice_already_given),
                    R::Ended => td_string!(locale, hosting.errors.notice_ended),
                    R::NotStarted => td_string!(locale, hosting.errors.notice_not_started),
                };
                AppError::Conflict {
                    message: message.to_string(),
                }
            }
            HostingError::Db(e) => ctx.internal(e),
        }
    }
}

#[cfg(feature = "ssr")]
fn today() -> chrono::NaiveDate {
    crate::bookings::rules::paris_today(chrono::Utc::now())
}

/// Brings the organisations' tiers in line with the leases after a change. The change itself
/// is saved by then; the hourly pass retries a failure here, so it is only logged.
#[cfg(feature = "ssr")]
async fn sync_tiers(db: &sea_orm::DatabaseConnection) {
    if let Err(e) = super::service::sync_tiers(db, today()).await {
        tracing::warn!(error = %e, "could not bring the tiers in line with the leases");
    }
}

/// Every lease, for managers.
#[server(prefix = "/api", endpoint = "hosting/leases")]
pub async fn list_leases() -> Result<Vec<LeaseSummary>, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    super::service::leases(&ctx.db, None, today())
        .await
        .map_err(|e| ctx.internal(e))
}

/// The caller's organisation's leases (for its members).
#[server(prefix = "/api", endpoint = "hosting/my-leases")]
pub async fn my_leases() -> Result<Vec<LeaseSummary>, AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let Some(org) = user.organisation else {
        return Ok(Vec::new());
    };
    super::service::leases(&ctx.db, Some(org.id), today())
        .await
        .map_err(|e| ctx.internal(e))
}

/// Lease `id` as `user` may see it: managers see every lease, an organisation's members their
/// own. To anyone else it does not exist, so its id tells them nothing.
#[cfg(feature = "ssr")]
async fn visible_lease(
    ctx: &crate::ctx::Ctx,
    user: &crate::auth::model::UserView,
    id: &str,
) -> Result<LeaseDetail, AppError> {
    let id = id
        .trim()
        .parse::<i32>()
        .map_err(|_| errors::not_found(ctx.locale))?;
    let lease = super::service::lease_detail(&ctx.db, id, today())
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| errors::not_found(ctx.locale))?;
    let org = lease.summary.organisation_id;
    let own = user.organisation.as_ref().is_some_and(|o| o.id == org);
    if !user.is_manager() && !own {
        return Err(errors::not_found(ctx.locale));
    }
    Ok(lease)
}

/// The lease as a document to print or sign, for managers and the organisation's members.
#[server(prefix = "/api", endpoint = "hosting/lease-document")]
pub async fn get_lease_document(id: String) -> Result<super::model::LeaseDocument, AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let lease = visible_lease(&ctx, &user, &id).await?;
    super::service::lease_document(
        &ctx.db,
        lease.summary.id,
        operator_party(&ctx.config),
        today(),
    )
    .await
    .map_err(|e| ctx.internal(e))?
    .ok_or_else(|| errors::not_found(ctx.locale))
}

/// The hub's operator as a party of its leases.
#[cfg(feature = "ssr")]
pub fn operator_party(config: &crate::state::AppConfig) -> super::model::Party {
    super::model::Party {
        name: config.operator.name.clone(),
        legal_form: None,
        siret: None,
        address: Some(config.operator.address.clone()),
        signatory: None,
    }
}

/// One lease with its history, for managers and the organisation that holds it.
#[server(prefix = "/api", endpoint = "hosting/lease")]
pub async fn get_lease(id: String) -> Result<LeaseDetail, AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let mut lease = visible_lease(&ctx, &user, &id).await?;
    if !may_give_notice(&user, lease.summary.organisation_id) {
        lease.notice_would_end = None;
    }
    lease.may_change =
        user.is_manager() && lease.summary.status != super::model::LeaseStatus::Ended;
    Ok(lease)
}

/// The organisation's referent gives notice, and managers may record it for them.
#[cfg(feature = "ssr")]
fn may_give_notice(user: &crate::auth::model::UserView, organisation_id: i32) -> bool {
    user.is_manager()
        || (user.is_referent
            && user
                .organisation
                .as_ref()
                .is_some_and(|o| o.id == organisation_id))
}

/// Gives notice on a lease, today; the lease's page comes back with its new last day. The box
/// the form asks to tick says the date, so nobody gives notice by a stray click.
#[server(prefix = "/api", endpoint = "hosting/give-notice")]
pub async fn give_notice(
    id: String,
    #[server(default)] confirm: String,
) -> Result<String, AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let lease = visible_lease(&ctx, &user, &id).await?;
    let (id, org) = (lease.summary.id, lease.summary.organisation_id);
    if !may_give_notice(&user, org) {
        return Err(AppError::Forbidden {
            message: crate::i18n::td_string!(ctx.locale, hosting.errors.referent_only).to_string(),
        });
    }
    if confirm.trim().is_empty() {
        return Err(AppError::validation(
            "confirm",
            crate::i18n::td_string!(ctx.locale, hosting.errors.confirm_notice).to_string(),
        ));
    }
    let end = super::service::give_notice(&ctx.db, id, user.id, today())
        .await
        .map_err(|e| errors::hosting(e, &ctx))?;
    leptos_axum::redirect(&format!("/baux/{id}?preavis=1"));
    Ok(crate::format::date(end, ctx.locale))
}

/// The lease form's choices, for managers.
#[server(prefix = "/api", endpoint = "hosting/lease-form")]
pub async fn lease_form_choices(
    #[server(default)] candidature: String,
) -> Result<LeaseFormOptions, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let mut options = super::service::form_options(&ctx.db, today())
        .await
        .map_err(|e| ctx.internal(e))?;
    // A lease from an application that is not accepted or has no organisation yet starts
    // blank: the form still works, and the application's page says what is missing.
    if let Ok(id) = candidature.trim().parse::<i32>() {
        options.prefill = crate::applications::service::lease_prefill(&ctx.db, id)
            .await
            .map_err(|e| ctx.internal(e))?;
    }
    Ok(options)
}

/// Records a signed lease; the form comes back to the lease's page.
#[server(prefix = "/api", endpoint = "hosting/create-lease")]
pub async fn create_lease(
    organisation_id: String,
    starts_on: String,
    #[server(default)] ends_on: String,
    #[server(default)] notice_months: String,
    #[server(default)] deposit: String,
    #[server(default)] included_hours: String,
    #[server(default)] billing_day: String,
    #[server(default)] units: Vec<String>,
    #[server(default)] fee_units: Vec<String>,
    #[server(default)] fee_amounts: Vec<String>,
    #[server(default)] discount_reason: String,
    #[server(default)] application: String,
) -> Result<i32, AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let new = super::model::LeaseForm {
        application,
        organisation_id,
        starts_on,
        ends_on,
        notice_months,
        deposit,
        included_hours,
        billing_day,
        units,
        fee_units,
        fee_amounts,
        discount_reason,
    }
    .parse()
    .map_err(|e| errors::form(e, ctx.locale))?;
    let id = super::service::create_lease(&ctx.db, manager.id, &new, chrono::Utc::now())
        .await
        .map_err(|e| errors::hosting(e, &ctx))?;
    sync_tiers(&ctx.db).await;
    leptos_axum::redirect(&format!("/baux/{id}?enregistre=1"));
    Ok(id)
}

/// New terms for a lease from a given day, for managers; the lease's page comes back with the
/// new version in its history.
#[server(prefix = "/api", endpoint = "hosting/amend-lease")]
pub async fn amend_lease(
    id: String,
    effective_from: String,
    #[server(default)] units: Vec<String>,
    #[server(default)] fee_units: Vec<String>,
    #[server(default)] fee_amounts: Vec<String>,
    #[server(default)] discount_reason: String,
    #[server(default)] reason: String,
) -> Result<i32, AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let id = visible_lease(&ctx, &manager, &id).await?.summary.id;
    let amendment = super::model::AmendForm {
        effective_from,
        units,
        fee_units,
        fee_amounts,
        discount_reason,
        reason,
    }
    .parse()
    .map_err(|e| errors::form(e, ctx.locale))?;
    let number = super::service::amend_lease(
        &ctx.db,
        id,
        manager.id,
        &amendment,
        today(),
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| errors::hosting(e, &ctx))?;
    leptos_axum::redirect(&format!("/baux/{id}?avenant={number}"));
    Ok(number)
}

/// Ends a lease early by agreement, for managers: its last day and the reason; the lease's
/// page comes back with its new end.
#[server(prefix = "/api", endpoint = "hosting/end-lease")]
pub async fn end_lease(
    id: String,
    #[server(default)] ends_on: String,
    #[server(default)] end_reason: String,
) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let id = visible_lease(&ctx, &manager, &id).await?.summary.id;
    let end = super::model::EndForm {
        ends_on,
        end_reason,
    }
    .parse()
    .map_err(|e| errors::form(e, ctx.locale))?;
    super::service::end_early(&ctx.db, id, &end, today())
        .await
        .map_err(|e| errors::hosting(e, &ctx))?;
    sync_tiers(&ctx.db).await;
    leptos_axum::redirect(&format!("/baux/{id}?fin=1"));
    Ok(())
}

/// The occupancy dashboard, for managers: `mois` is the last month shown (`2026-12`, empty
/// for this month) and `sur` how many months end there (1, 3, 6, 12, 24 or 36).
#[server(prefix = "/api", endpoint = "hosting/occupancy")]
pub async fn get_occupancy(
    #[server(default)] mois: String,
    #[server(default)] sur: String,
) -> Result<super::model::Occupancy, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let today = today();
    let range = super::model::MonthRange::parse(&mois, &sur, today)
        .map_err(|e| errors::range(e, ctx.locale))?;
    super::service::occupancy(&ctx.db, range, today, ctx.locale)
        .await
        .map_err(|e| ctx.internal(e))
}

/// The floor plan of one floor (`etage`; empty: the first), for managers.
#[server(prefix = "/api", endpoint = "hosting/plan")]
pub async fn get_floor_plan(
    #[server(default)] etage: String,
) -> Result<super::model::FloorPlan, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let floor = match etage.trim() {
        "" => None,
        raw => Some(
            raw.parse::<i32>()
                .map_err(|_| AppError::validation("etage", td_string_floor(ctx.locale)))?,
        ),
    };
    super::service::floor_plan(&ctx.db, floor, today())
        .await
        .map_err(|e| ctx.internal(e))
}

#[cfg(feature = "ssr")]
fn td_string_floor(locale: crate::i18n::Locale) -> String {
    crate::i18n::td_string!(locale, hosting.plan.errors.floor).to_string()
}

/// A manager places a unit on the plan, or moves it.
#[server(prefix = "/api", endpoint = "hosting/place-unit")]
pub async fn place_unit(
    unit: String,
    floor: String,
    x: String,
    y: String,
    width: String,
    height: String,
) -> Result<(), AppError> {
    use crate::i18n::td_string;
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let layout = super::model::LayoutForm {
        unit,
        floor,
        x,
        y,
        width,
        height,
    }
    .parse()
    .map_err(|field| {
        let locale = ctx.locale;
        let message = match field {
            "unit" => td_string!(locale, hosting.errors.unknown_unit),
            "floor" => td_string!(locale, hosting.plan.errors.floor),
            "width" | "height" => td_string!(locale, hosting.plan.errors.size),
            _ => td_string!(locale, hosting.plan.errors.position),
        };
        AppError::validation(field, message.to_string())
    })?;
    super::service::set_layout(&ctx.db, &layout)
        .await
        .map_err(|e| match e {
            super::service::HostingError::UnknownUnit(_) => AppError::validation(
                "unit",
                td_string!(ctx.locale, hosting.errors.unknown_unit).to_string(),
            ),
            e => errors::hosting(e, &ctx),
        })?;
    leptos_axum::redirect(&format!(
        "/gestion/plan?etage={}&place=1#lot-{}",
        layout.floor, layout.space_id
    ));
    Ok(())
}
