//! Server functions of room booking: who calls, may they, parse, call the service, map errors.
// A server function takes one argument per form field, and booking forms have many.
#![allow(clippy::too_many_arguments)]
use super::model::{
    BlockView, BookingView, Calendar, DoorDisplay, FeedView, FreeSpace, MyBookings,
    OccurrencePreview, SpaceLine, SpaceRulesView, Utilisation,
};
use crate::error::AppError;
use crate::organisations::model::OrganisationOption;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the booking form needs to know about a space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingFormData {
    pub space: SpaceLine,
    pub equipment: Vec<crate::spaces::model::Equipment>,
    pub min_minutes: u32,
    pub max_minutes: u32,
    pub requires_approval: bool,
    pub cancel_deadline_hours: u32,
    /// For managers, who book on an organisation's behalf.
    pub organisations: Vec<OrganisationOption>,
    pub is_manager: bool,
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::super::model::{FormError, LocalSlot, format_minute};
    use super::super::rules::{self, SeriesError, Violation};
    use super::super::service::{Actor, BookingError, Clash, EventPhase};
    use crate::ctx::Ctx;
    use crate::error::AppError;
    use crate::format;
    use crate::i18n::{Locale, td_string};

    /// The signed-in user as the booking rules see them. Event organisers do not book rooms.
    pub async fn actor(ctx: &Ctx) -> Result<Actor, AppError> {
        let user = ctx.require_user().await?;
        Ok(Actor::from(&user))
    }

    pub fn duration(minutes: u32, locale: Locale) -> String {
        format::duration(i64::from(minutes), locale)
    }

    fn slot_text(slot: &LocalSlot, locale: Locale) -> String {
        td_string!(
            locale,
            bookings.slot,
            date = format::long_date(slot.date, locale),
            start = format_minute(slot.start_minute),
            end = format_minute(slot.end_minute)
        )
        .to_string()
    }

    fn form(e: FormError, locale: Locale) -> AppError {
        let message = match e {
            FormError::DateMalformed(_) => td_string!(locale, bookings.errors.date_malformed),
            FormError::TimeMalformed(_) => td_string!(locale, bookings.errors.time_malformed),
            FormError::TitleMissing => td_string!(locale, bookings.errors.title_missing),
            FormError::TitleTooLong => td_string!(locale, bookings.errors.title_too_long),
            FormError::AttendeesMalformed => {
                td_string!(locale, bookings.errors.attendees_malformed)
            }
            FormError::EquipmentUnknown => td_string!(locale, bookings.errors.equipment_unknown),
            FormError::WeekdayUnknown => td_string!(locale, bookings.errors.weekday_unknown),
            FormError::IntervalMalformed => td_string!(locale, bookings.errors.interval_malformed),
            FormError::CountMalformed => td_string!(locale, bookings.errors.count_malformed),
            FormError::SpaceUnknown => td_string!(locale, bookings.errors.space_unknown),
            FormError::ScopeUnknown => td_string!(locale, bookings.errors.scope_unknown),
            FormError::ReasonMissing => td_string!(locale, bookings.errors.reason_missing),
            FormError::Text(field, e) => return crate::input::text_error(field, e, locale),
        };
        AppError::validation(e.field(), message.to_string())
    }

    pub fn form_error(e: FormError, ctx: &Ctx) -> AppError {
        form(e, ctx.locale)
    }

    /// The rule that refused, and why, and the form field it is about.
    fn violation(v: &Violation, locale: Locale) -> (&'static str, String) {
        let d = |m: u32| duration(m, locale);
        match v {
            Violation::EndNotAfterStart => (
                "end",
                td_string!(locale, bookings.rules.end_not_after_start).to_string(),
            ),
            Violation::OffStep => (
                "start",
                td_string!(locale, bookings.rules.off_step).to_string(),
            ),
            Violation::Nonexistent => (
                "start",
                td_string!(locale, bookings.rules.nonexistent).to_string(),
            ),
            Violation::InThePast => (
                "date",
                td_string!(locale, bookings.rules.in_the_past).to_string(),
            ),
            Violation::TooShort { min_minutes } => (
                "end",
                td_string!(locale, bookings.rules.too_short, min = d(*min_minutes)).to_string(),
            ),
            Violation::TooLong { max_minutes } => (
                "end",
                td_string!(locale, bookings.rules.too_long, max = d(*max_minutes)).to_string(),
            ),
            Violation::TooSoon { notice_minutes } => (
                "start",
                td_string!(locale, bookings.rules.too_soon, notice = d(*notice_minutes))
                    .to_string(),
            ),
            Violation::TooFarAhead { days } => (
                "date",
                td_string!(locale, bookings.rules.too_far_ahead, days = days).to_string(),
            ),
            Violation::Closed { open } if open.is_empty() => (
                "date",
                td_string!(locale, bookings.rules.closed_all_day).to_string(),
            ),
            Violation::Closed { open } => {
                let hours = open
                    .iter()
                    .map(|(a, b)| format!("{}–{}", format_minute(*a), format_minute(*b)))
                    .collect::<Vec<_>>()
                    .join(", ");
                (
                    "start",
                    td_string!(locale, bookings.rules.closed, hours = hours).to_string(),
                )
            }
            Violation::NoAttendees => (
                "attendees",
                td_string!(locale, bookings.rules.no_attendees).to_string(),
            ),
            Violation::OverCapacity { capacity } => (
                "attendees",
                td_string!(locale, bookings.rules.over_capacity, capacity = capacity).to_string(),
            ),
        }
    }

    pub fn clash_message(c: &Clash, locale: Locale) -> String {
        match c {
            Clash::Booking {
                space,
                slot,
                buffer_minutes: None,
            } => td_string!(
                locale,
                bookings.errors.clash,
                space = space,
                slot = slot_text(slot, locale)
            )
            .to_string(),
            Clash::Booking {
                space,
                slot,
                buffer_minutes: Some(buffer),
            } => td_string!(
                locale,
                bookings.errors.clash_buffer,
                space = space,
                slot = slot_text(slot, locale),
                buffer = duration(*buffer, locale)
            )
            .to_string(),
            Clash::Block {
                space,
                slot,
                reason,
            } => td_string!(
                locale,
                bookings.errors.clash_block,
                space = space,
                slot = slot_text(slot, locale),
                reason = reason
            )
            .to_string(),
            Clash::Event {
                space,
                phase,
                from,
                until,
            } => {
                let from = format::date_time(rules::to_paris(*from), locale);
                let until = format::date_time(rules::to_paris(*until), locale);
                match phase {
                    EventPhase::Setup => td_string!(
                        locale,
                        bookings.errors.clash_event_setup,
                        space = space,
                        from = from,
                        until = until
                    ),
                    EventPhase::Event => td_string!(
                        locale,
                        bookings.errors.clash_event,
                        space = space,
                        from = from,
                        until = until
                    ),
                    EventPhase::Teardown => td_string!(
                        locale,
                        bookings.errors.clash_event_teardown,
                        space = space,
                        from = from,
                        until = until
                    ),
                }
                .to_string()
            }
            Clash::Concurrent => td_string!(locale, bookings.errors.clash_concurrent).to_string(),
        }
    }

    fn on_date(date: chrono::NaiveDate, message: String, locale: Locale) -> String {
        td_string!(
            locale,
            bookings.errors.on_date,
            date = format::long_date(date, locale),
            message = message
        )
        .to_string()
    }

    pub fn booking_error(e: BookingError, ctx: &Ctx) -> AppError {
        let locale = ctx.locale;
        let conflict = |message: String| AppError::Conflict { message };
        match e {
            BookingError::Form(f) => form(f, locale),
            BookingError::Rule(v) => {
                let (field, message) = violation(&v, locale);
                AppError::validation(field, message)
            }
            BookingError::RuleOn { date, violation: v } => {
                let (_, message) = violation(&v, locale);
                AppError::validation("", on_date(date, message, locale))
            }
            BookingError::Series(s) => {
                let (field, message) = match s {
                    SeriesError::NoWeekday => (
                        "weekdays",
                        td_string!(locale, bookings.series.no_weekday).to_string(),
                    ),
                    SeriesError::BadInterval => (
                        "interval_weeks",
                        td_string!(locale, bookings.series.bad_interval).to_string(),
                    ),
                    SeriesError::EndsBeforeStart => (
                        "until",
                        td_string!(locale, bookings.series.ends_before_start).to_string(),
                    ),
                    SeriesError::TooMany { max } => (
                        "count",
                        td_string!(locale, bookings.series.too_many, max = max).to_string(),
                    ),
                };
                AppError::validation(field, message)
            }
            BookingError::EmptySeries => {
                AppError::validation("", td_string!(locale, bookings.series.empty).to_string())
            }
            BookingError::NotBookable => AppError::NotFound {
                message: td_string!(locale, bookings.errors.not_bookable).to_string(),
            },
            BookingError::NoOrganisation => AppError::validation(
                "organisation_id",
                td_string!(locale, bookings.errors.no_organisation).to_string(),
            ),
            BookingError::NotAllowed => AppError::Forbidden {
                message: td_string!(locale, bookings.errors.not_allowed).to_string(),
            },
            BookingError::NotFound => AppError::NotFound {
                message: td_string!(locale, bookings.errors.not_found).to_string(),
            },
            BookingError::Conflict(c) => conflict(clash_message(&c, locale)),
            BookingError::ConflictOn { date, clash: c } => {
                conflict(on_date(date, clash_message(&c, locale), locale))
            }
            BookingError::MissingEquipment(items) => {
                let names = items
                    .iter()
                    .map(|e| crate::labels::equipment(locale, *e))
                    .collect::<Vec<_>>()
                    .join(", ");
                AppError::validation(
                    "equipment",
                    td_string!(locale, bookings.errors.missing_equipment, items = names)
                        .to_string(),
                )
            }
            BookingError::NoRate => AppError::BadRequest {
                message: td_string!(locale, bookings.errors.no_rate).to_string(),
            },
            BookingError::NotPending => {
                conflict(td_string!(locale, bookings.errors.not_pending).to_string())
            }
            BookingError::NotActive => {
                conflict(td_string!(locale, bookings.errors.not_active).to_string())
            }
            BookingError::Started => {
                conflict(td_string!(locale, bookings.errors.started).to_string())
            }
            BookingError::Db(cause) => ctx.internal(cause),
        }
    }

    pub fn parse_id(raw: &str, ctx: &Ctx) -> Result<i32, AppError> {
        raw.trim()
            .parse::<i32>()
            .ok()
            .filter(|i| *i > 0)
            .ok_or_else(|| booking_error(BookingError::NotFound, ctx))
    }

    pub fn parse_space(raw: &str, ctx: &Ctx) -> Result<i32, AppError> {
        raw.trim()
            .parse::<i32>()
            .ok()
            .filter(|i| *i > 0)
            .ok_or_else(|| form_error(FormError::SpaceUnknown, ctx))
    }

    /// A manager chooses the organisation; for others the field is ignored.
    pub fn parse_organisation(raw: &str, actor: &Actor) -> Option<i32> {
        if actor.is_manager() {
            raw.trim().parse::<i32>().ok()
        } else {
            None
        }
    }
}

