//! Server functions of applications and the committee: who calls, may they, parse, call the
//! service, map errors. Anyone may apply; a candidate sees and acts on their own applications
//! only; managers see and move every one, and run the committee.
// A server function takes one argument per form field, and the application form has many.
#![allow(clippy::too_many_arguments)]
use super::model::{
    ApplicationDetail, ApplicationSummary, CommitteeDetail, CommitteesPage, VisitSlotView,
};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub(crate) mod errors {
    use super::super::model::{ApplicationFormError, DecisionError, SlotFormError};
    use super::super::service::ApplicationError;
    use crate::ctx::Ctx;
    use crate::error::AppError;
    use crate::hosting::model::CompanyNumberError;
    use crate::i18n::{Locale, td_string};

    pub fn not_found(locale: Locale) -> AppError {
        AppError::NotFound {
            message: td_string!(locale, applications.errors.not_found).to_string(),
        }
    }

    pub fn parse_id(raw: &str, locale: Locale) -> Result<i32, AppError> {
        raw.trim().parse::<i32>().map_err(|_| not_found(locale))
    }

    pub fn form(e: ApplicationFormError, locale: Locale) -> AppError {
        use ApplicationFormError as E;
        let message = match e {
            E::LegalForm => td_string!(locale, applications.errors.legal_form),
            E::Siret(CompanyNumberError::Malformed) => {
                td_string!(locale, applications.errors.siret_malformed)
            }
            E::Siret(CompanyNumberError::WrongKey) => {
                td_string!(locale, applications.errors.siret_key)
            }
            E::FoundedYear => td_string!(locale, applications.errors.founded_year),
            E::Sector => td_string!(locale, applications.errors.sector),
            E::Headcount => td_string!(locale, applications.errors.headcount),
            E::OfficePeople => td_string!(locale, applications.errors.office_people),
            E::Desks => td_string!(locale, applications.errors.desks),
            E::StorageM2 => td_string!(locale, applications.errors.storage_m2),
            E::NothingWanted => td_string!(locale, applications.errors.nothing_wanted),
            E::WantedFrom => td_string!(locale, applications.errors.wanted_from),
            E::WantedTooFar => td_string!(locale, applications.errors.wanted_too_far),
            E::Duration => td_string!(locale, applications.errors.duration),
            E::ContactEmail => td_string!(locale, applications.errors.contact_email),
            E::VisitSlot => td_string!(locale, applications.errors.slot_unknown),
            E::Text(field, t) => return crate::input::text_error(field, t, locale),
        };
        AppError::validation(e.field(), message.to_string())
    }

    pub fn slot_form(e: SlotFormError, locale: Locale) -> AppError {
        let message = match e {
            SlotFormError::Day => td_string!(locale, applications.errors.slot_day),
            SlotFormError::Start => td_string!(locale, applications.errors.slot_start),
            SlotFormError::Minutes => td_string!(locale, applications.errors.slot_minutes),
            SlotFormError::Capacity => td_string!(locale, applications.errors.slot_capacity),
        };
        AppError::validation(e.field(), message.to_string())
    }

    pub fn decision(e: DecisionError, locale: Locale) -> AppError {
        let message = match e {
            DecisionError::Outcome => td_string!(locale, applications.errors.outcome),
            DecisionError::Votes => td_string!(locale, applications.errors.votes),
            DecisionError::NoVotes => td_string!(locale, applications.errors.no_votes),
            DecisionError::AgainstVotes => td_string!(locale, applications.errors.against_votes),
            DecisionError::Text(t) => return crate::input::text_error("reasons", t, locale),
        };
        AppError::validation(e.field(), message.to_string())
    }

    pub fn service(e: ApplicationError, ctx: &Ctx) -> AppError {
        use ApplicationError as E;
        let locale = ctx.locale;
        let conflict = |message: String| AppError::Conflict { message };
        match e {
            E::NotFound => not_found(locale),
            E::NotAllowed => ctx.forbidden(),
            E::NotFromStatus(s) => conflict(
                td_string!(
                    locale,
                    applications.errors.not_from_status,
                    status = super::super::pages::status_label(locale, s)
                )
                .to_string(),
            ),
            E::SlotUnknown => AppError::validation(
                "visit_slot",
                td_string!(locale, applications.errors.slot_unknown).to_string(),
            ),
            E::SlotFull => AppError::validation(
                "visit_slot",
                td_string!(locale, applications.errors.slot_full).to_string(),
            ),
            E::CommitteeUnknown => AppError::validation(
                "committee",
                td_string!(locale, applications.errors.committee_unknown).to_string(),
            ),
            E::CommitteePast => AppError::validation(
                "committee",
                td_string!(locale, applications.errors.committee_past).to_string(),
            ),
            E::NotOnAgenda => {
                conflict(td_string!(locale, applications.errors.not_on_agenda).to_string())
            }
            E::AlreadyDecided => {
                conflict(td_string!(locale, applications.errors.already_decided).to_string())
            }
            E::NotLeasable(unit) => AppError::validation(
                "units",
                td_string!(locale, hosting.errors.not_leasable, unit = unit).to_string(),
            ),
            E::UnitLet { unit, from } => conflict(
                td_string!(
                    locale,
                    applications.errors.unit_let,
                    unit = unit,
                    from = crate::format::date(from, locale)
                )
                .to_string(),
            ),
            E::UnitPromised { unit, organisation } => conflict(
                td_string!(
                    locale,
                    hosting.errors.promised,
                    unit = unit,
                    organisation = organisation
                )
                .to_string(),
            ),
            E::NameTaken(name) => conflict(
                td_string!(locale, applications.errors.name_taken, name = name).to_string(),
            ),
            E::NoOrganisation => {
                conflict(td_string!(locale, applications.errors.no_organisation).to_string())
            }
            E::Concurrent => {
                conflict(td_string!(locale, applications.errors.concurrent).to_string())
            }
            E::TooManyOpen => conflict(
                td_string!(
                    locale,
                    applications.errors.too_many_open,
                    n = super::super::service::OPEN_PER_CANDIDATE
                )
                .to_string(),
            ),
            E::Account(e) => {
                crate::events::api::ssr::account_field(crate::auth::api::errors::auth(e, ctx))
            }
            E::Db(e) => ctx.internal(e),
        }
    }
}