#[cfg(feature = "ssr")]
use ssr::*;

/// The parts of a booking form every creation shares.
#[cfg(feature = "ssr")]
fn new_booking(
    ctx: &crate::ctx::Ctx,
    actor: &super::service::Actor,
    space_id: &str,
    organisation_id: &str,
    date: &str,
    start: &str,
    end: &str,
    title: &str,
    attendees: &str,
    equipment: &[String],
) -> Result<super::service::NewBooking, AppError> {
    use super::model::{parse_attendees, parse_equipment, parse_slot, parse_title};
    let parsed = (|| {
        Ok::<_, super::model::FormError>(super::service::NewBooking {
            space_id: 0,
            organisation_id: parse_organisation(organisation_id, actor),
            slot: parse_slot(date, start, end)?,
            title: parse_title(title)?,
            attendees: parse_attendees(attendees)?,
            equipment: parse_equipment(equipment)?,
        })
    })()
    .map_err(|e| form_error(e, ctx))?;
    Ok(super::service::NewBooking {
        space_id: parse_space(space_id, ctx)?,
        ..parsed
    })
}

/// Spaces free for a whole slot, cheapest first for the caller's organisation.
#[server(prefix = "/api", endpoint = "bookings/search")]
pub async fn search_free(
    date: String,
    start: String,
    end: String,
    attendees: String,
    #[server(default)] equipment: Vec<String>,
    #[server(default)] organisation_id: String,
) -> Result<Vec<FreeSpace>, AppError> {
    use super::model::{parse_attendees, parse_equipment, parse_slot};
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    let slot = parse_slot(&date, &start, &end).map_err(|e| form_error(e, &ctx))?;
    let attendees = parse_attendees(&attendees).map_err(|e| form_error(e, &ctx))?;
    let equipment = parse_equipment(&equipment).map_err(|e| form_error(e, &ctx))?;
    let org = parse_organisation(&organisation_id, &actor);
    super::calendar::find_free(
        &ctx.db,
        &actor,
        org,
        &slot,
        attendees,
        &equipment,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| booking_error(e, &ctx))
}

/// The day or week calendar of the bookable spaces.
#[server(prefix = "/api", endpoint = "bookings/calendar")]
pub async fn get_calendar(
    #[server(default)] view: String,
    #[server(default)] date: String,
    #[server(default)] kind: String,
    #[server(default)] page: String,
) -> Result<Calendar, AppError> {
    use super::calendar::{CalendarFilter, calendar};
    use super::model::parse_date;
    use super::service::add_days;
    use chrono::Datelike;
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    let today = super::rules::paris_today(chrono::Utc::now());
    let date = if date.trim().is_empty() {
        today
    } else {
        parse_date(&date, "date").map_err(|e| form_error(e, &ctx))?
    };
    let kind = match kind.trim() {
        "" => None,
        code => Some(
            crate::spaces::model::SpaceKind::from_code(code)
                .ok_or_else(|| form_error(super::model::FormError::SpaceUnknown, &ctx))?,
        ),
    };
    let dates: Vec<chrono::NaiveDate> = if view == "semaine" || view == "week" {
        let monday = add_days(date, -i64::from(date.weekday().num_days_from_monday()));
        (0..7).map(|i| add_days(monday, i)).collect()
    } else {
        vec![date]
    };
    let page = crate::input::Page::parse(&page);
    const PAGE: usize = 40;
    let filter = CalendarFilter {
        kind,
        min_capacity: None,
        offset: page.offset(PAGE),
        limit: PAGE,
    };
    calendar(&ctx.db, &actor, &dates, filter, chrono::Utc::now())
        .await
        .map_err(|e| ctx.internal(e))
}