#[cfg(feature = "ssr")]
use errors::*;

/// An application `user` may see: a manager any, a candidate their own. To anyone else it does
/// not exist.
#[cfg(feature = "ssr")]
async fn visible(
    ctx: &crate::ctx::Ctx,
    user: &crate::auth::model::UserView,
    id: &str,
) -> Result<crate::entities::application::Model, AppError> {
    let id = parse_id(id, ctx.locale)?;
    let app = super::service::find(&ctx.db, id)
        .await
        .map_err(|e| service(e, ctx))?;
    if user.is_manager() || app.candidate_id == user.id {
        Ok(app)
    } else {
        Err(not_found(ctx.locale))
    }
}

/// The visit slots a candidate may pick (public: the application form).
#[server(prefix = "/api", endpoint = "applications/open-slots")]
pub async fn open_visit_slots() -> Result<Vec<VisitSlotView>, AppError> {
    let ctx = crate::ctx::ctx()?;
    super::service::slots(&ctx.db, chrono::Utc::now(), true)
        .await
        .map_err(|e| ctx.internal(e))
}

/// An application. A visitor gives a name, an e-mail and a password: a candidate account is
/// created and signed in on the way, in the application's transaction.
#[server(prefix = "/api", endpoint = "applications/submit")]
pub async fn submit_application(
    organisation_name: String,
    legal_form: String,
    siret: String,
    founded_year: String,
    #[server(default)] esus: Option<String>,
    sector: String,
    headcount: String,
    address: String,
    #[server(default)] office_people: String,
    #[server(default)] desks: String,
    #[server(default)] storage_m2: String,
    wanted_from: String,
    #[server(default)] duration_months: String,
    project: String,
    contribution: String,
    contact_name: String,
    contact_email: String,
    #[server(default)] contact_phone: String,
    #[server(default)] visit_slot: String,
    #[server(default)] account_name: String,
    #[server(default)] account_email: String,
    #[server(default)] account_password: String,
) -> Result<i32, AppError> {
    use crate::auth::model::{Email, Password, PersonName, Role};
    let ctx = crate::ctx::ctx()?;
    let now = chrono::Utc::now();
    let raw = super::model::ApplicationForm {
        organisation_name,
        legal_form,
        siret,
        founded_year,
        esus: esus.is_some_and(|v| !v.is_empty() && v != "false"),
        sector,
        headcount,
        address,
        office_people,
        desks,
        storage_m2,
        wanted_from,
        duration_months,
        project,
        contribution,
        contact_name,
        contact_email,
        contact_phone,
        visit_slot,
    };
    let new = raw
        .parse(crate::bookings::rules::paris_today(now))
        .map_err(|e| form(e, ctx.locale))?;
    let id = match ctx.user().await? {
        Some(u) => super::service::submit(&ctx.db, u.id, &new, now)
            .await
            .map_err(|e| service(e, &ctx))?,
        None => {
            let parse =
                || -> Result<crate::auth::service::NewAccount, crate::auth::model::InputError> {
                    Ok(crate::auth::service::NewAccount {
                        email: Email::parse(&account_email)?,
                        name: PersonName::parse(&account_name)?,
                        password: Password::parse_new(&account_password, &account_password)?,
                        role: Role::Candidate,
                        language: ctx.locale,
                    })
                };
            let account = parse().map_err(|e| {
                crate::events::api::ssr::account_field(crate::auth::api::errors::input(
                    e, ctx.locale,
                ))
            })?;
            let account = crate::auth::service::hash_account(account)
                .await
                .map_err(|e| {
                    crate::events::api::ssr::account_field(crate::auth::api::errors::auth(e, &ctx))
                })?;
            let (id, token) = super::service::submit_as_new_candidate(
                &ctx.db,
                account,
                &new,
                now,
                ctx.config.session_days,
            )
            .await
            .map_err(|e| service(e, &ctx))?;
            ctx.set_cookie(&crate::auth::cookies::session_cookie(
                &token,
                ctx.config.session_days,
                ctx.config.secure_cookies,
            ));
            id
        }
    };
    leptos_axum::redirect(&format!("/candidatures/{id}?envoyee=1"));
    Ok(id)
}

/// The caller's own applications.
#[server(prefix = "/api", endpoint = "applications/mine")]
pub async fn my_applications() -> Result<Vec<ApplicationSummary>, AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    super::service::summaries(&ctx.db, Some(user.id), None)
        .await
        .map_err(|e| ctx.internal(e))
}

/// The managers' pipeline: every application, or those in one status, and the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pipeline {
    pub status: Option<crate::hosting::model::ApplicationStatus>,
    pub counts: Vec<(crate::hosting::model::ApplicationStatus, u32)>,
    pub applications: Vec<ApplicationSummary>,
    pub waiting: Vec<ApplicationSummary>,
}

#[server(prefix = "/api", endpoint = "applications/pipeline")]
pub async fn application_pipeline(#[server(default)] statut: String) -> Result<Pipeline, AppError> {
    use crate::hosting::model::ApplicationStatus;
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let status = match statut.trim() {
        "" => None,
        raw => Some(ApplicationStatus::from_code(raw).ok_or_else(|| {
            AppError::validation(
                "statut",
                crate::i18n::td_string!(ctx.locale, applications.errors.status_unknown).to_string(),
            )
        })?),
    };
    let all = super::service::summaries(&ctx.db, None, None)
        .await
        .map_err(|e| ctx.internal(e))?;
    let counts = ApplicationStatus::ALL
        .into_iter()
        .map(|s| (s, all.iter().filter(|a| a.status == s).count() as u32))
        .collect();
    let waiting = super::service::waiting_list(&ctx.db)
        .await
        .map_err(|e| ctx.internal(e))?;
    let applications = all
        .into_iter()
        .filter(|a| status.is_none_or(|s| a.status == s))
        .collect();
    Ok(Pipeline {
        status,
        counts,
        applications,
        waiting,
    })
}

/// One application: its candidate sees its status and steps, managers everything.
#[server(prefix = "/api", endpoint = "applications/get")]
pub async fn get_application(id: String) -> Result<ApplicationDetail, AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let app = visible(&ctx, &user, &id).await?;
    super::service::detail(&ctx.db, app, user.is_manager(), chrono::Utc::now())
        .await
        .map_err(|e| ctx.internal(e))
}

/// The candidate picks (or changes) a visit slot; managers may do it for them.
#[server(prefix = "/api", endpoint = "applications/book-visit")]
pub async fn book_visit(id: String, visit_slot: String) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let app = visible(&ctx, &user, &id).await?;
    let slot = visit_slot.trim().parse::<i32>().map_err(|_| {
        AppError::validation(
            "visit_slot",
            crate::i18n::td_string!(ctx.locale, applications.errors.slot_unknown).to_string(),
        )
    })?;
    super::service::book_visit(&ctx.db, app.id, slot, user.id, chrono::Utc::now())
        .await
        .map_err(|e| service(e, &ctx))?;
    leptos_axum::redirect(&format!("/candidatures/{}?visite=1", app.id));
    Ok(())
}