/// What the booking form shows about a space.
#[server(prefix = "/api", endpoint = "bookings/form")]
pub async fn load_booking_form(space_id: String) -> Result<BookingFormData, AppError> {
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    let id = parse_space(&space_id, &ctx)?;
    let sc = super::service::space_context(&ctx.db, id)
        .await
        .map_err(|e| booking_error(e, &ctx))?;
    let organisations = if actor.is_manager() {
        crate::organisations::service::options(&ctx.db)
            .await
            .map_err(|e| ctx.internal(e))?
    } else {
        Vec::new()
    };
    let mut equipment = sc.equipment.clone();
    equipment.sort();
    Ok(BookingFormData {
        space: SpaceLine {
            id: sc.space.id,
            name: sc.space.name.clone(),
            kind: sc.space.kind,
            capacity: sc.space.capacity,
            part_of: None,
        },
        equipment,
        min_minutes: sc.rules.min_minutes,
        max_minutes: sc.rules.max_minutes,
        requires_approval: sc.rules.requires_approval && !actor.is_manager(),
        cancel_deadline_hours: sc.rules.cancel_deadline_hours,
        organisations,
        is_manager: actor.is_manager(),
    })
}

/// Books one slot; the browser then goes to "my bookings".
#[server(prefix = "/api", endpoint = "bookings/create")]
pub async fn create_booking(
    space_id: String,
    date: String,
    start: String,
    end: String,
    title: String,
    attendees: String,
    #[server(default)] equipment: Vec<String>,
    #[server(default)] organisation_id: String,
) -> Result<BookingView, AppError> {
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    let req = new_booking(
        &ctx,
        &actor,
        &space_id,
        &organisation_id,
        &date,
        &start,
        &end,
        &title,
        &attendees,
        &equipment,
    )?;
    let now = chrono::Utc::now();
    let made = super::service::create(&ctx.db, &actor, &req, now)
        .await
        .map_err(|e| booking_error(e, &ctx))?;
    let view = super::service::booking_views(&ctx.db, &actor, &[made], now)
        .await
        .map_err(|e| ctx.internal(e))?;
    let view = view
        .into_iter()
        .next()
        .ok_or_else(|| ctx.internal("booking vanished"))?;
    leptos_axum::redirect(&format!("/mes-reservations?reservee={}", view.id));
    Ok(view)
}