/// The candidate withdraws (or a manager records that they did).
#[server(prefix = "/api", endpoint = "applications/withdraw")]
pub async fn withdraw_application(id: String) -> Result<(), AppError> {
    use crate::hosting::model::ApplicationStatus;
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let app = visible(&ctx, &user, &id).await?;
    super::service::move_application(
        &ctx.db,
        app.id,
        ApplicationStatus::Withdrawn,
        user.id,
        "",
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| service(e, &ctx))?;
    leptos_axum::redirect(&format!("/candidatures/{}", app.id));
    Ok(())
}

/// A manager marks the visit done, or sends a booked visit back to "received".
#[server(prefix = "/api", endpoint = "applications/move")]
pub async fn move_application(
    id: String,
    to: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use crate::hosting::model::ApplicationStatus;
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let app = visible(&ctx, &manager, &id).await?;
    let to = ApplicationStatus::from_code(&to)
        .filter(|s| matches!(s, ApplicationStatus::Visited | ApplicationStatus::Received))
        .ok_or_else(|| {
            AppError::validation(
                "to",
                crate::i18n::td_string!(ctx.locale, applications.errors.status_unknown).to_string(),
            )
        })?;
    let note = crate::input::text(&note, super::model::NOTE_MAX, true)
        .map_err(|e| crate::input::text_error("note", e, ctx.locale))?;
    super::service::move_application(&ctx.db, app.id, to, manager.id, &note, chrono::Utc::now())
        .await
        .map_err(|e| service(e, &ctx))?;
    leptos_axum::redirect(&format!("/candidatures/{}", app.id));
    Ok(())
}

/// A manager puts the application on a committee session's agenda.
#[server(prefix = "/api", endpoint = "applications/agenda")]
pub async fn put_on_agenda(
    id: String,
    committee: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let app = visible(&ctx, &manager, &id).await?;
    let committee = committee
        .trim()
        .parse::<i32>()
        .map_err(|_| service(super::service::ApplicationError::CommitteeUnknown, &ctx))?;
    let note = crate::input::text(&note, super::model::NOTE_MAX, true)
        .map_err(|e| crate::input::text_error("note", e, ctx.locale))?;
    super::service::put_on_agenda(
        &ctx.db,
        app.id,
        committee,
        manager.id,
        &note,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| service(e, &ctx))?;
    leptos_axum::redirect(&format!("/gestion/comites/{committee}"));
    Ok(())
}

/// A manager promises free units to an accepted application, for its lease to come.
#[server(prefix = "/api", endpoint = "applications/promise")]
pub async fn promise_units(
    id: String,
    #[server(default)] units: Vec<String>,
) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let app = visible(&ctx, &manager, &id).await?;
    if units.len() > crate::hosting::model::MAX_UNITS {
        return Err(AppError::validation(
            "units",
            crate::i18n::td_string!(ctx.locale, hosting.errors.too_many_units).to_string(),
        ));
    }
    let mut ids = Vec::with_capacity(units.len());
    for raw in &units {
        let id = raw.trim().parse::<i32>().map_err(|_| {
            AppError::validation(
                "units",
                crate::i18n::td_string!(ctx.locale, hosting.errors.unknown_unit).to_string(),
            )
        })?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    super::service::promise_units(&ctx.db, app.id, &ids, manager.id, chrono::Utc::now())
        .await
        .map_err(|e| service(e, &ctx))?;
    leptos_axum::redirect(&format!("/candidatures/{}", app.id));
    Ok(())
}

/// A manager makes the accepted candidate's organisation, then goes on to its lease.
#[server(prefix = "/api", endpoint = "applications/organisation")]
pub async fn make_organisation(id: String) -> Result<i32, AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let app = visible(&ctx, &manager, &id).await?;
    let org = super::service::create_organisation(&ctx.db, app.id, chrono::Utc::now())
        .await
        .map_err(|e| service(e, &ctx))?;
    leptos_axum::redirect(&format!("/gestion/baux/nouveau?candidature={}", app.id));
    Ok(org)
}

/// The visit slots to come, with who booked each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotRow {
    pub slot: VisitSlotView,
    pub booked_by: Vec<(i32, String)>,
}

#[server(prefix = "/api", endpoint = "applications/slots")]
pub async fn visit_slots() -> Result<Vec<SlotRow>, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    Ok(super::service::slot_bookings(&ctx.db, chrono::Utc::now())
        .await
        .map_err(|e| ctx.internal(e))?
        .into_iter()
        .map(|(slot, booked_by)| SlotRow { slot, booked_by })
        .collect())
}