/// Whether a slot is free for the booking form's space and what it would cost, as a sentence
/// in the caller's language. Reads only; the booking form asks as the user changes the slot.
#[server(prefix = "/api", endpoint = "bookings/quote")]
pub async fn quote_booking(
    space_id: String,
    date: String,
    start: String,
    end: String,
    attendees: String,
    #[server(default)] organisation_id: String,
) -> Result<String, AppError> {
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    // The title does not change the answer; a valid one stands in for the form's.
    let req = new_booking(
        &ctx,
        &actor,
        &space_id,
        &organisation_id,
        &date,
        &start,
        &end,
        "-",
        &attendees,
        &[],
    )?;
    let quote = super::service::quote(&ctx.db, &actor, &req, chrono::Utc::now())
        .await
        .map_err(|e| booking_error(e, &ctx))?;
    Ok(crate::i18n::td_string!(
        ctx.locale,
        bookings.live.free,
        price = super::pages::quote_text(&quote, ctx.locale)
    )
    .to_string())
}

#[cfg(feature = "ssr")]
fn recurrence(
    ctx: &crate::ctx::Ctx,
    interval_weeks: &str,
    weekdays: &[String],
    until: &str,
    count: &str,
    first: chrono::NaiveDate,
) -> Result<super::rules::Recurrence, AppError> {
    use super::model::{FormError, parse_date, parse_weekdays};
    use super::rules::{Recurrence, SeriesEnd, weekday_bit};
    use chrono::Datelike;
    let interval = match interval_weeks.trim() {
        "" => 1,
        raw => raw
            .parse::<u32>()
            .map_err(|_| form_error(FormError::IntervalMalformed, ctx))?,
    };
    let mut bits = parse_weekdays(weekdays).map_err(|e| form_error(e, ctx))?;
    if bits == 0 {
        bits = weekday_bit(first.weekday());
    }
    let end = match (until.trim(), count.trim()) {
        ("", "") => return Err(form_error(FormError::CountMalformed, ctx)),
        (_, c) if !c.is_empty() => SeriesEnd::Count(
            c.parse::<u32>()
                .map_err(|_| form_error(FormError::CountMalformed, ctx))?,
        ),
        (u, _) => SeriesEnd::Until(parse_date(u, "until").map_err(|e| form_error(e, ctx))?),
    };
    Ok(Recurrence {
        interval_weeks: interval,
        weekdays: bits,
        end,
    })
}

/// The dates a series would take, each with what stands in its way.
#[server(prefix = "/api", endpoint = "bookings/series/preview")]
pub async fn preview_series(
    space_id: String,
    date: String,
    start: String,
    end: String,
    title: String,
    attendees: String,
    #[server(default)] equipment: Vec<String>,
    #[server(default)] organisation_id: String,
    #[server(default)] interval_weeks: String,
    #[server(default)] weekdays: Vec<String>,
    #[server(default)] until: String,
    #[server(default)] count: String,
) -> Result<Vec<OccurrencePreview>, AppError> {
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    let req = new_booking(
        &ctx,
        &actor,
        &space_id,
        &organisation_id,
        &date,
        &start,
        &end,
        &title,
        &attendees,
        &equipment,
    )?;
    let rec = recurrence(
        &ctx,
        &interval_weeks,
        &weekdays,
        &until,
        &count,
        req.slot.date,
    )?;
    let dates = super::service::preview_series(&ctx.db, &actor, &req, &rec, chrono::Utc::now())
        .await
        .map_err(|e| booking_error(e, &ctx))?;
    Ok(dates
        .into_iter()
        .map(|(date, problem)| OccurrencePreview {
            date,
            problem: problem.map(|e| booking_error(e, &ctx).message().to_owned()),
        })
        .collect())
}

/// Books a series, except the dates to skip.
#[server(prefix = "/api", endpoint = "bookings/series/create")]
pub async fn create_series(
    space_id: String,
    date: String,
    start: String,
    end: String,
    title: String,
    attendees: String,
    #[server(default)] equipment: Vec<String>,
    #[server(default)] organisation_id: String,
    #[server(default)] interval_weeks: String,
    #[server(default)] weekdays: Vec<String>,
    #[server(default)] until: String,
    #[server(default)] count: String,
    #[server(default)] skip: Vec<String>,
) -> Result<usize, AppError> {
    use super::model::parse_date;
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    let req = new_booking(
        &ctx,
        &actor,
        &space_id,
        &organisation_id,
        &date,
        &start,
        &end,
        &title,
        &attendees,
        &equipment,
    )?;
    let rec = recurrence(
        &ctx,
        &interval_weeks,
        &weekdays,
        &until,
        &count,
        req.slot.date,
    )?;
    let skip = skip
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| parse_date(s, "skip"))
        .collect::<Result<std::collections::HashSet<_>, _>>()
        .map_err(|e| form_error(e, &ctx))?;
    let (series, made) =
        super::service::create_series(&ctx.db, &actor, &req, &rec, &skip, chrono::Utc::now())
            .await
            .map_err(|e| booking_error(e, &ctx))?;
    leptos_axum::redirect(&format!("/mes-reservations?serie={}", series.id));
    Ok(made.len())
}