#[server(prefix = "/api", endpoint = "applications/open-slot")]
pub async fn open_visit_slot(
    day: String,
    start: String,
    #[server(default)] minutes: String,
    #[server(default)] capacity: String,
) -> Result<i32, AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let now = chrono::Utc::now();
    let slot = super::model::SlotForm {
        day,
        start,
        minutes,
        capacity,
    }
    .parse(crate::bookings::rules::paris_today(now))
    .map_err(|e| slot_form(e, ctx.locale))?;
    let id = super::service::open_slot(&ctx.db, manager.id, &slot, now)
        .await
        .map_err(|e| match e {
            super::service::ApplicationError::SlotUnknown => {
                slot_form(super::model::SlotFormError::Start, ctx.locale)
            }
            e => service(e, &ctx),
        })?;
    leptos_axum::redirect("/gestion/visites?ouvert=1");
    Ok(id)
}

#[server(prefix = "/api", endpoint = "committees/list")]
pub async fn committees() -> Result<CommitteesPage, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    super::service::committees_page(&ctx.db)
        .await
        .map_err(|e| ctx.internal(e))
}

/// A manager schedules a committee session.
#[server(prefix = "/api", endpoint = "committees/create")]
pub async fn create_committee(day: String, time: String, place: String) -> Result<i32, AppError> {
    use crate::i18n::td_string;
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let now = chrono::Utc::now();
    let today = crate::bookings::rules::paris_today(now);
    let day = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| *d >= today && (*d - today).num_days() <= 730)
        .ok_or_else(|| {
            AppError::validation(
                "day",
                td_string!(ctx.locale, applications.errors.committee_day).to_string(),
            )
        })?;
    let slot_error = || {
        AppError::validation(
            "time",
            td_string!(ctx.locale, applications.errors.slot_start).to_string(),
        )
    };
    let time = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| slot_error())?;
    let meets_at = {
        use chrono::Timelike;
        crate::bookings::rules::paris_to_utc(day, time.num_seconds_from_midnight() / 60)
            .map_err(|_| slot_error())?
    };
    let place = crate::input::required(&place, 120, false)
        .map_err(|e| crate::input::text_error("place", e, ctx.locale))?;
    let id = super::service::create_committee(&ctx.db, manager.id, meets_at, &place, now)
        .await
        .map_err(|e| service(e, &ctx))?;
    leptos_axum::redirect(&format!("/gestion/comites/{id}"));
    Ok(id)
}

/// The diversity targets the committee's panel checks; an empty box sets none.
#[server(prefix = "/api", endpoint = "committees/targets")]
pub async fn set_diversity_targets(
    #[server(default)] max_legal_form_percent: String,
    #[server(default)] max_sector_percent: String,
    #[server(default)] min_sectors: String,
    #[server(default)] min_legal_forms: String,
) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let targets = super::model::TargetsForm {
        max_legal_form_percent,
        max_sector_percent,
        min_sectors,
        min_legal_forms,
    }
    .parse()
    .map_err(|field| {
        AppError::validation(
            field,
            crate::i18n::td_string!(ctx.locale, applications.errors.target).to_string(),
        )
    })?;
    super::service::set_targets(&ctx.db, &targets)
        .await
        .map_err(|e| service(e, &ctx))?;
    leptos_axum::redirect("/gestion/comites?cibles=1");
    Ok(())
}

#[server(prefix = "/api", endpoint = "committees/get")]
pub async fn get_committee(id: String) -> Result<CommitteeDetail, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let id = parse_id(&id, ctx.locale)?;
    let today = crate::bookings::rules::paris_today(chrono::Utc::now());
    super::service::committee_detail(&ctx.db, id, today)
        .await
        .map_err(|e| match e {
            super::service::ApplicationError::CommitteeUnknown => not_found(ctx.locale),
            e => service(e, &ctx),
        })
}

/// The session's decision on one application of its agenda, with the votes and reasons.
#[server(prefix = "/api", endpoint = "committees/decide")]
pub async fn record_decision(
    committee: String,
    application: String,
    decision: String,
    #[server(default)] votes_for: String,
    #[server(default)] votes_against: String,
    #[server(default)] votes_abstain: String,
    #[server(default)] reasons: String,
) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let committee = parse_id(&committee, ctx.locale)?;
    let application = parse_id(&application, ctx.locale)?;
    let d = super::model::Decision::parse(
        &decision,
        [&votes_for, &votes_against, &votes_abstain],
        &reasons,
    )
    .map_err(|e| errors::decision(e, ctx.locale))?;
    super::service::decide(
        &ctx.db,
        committee,
        application,
        manager.id,
        &d,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| service(e, &ctx))?;
    leptos_axum::redirect(&format!(
        "/gestion/comites/{committee}#candidature-{application}"
    ));
    Ok(())
}