/// The caller's bookings (all of the organisation's for its referent), and the month's
/// included hours and amounts.
#[server(prefix = "/api", endpoint = "bookings/mine")]
pub async fn list_my_bookings() -> Result<MyBookings, AppError> {
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    super::service::my_bookings(&ctx.db, &actor, chrono::Utc::now())
        .await
        .map_err(|e| ctx.internal(e))
}

/// One booking, for those who may see its details.
#[server(prefix = "/api", endpoint = "bookings/get")]
pub async fn get_booking(id: String) -> Result<BookingView, AppError> {
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    let id = parse_id(&id, &ctx)?;
    super::service::booking_for(&ctx.db, &actor, id, chrono::Utc::now())
        .await
        .map_err(|e| booking_error(e, &ctx))
}

/// Changes a booking, or with `scope` part of its series ("this", "following", "all").
#[server(prefix = "/api", endpoint = "bookings/change")]
pub async fn change_booking(
    id: String,
    date: String,
    start: String,
    end: String,
    title: String,
    attendees: String,
    #[server(default)] scope: String,
) -> Result<usize, AppError> {
    use super::model::{FormError, Scope, parse_attendees, parse_slot, parse_title};
    use super::service::BookingChange;
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    let id = parse_id(&id, &ctx)?;
    let scope =
        Scope::from_code(&scope).ok_or_else(|| form_error(FormError::ScopeUnknown, &ctx))?;
    let parsed = (|| {
        let slot = parse_slot(&date, &start, &end)?;
        Ok::<_, FormError>(BookingChange {
            date: slot.date,
            start_minute: slot.start_minute,
            end_minute: slot.end_minute,
            title: parse_title(&title)?,
            attendees: parse_attendees(&attendees)?,
        })
    })()
    .map_err(|e| form_error(e, &ctx))?;
    let done = super::service::change(&ctx.db, &actor, id, &parsed, scope, chrono::Utc::now())
        .await
        .map_err(|e| booking_error(e, &ctx))?;
    leptos_axum::redirect(&format!("/reservations/{id}?modifiee={}", done.len()));
    Ok(done.len())
}

/// Cancels a booking, or with `scope` part of its series.
#[server(prefix = "/api", endpoint = "bookings/cancel")]
pub async fn cancel_booking(
    id: String,
    #[server(default)] scope: String,
) -> Result<usize, AppError> {
    use super::model::{FormError, Scope};
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    let id = parse_id(&id, &ctx)?;
    let scope =
        Scope::from_code(&scope).ok_or_else(|| form_error(FormError::ScopeUnknown, &ctx))?;
    let done = super::service::cancel(&ctx.db, &actor, id, scope, chrono::Utc::now())
        .await
        .map_err(|e| booking_error(e, &ctx))?;
    leptos_axum::redirect(&format!("/mes-reservations?annulees={}", done.len()));
    Ok(done.len())
}

/// Bookings waiting for a manager.
#[server(prefix = "/api", endpoint = "bookings/pending")]
pub async fn pending_bookings() -> Result<Vec<BookingView>, AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_manager().await?;
    let actor = super::service::Actor::from(&user);
    let rows = super::service::pending(&ctx.db)
        .await
        .map_err(|e| ctx.internal(e))?;
    super::service::booking_views(&ctx.db, &actor, &rows, chrono::Utc::now())
        .await
        .map_err(|e| ctx.internal(e))
}

/// A manager approves ("approve") or refuses ("refuse") a pending booking.
#[server(prefix = "/api", endpoint = "bookings/decide")]
pub async fn decide_booking(id: String, decision: String) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_manager().await?;
    let actor = super::service::Actor::from(&user);
    let id = parse_id(&id, &ctx)?;
    let now = chrono::Utc::now();
    let result = match decision.as_str() {
        "approve" => super::service::approve(&ctx.db, &actor, id, now).await,
        "refuse" => super::service::refuse(&ctx.db, &actor, id, now).await,
        _ => {
            return Err(AppError::validation(
                "decision",
                crate::messages::bad_request(ctx.locale),
            ));
        }
    };
    result.map_err(|e| booking_error(e, &ctx))?;
    Ok(())
}

/// Blocks to come, for the managers' page.
#[server(prefix = "/api", endpoint = "bookings/blocks")]
pub async fn list_blocks() -> Result<Vec<BlockView>, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    super::service::block_views(&ctx.db, chrono::Utc::now())
        .await
        .map_err(|e| ctx.internal(e))
}

/// A manager closes a space from one date and time to another.
#[server(prefix = "/api", endpoint = "bookings/blocks/create")]
pub async fn create_block(
    space_id: String,
    start_date: String,
    start_time: String,
    end_date: String,
    end_time: String,
    reason: String,
) -> Result<(), AppError> {
    use super::rules::paris_to_utc;
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_manager().await?;
    let actor = super::service::Actor::from(&user);
    let space = parse_space(&space_id, &ctx)?;
    let block = super::model::parse_block(&start_date, &start_time, &end_date, &end_time, &reason)
        .map_err(|e| form_error(e, &ctx))?;
    let (Ok(start), Ok(end)) = (
        paris_to_utc(block.start.0, block.start.1),
        paris_to_utc(block.end.0, block.end.1),
    ) else {
        return Err(booking_error(
            super::rules::Violation::Nonexistent.into(),
            &ctx,
        ));
    };
    let reason = block.reason;
    super::service::create_block(
        &ctx.db,
        &actor,
        space,
        (start, end),
        &reason,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| booking_error(e, &ctx))?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "bookings/blocks/delete")]
pub async fn delete_block(id: String) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_manager().await?;
    let id = parse_id(&id, &ctx)?;
    super::service::delete_block(&ctx.db, &super::service::Actor::from(&user), id)
        .await
        .map_err(|e| booking_error(e, &ctx))
}

/// Booked time over open time per space, for the week or the month of `date`.
#[server(prefix = "/api", endpoint = "bookings/utilisation")]
pub async fn get_utilisation(
    #[server(default)] period: String,
    #[server(default)] date: String,
) -> Result<Utilisation, AppError> {
    use super::model::parse_date;
    use super::service::add_days;
    use chrono::Datelike;
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let today = super::rules::paris_today(chrono::Utc::now());
    let date = if date.trim().is_empty() {
        today
    } else {
        parse_date(&date, "date").map_err(|e| form_error(e, &ctx))?
    };
    let (from, until) = if period == "mois" || period == "month" {
        let first = date.with_day(1).unwrap_or(date);
        (
            first,
            first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(first),
        )
    } else {
        let monday = add_days(date, -i64::from(date.weekday().num_days_from_monday()));
        (monday, add_days(monday, 7))
    };
    let rows = super::calendar::utilisation(&ctx.db, from, until)
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(Utilisation { from, until, rows })
}

#[server(prefix = "/api", endpoint = "bookings/rules")]
pub async fn get_space_rules(space_id: String) -> Result<SpaceRulesView, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let id = parse_space(&space_id, &ctx)?;
    super::admin::rules_view(&ctx.db, id)
        .await
        .map_err(|e| booking_error(e, &ctx))
}

/// A manager sets a space's rules and opening hours (one line per weekday, Monday first).
#[server(prefix = "/api", endpoint = "bookings/rules/update")]
pub async fn update_space_rules(
    space_id: String,
    min_minutes: String,
    max_minutes: String,
    buffer_minutes: String,
    min_notice_minutes: String,
    tenant_max_advance_days: String,
    manager_max_advance_days: String,
    cancel_deadline_hours: String,
    #[server(default)] requires_approval: Option<String>,
    #[server(default)] uses_included_hours: Option<String>,
    #[server(default)] hours: Vec<String>,
) -> Result<(), AppError> {
    use super::model::{RulesFormError, SpaceRulesForm};
    use crate::i18n::td_string;
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_manager().await?;
    let id = parse_space(&space_id, &ctx)?;
    let form = SpaceRulesForm {
        min_minutes,
        max_minutes,
        buffer_minutes,
        min_notice_minutes,
        tenant_max_advance_days,
        manager_max_advance_days,
        cancel_deadline_hours,
        requires_approval: requires_approval.is_some(),
        uses_included_hours: uses_included_hours.is_some(),
        hours,
    };
    let (rules, opening) = form.parse().map_err(|e| {
        let locale = ctx.locale;
        let message = match e {
            RulesFormError::Number { max, .. } => {
                td_string!(locale, bookings.errors.rule_number, max = max).to_string()
            }
            RulesFormError::Durations => {
                td_string!(locale, bookings.errors.rule_durations).to_string()
            }
            RulesFormError::Hours(h) => td_string!(
                locale,
                bookings.errors.hours_malformed,
                day = crate::format::weekday(h.weekday, locale)
            )
            .to_string(),
        };
        AppError::validation(e.field(), message)
    })?;
    super::admin::update_rules(
        &ctx.db,
        &super::service::Actor::from(&user),
        id,
        rules,
        &opening,
    )
    .await
    .map_err(|e| booking_error(e, &ctx))?;
    leptos_axum::redirect(&format!("/gestion/espaces/{id}/regles?enregistre=1"));
    Ok(())
}

/// The screen by a room's door: public, as it hangs in the corridor.
#[server(prefix = "/api", endpoint = "bookings/display")]
pub async fn get_door_display(code: String) -> Result<DoorDisplay, AppError> {
    let ctx = crate::ctx::ctx()?;
    // A code that can't be one (a NUL, a 100 KB string) finds no screen, as an unknown one.
    let code = crate::input::text(&code, 64, false).unwrap_or_default();
    super::calendar::door_display(&ctx.db, &code, chrono::Utc::now())
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| booking_error(super::service::BookingError::NotBookable, &ctx))
}

/// The caller's calendar feeds.
#[server(prefix = "/api", endpoint = "feeds/list")]
pub async fn my_feeds() -> Result<Vec<FeedView>, AppError> {
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    super::feeds::feeds_of(&ctx.db, &actor)
        .await
        .map_err(|e| ctx.internal(e))
}

/// Creates (or renews) a feed: the caller's own bookings, or a space's (`space_id`).
/// The answer carries the secret address, shown once.
#[server(prefix = "/api", endpoint = "feeds/create")]
pub async fn create_feed(#[server(default)] space_id: String) -> Result<FeedView, AppError> {
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    let space = match space_id.trim() {
        "" => None,
        raw => Some(parse_space(raw, &ctx)?),
    };
    let now = chrono::Utc::now();
    let (feed, secret) = super::feeds::create_feed(&ctx.db, &actor, space, now)
        .await
        .map_err(|e| booking_error(e, &ctx))?;
    let space = match feed.space_id {
        Some(id) => {
            let sc = super::service::space_context(&ctx.db, id)
                .await
                .map_err(|e| booking_error(e, &ctx))?;
            Some(SpaceLine {
                id,
                name: sc.space.name,
                kind: sc.space.kind,
                capacity: sc.space.capacity,
                part_of: None,
            })
        }
        None => None,
    };
    let path = super::feeds::feed_path(&secret);
    ctx.set_cookie(&crate::auth::cookies::new_feed_cookie(
        &path,
        ctx.config.secure_cookies,
    ));
    Ok(FeedView {
        id: feed.id,
        space,
        path: Some(path),
        created_on: feed.created_at.date_naive(),
    })
}

/// The full address of the feed this browser just made, once: the page that shows it
/// removes the cookie that carried it.
#[cfg(feature = "ssr")]
pub fn take_new_feed_address() -> Option<String> {
    use crate::auth::cookies;
    let ctx = crate::ctx::ctx().ok()?;
    let path = ctx.cookie(cookies::NEW_FEED_COOKIE)?;
    ctx.set_cookie(&cookies::clear_new_feed_cookie(ctx.config.secure_cookies));
    super::feeds::is_feed_path(&path).then(|| format!("{}{path}", ctx.origin()))
}

#[server(prefix = "/api", endpoint = "feeds/revoke")]
pub async fn revoke_feed(id: String) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let actor = actor(&ctx).await?;
    let id = parse_id(&id, &ctx)?;
    super::feeds::revoke_feed(&ctx.db, &actor, id, chrono::Utc::now())
        .await
        .map_err(|e| booking_error(e, &ctx))
}

/// The bookable spaces, for the forms' space lists.
#[server(prefix = "/api", endpoint = "bookings/spaces")]
pub async fn bookable_space_options() -> Result<Vec<SpaceLine>, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_user().await?;
    let spaces = super::service::bookable_spaces(&ctx.db)
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(spaces
        .into_iter()
        .map(|(s, _, _)| SpaceLine {
            id: s.id,
            name: s.name,
            kind: s.kind,
            capacity: s.capacity,
            part_of: None,
        })
        .collect())
}
