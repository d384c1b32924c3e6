//! Server functions of event rental: who calls, may they, parse, call the service, map
//! errors. Managers see and move every event; an organiser sees only their own, answers its
//! quote and may cancel it; anyone, signed in or not, may send a request.
// A server function takes one argument per form field, and the request form has many.
#![allow(clippy::too_many_arguments)]
use super::model::{EventCalendar, EventDetail, EventSpaceOption, EventSummary};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::super::model::{EventFormError, QuoteFormError};
    use super::super::rules::Refusal;
    use super::super::service::{self as events, EventError};
    use crate::auth::model::UserView;
    use crate::ctx::Ctx;
    use crate::entities::event;
    use crate::error::AppError;
    use crate::format;
    use crate::i18n::{Locale, td_string};
    use crate::labels;

    pub fn not_found(locale: Locale) -> AppError {
        AppError::NotFound {
            message: td_string!(locale, events.errors.not_found).to_string(),
        }
    }

    pub fn parse_id(raw: &str, locale: Locale) -> Result<i32, AppError> {
        raw.trim().parse::<i32>().map_err(|_| not_found(locale))
    }

    /// The event, if the caller may see it: managers all, organisers their own. Others are
    /// told it does not exist, so that ids reveal nothing.
    pub async fn visible(ctx: &Ctx, user: &UserView, id: &str) -> Result<event::Model, AppError> {
        let id = parse_id(id, ctx.locale)?;
        let e = events::find(&ctx.db, id)
            .await
            .map_err(|e| event_error(e, ctx))?;
        if user.is_manager() || e.organiser_id == user.id {
            Ok(e)
        } else {
            Err(not_found(ctx.locale))
        }
    }

    pub fn form_error(e: EventFormError, locale: Locale) -> AppError {
        let message = match &e {
            EventFormError::NameMissing => td_string!(locale, events.errors.name_missing),
            EventFormError::NameTooLong => td_string!(locale, events.errors.name_too_long),
            EventFormError::KindUnknown => td_string!(locale, events.errors.kind_unknown),
            EventFormError::DateMalformed(_) => td_string!(locale, events.errors.date_malformed),
            EventFormError::TimeMalformed(_) => td_string!(locale, events.errors.time_malformed),
            EventFormError::DatesOutOfOrder => td_string!(locale, events.errors.dates_order),
            EventFormError::TooLong => td_string!(locale, events.errors.too_long),
            EventFormError::TimesOutOfOrder => td_string!(locale, events.errors.times_order),
            EventFormError::AttendanceMalformed => td_string!(locale, events.errors.attendance),
            EventFormError::HoursMalformed(_) => td_string!(locale, events.errors.hours),
            EventFormError::SpaceUnknown | EventFormError::NoSpaces => {
                td_string!(locale, events.errors.spaces)
            }
            EventFormError::LayoutUnknown => td_string!(locale, events.errors.layout),
            EventFormError::ExtraUnknown => td_string!(locale, events.errors.extra),
            EventFormError::CoversMalformed => td_string!(locale, events.errors.covers),
            EventFormError::TextTooLong(_) => td_string!(locale, events.errors.text_too_long),
            EventFormError::TooSoon => td_string!(locale, events.errors.too_soon),
            EventFormError::Text(field, t) => return crate::input::text_error(field, *t, locale),
        };
        AppError::validation(e.field(), message.to_string())
    }

    pub fn quote_form_error(e: QuoteFormError, locale: Locale) -> AppError {
        let message = match e {
            QuoteFormError::Description => td_string!(locale, events.errors.description),
            QuoteFormError::Quantity => td_string!(locale, events.errors.quantity),
            QuoteFormError::Amount => td_string!(locale, events.errors.amount),
            QuoteFormError::Vat => td_string!(locale, events.errors.vat),
            QuoteFormError::Discount => td_string!(locale, events.errors.discount),
            QuoteFormError::Reason => td_string!(locale, events.errors.reason),
            QuoteFormError::ValidUntil => td_string!(locale, events.errors.valid_until),
            QuoteFormError::Text(field, t) => return crate::input::text_error(field, t, locale),
        };
        AppError::validation(e.field(), message.to_string())
    }

    pub fn event_error(e: EventError, ctx: &Ctx) -> AppError {
        let locale = ctx.locale;
        let conflict = |message: String| AppError::Conflict { message };
        match e {
            EventError::NotFound => not_found(locale),
            EventError::NotAllowed => ctx.forbidden(),
            EventError::Refused(r) => conflict(match r {
                Refusal::NotFromStatus(s) => td_string!(
                    locale,
                    events.errors.not_from_status,
                    status = labels::event_status(locale, s)
                )
                .to_string(),
                Refusal::QuoteNotAccepted => {
                    td_string!(locale, events.errors.quote_not_accepted).to_string()
                }
                Refusal::QuoteExpired => {
                    td_string!(locale, events.errors.quote_expired).to_string()
                }
                Refusal::NotFirstOption(rank) => {
                    td_string!(locale, events.errors.not_first_option, rank = rank).to_string()
                }
                Refusal::NotEnded => td_string!(locale, events.errors.not_ended).to_string(),
                Refusal::NoSpaces => td_string!(locale, events.errors.no_spaces).to_string(),
                Refusal::FeeChanged(cents) => td_string!(
                    locale,
                    events.errors.fee_changed,
                    fee = format::money(cents, locale)
                )
                .to_string(),
            }),
            EventError::NotAnEventSpace => AppError::validation(
                "spaces",
                td_string!(locale, events.errors.spaces).to_string(),
            ),
            EventError::OverCapacity {
                space,
                layout,
                capacity,
            } => AppError::validation(
                "attendance",
                td_string!(
                    locale,
                    events.errors.over_capacity,
                    space = space,
                    layout = labels::layout(locale, layout),
                    capacity = capacity
                )
                .to_string(),
            ),
            EventError::NoRate(space) => {
                conflict(td_string!(locale, events.errors.no_rate, space = space).to_string())
            }
            EventError::OptionLapsed => {
                conflict(td_string!(locale, events.errors.option_lapsed).to_string())
            }
            EventError::NoQuote => conflict(td_string!(locale, events.errors.no_quote).to_string()),
            EventError::QuoteExpired => {
                conflict(td_string!(locale, events.errors.quote_expired).to_string())
            }
            EventError::Clash(c) => conflict(crate::bookings::api::ssr::clash_message(&c, locale)),
            EventError::NotEnded => {
                conflict(td_string!(locale, events.errors.not_ended).to_string())
            }
            EventError::NonexistentTime => AppError::validation(
                "start",
                td_string!(locale, events.errors.time_malformed).to_string(),
            ),
            EventError::Db(e) => ctx.internal(e),
        }
    }

    /// Each ticked space with the layout chosen for it: "12:theatre,14:banquet". The form
    /// sends every space's layout; only the ticked spaces count.
    pub fn pair_spaces(spaces: &[String], layouts: &[String]) -> String {
        spaces
            .iter()
            .map(|id| {
                let id = id.trim();
                let layout = layouts
                    .iter()
                    .find_map(|l| l.strip_prefix(&format!("{id}:")))
                    .unwrap_or("theatre");
                format!("{id}:{layout}")
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// An error of the sign-up fields, named as the request form names them.
    pub fn account_field(e: AppError) -> AppError {
        match e {
            AppError::Validation { field, message } => AppError::Validation {
                field: format!("account_{field}"),
                message,
            },
            other => other,
        }
    }
}

#[cfg(feature = "ssr")]
use ssr::*;

/// The spaces an event may take, with their capacity per layout (public: the request form).
#[server(prefix = "/api", endpoint = "events/spaces")]
pub async fn event_space_options() -> Result<Vec<EventSpaceOption>, AppError> {
    let ctx = crate::ctx::ctx()?;
    super::service::space_options(&ctx.db)
        .await
        .map_err(|e| ctx.internal(e))
}

/// A request for an event. A visitor gives a name, an e-mail and a password: an organiser
/// account is created and signed in on the way. The browser then goes to the event's page.
#[server(prefix = "/api", endpoint = "events/request")]
pub async fn request_event(
    name: String,
    kind: String,
    first_date: String,
    #[server(default)] last_date: String,
    start: String,
    end: String,
    attendance: String,
    #[server(default)] spaces: Vec<String>,
    #[server(default)] layouts: Vec<String>,
    #[server(default)] suggest: Option<String>,
    #[server(default)] extras: Vec<String>,
    #[server(default)] catering: String,
    #[server(default)] catering_covers: String,
    #[server(default)] setup_hours: String,
    #[server(default)] teardown_hours: String,
    #[server(default)] contact_phone: String,
    #[server(default)] notes: String,
    #[server(default)] account_name: String,
    #[server(default)] account_email: String,
    #[server(default)] account_password: String,
) -> Result<i32, AppError> {
    use super::model::EventRequestForm;
    use super::service::RequestError;
    use crate::auth::model::{Email, Password, PersonName, Role};
    let ctx = crate::ctx::ctx()?;
    let now = chrono::Utc::now();
    let chosen = pair_spaces(&spaces, &layouts);
    let form = EventRequestForm {
        name,
        kind,
        first_date,
        last_date,
        start,
        end,
        attendance,
        spaces: if suggest.is_some() && chosen.is_empty() {
            "suggest".to_owned()
        } else {
            chosen
        },
        extras: extras.join(","),
        catering,
        catering_covers,
        setup_hours,
        teardown_hours,
        contact_phone,
        notes,
    };
    let request = form
        .parse(crate::bookings::rules::paris_today(now))
        .map_err(|e| form_error(e, ctx.locale))?;
    super::service::check_request(&ctx.db, &request)
        .await
        .map_err(|e| event_error(e, &ctx))?;
    let id = match ctx.user().await? {
        Some(u) => {
            let who = super::service::requester_for(&ctx.db, &u)
                .await
                .map_err(|e| ctx.internal(e))?;
            super::service::create_request(&ctx.db, who, &request, now)
                .await
                .map_err(|e| event_error(e, &ctx))?
        }
        None => {
            // A new organiser: the account's fields are checked like the sign-up form's.
            let parse =
                || -> Result<crate::auth::service::NewAccount, crate::auth::model::InputError> {
                    Ok(crate::auth::service::NewAccount {
                        email: Email::parse(&account_email)?,
                        name: PersonName::parse(&account_name)?,
                        password: Password::parse_new(&account_password, &account_password)?,
                        role: Role::Organiser,
                        language: ctx.locale,
                    })
                };
            let account = parse()
                .map_err(|e| account_field(crate::auth::api::errors::input(e, ctx.locale)))?;
            let account = crate::auth::service::hash_account(account)
                .await
                .map_err(|e| account_field(crate::auth::api::errors::auth(e, &ctx)))?;
            // The account, its session and the event: one transaction.
            let (id, token) = super::service::request_as_new_organiser(
                &ctx.db,
                account,
                &request,
                now,
                ctx.config.session_days,
            )
            .await
            .map_err(|e| match e {
                RequestError::Account(e) => account_field(crate::auth::api::errors::auth(e, &ctx)),
                RequestError::Event(e) => event_error(e, &ctx),
            })?;
            ctx.set_cookie(&crate::auth::cookies::session_cookie(
                &token,
                ctx.config.session_days,
                ctx.config.secure_cookies,
            ));
            id
        }
    };
    leptos_axum::redirect(&format!("/evenements/{id}"));
    Ok(id)
}

/// Managers: every event; anyone else: their own.
#[server(prefix = "/api", endpoint = "events/list")]
pub async fn list_events() -> Result<Vec<EventSummary>, AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let now = chrono::Utc::now();
    let organiser = (!user.is_manager()).then_some(user.id);
    super::service::summaries(&ctx.db, organiser, now)
        .await
        .map_err(|e| ctx.internal(e))
}

#[server(prefix = "/api", endpoint = "events/get")]
pub async fn get_event(id: String) -> Result<EventDetail, AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let now = chrono::Utc::now();
    let e = visible(&ctx, &user, &id).await?;
    super::service::detail(
        &ctx.db,
        (user.id, user.is_manager()),
        e,
        &ctx.config.events,
        now,
    )
    .await
    .map_err(|err| event_error(err, &ctx))
}

/// The managers' week of events across the event spaces, from the Monday of `date`.
#[server(prefix = "/api", endpoint = "events/calendar")]
pub async fn week_of_events(#[server(default)] date: String) -> Result<EventCalendar, AppError> {
    use super::model::{EventCalendarItem, EventCalendarRow};
    use crate::bookings::rules::{local_minute_of, paris_to_utc, paris_today};
    use chrono::{Datelike, Duration};
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let now = chrono::Utc::now();
    let day = if date.trim().is_empty() {
        paris_today(now)
    } else {
        crate::bookings::model::parse_date(&date, "date").map_err(|_| {
            AppError::validation(
                "date",
                crate::i18n::td_string!(ctx.locale, events.errors.date_malformed).to_string(),
            )
        })?
    };
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    let dates: Vec<chrono::NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();
    let bad_time = || ctx.internal("week bounds");
    let from = paris_to_utc(monday, 0).map_err(|_| bad_time())?;
    let until = paris_to_utc(monday + Duration::days(7), 0).map_err(|_| bad_time())?;
    let list = super::service::in_period(&ctx.db, from, until)
        .await
        .map_err(|e| ctx.internal(e))?;
    let ids: Vec<i32> = list.iter().map(|e| e.id).collect();
    let mut spaces_by_event = super::service::spaces_of_many(&ctx.db, &ids)
        .await
        .map_err(|err| ctx.internal(err))?;
    let mut rows: Vec<EventCalendarRow> = Vec::new();
    for e in &list {
        let spaces = spaces_by_event.remove(&e.id).unwrap_or_default();
        let held_from =
            chrono::DateTime::<chrono::Utc>::from_timestamp(e.held_from, 0).unwrap_or(e.starts_at);
        let held_until =
            chrono::DateTime::<chrono::Utc>::from_timestamp(e.held_until, 0).unwrap_or(e.ends_at);
        for (s, _) in spaces {
            let row = match rows.iter().position(|r| r.space == s.name) {
                Some(i) => i,
                None => {
                    rows.push(EventCalendarRow {
                        space: s.name.clone(),
                        days: vec![Vec::new(); 7],
                    });
                    rows.len() - 1
                }
            };
            for (i, date) in dates.iter().enumerate() {
                let within = |t: chrono::DateTime<chrono::Utc>| {
                    u32::try_from(local_minute_of(*date, t))
                        .ok()
                        .filter(|m| *m <= 24 * 60)
                };
                let (a, b) = (
                    local_minute_of(*date, held_from),
                    local_minute_of(*date, held_until),
                );
                if b <= 0 || a >= 24 * 60 {
                    continue;
                }
                let item = EventCalendarItem {
                    event_id: e.id,
                    name: e.name.clone(),
                    status: e.status,
                    setup_from: within(held_from).filter(|_| held_from < e.starts_at),
                    start: within(e.starts_at),
                    end: within(e.ends_at),
                    teardown_until: within(held_until).filter(|_| held_until > e.ends_at),
                };
                if let Some(day) = rows[row].days.get_mut(i) {
                    day.push(item);
                }
            }
        }
    }
    rows.sort_by(|a, b| a.space.cmp(&b.space));
    Ok(EventCalendar { dates, rows })
}

/// The signed-in manager and the event id of a managers' step.
#[cfg(feature = "ssr")]
async fn manager_and_id(id: &str) -> Result<(crate::ctx::Ctx, i32, i32), AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let id = parse_id(id, ctx.locale)?;
    Ok((ctx, id, manager.id))
}

/// Sends the draft quote to the organiser.
#[server(prefix = "/api", endpoint = "events/send_quote")]
pub async fn send_event_quote(id: String) -> Result<(), AppError> {
    let (ctx, id, by) = manager_and_id(&id).await?;
    super::service::send_quote(&ctx.db, id, by, chrono::Utc::now())
        .await
        .map_err(|e| event_error(e, &ctx))
}

/// Releases the option: the event goes back to "quote sent".
#[server(prefix = "/api", endpoint = "events/release")]
pub async fn release_event_option(id: String) -> Result<(), AppError> {
    let (ctx, id, by) = manager_and_id(&id).await?;
    super::service::release_option(&ctx.db, id, by, chrono::Utc::now())
        .await
        .map_err(|e| event_error(e, &ctx))
}

/// Declines the request (or withdraws the quote or option).
#[server(prefix = "/api", endpoint = "events/decline")]
pub async fn decline_event(id: String) -> Result<(), AppError> {
    let (ctx, id, by) = manager_and_id(&id).await?;
    super::service::decline(&ctx.db, id, by, chrono::Utc::now())
        .await
        .map_err(|e| event_error(e, &ctx))
}

/// After the event: done.
#[server(prefix = "/api", endpoint = "events/done")]
pub async fn mark_event_done(id: String) -> Result<(), AppError> {
    let (ctx, id, by) = manager_and_id(&id).await?;
    super::service::mark_done(&ctx.db, id, by, chrono::Utc::now())
        .await
        .map_err(|e| event_error(e, &ctx))
}

/// Once settled: closed.
#[server(prefix = "/api", endpoint = "events/close")]
pub async fn close_event(id: String) -> Result<(), AppError> {
    let (ctx, id, by) = manager_and_id(&id).await?;
    super::service::close(&ctx.db, id, by, chrono::Utc::now())
        .await
        .map_err(|e| event_error(e, &ctx))
}

/// The managers choose the event's spaces (after "suggest", or to change them) before it is
/// confirmed. Each chosen space pairs with its layout ("12:theatre"), as on the request form.
#[server(prefix = "/api", endpoint = "events/spaces/set")]
pub async fn set_event_spaces(
    id: String,
    #[server(default)] spaces: Vec<String>,
    #[server(default)] layouts: Vec<String>,
) -> Result<(), AppError> {
    let (ctx, id, by) = manager_and_id(&id).await?;
    let chosen = pair_spaces(&spaces, &layouts);
    let choices =
        super::model::parse_space_choices(&chosen).map_err(|e| form_error(e, ctx.locale))?;
    if choices.is_empty() {
        return Err(form_error(
            super::model::EventFormError::NoSpaces,
            ctx.locale,
        ));
    }
    super::service::set_spaces(&ctx.db, id, &choices, by, chrono::Utc::now())
        .await
        .map_err(|e| event_error(e, &ctx))
}

#[server(prefix = "/api", endpoint = "events/confirm")]
pub async fn confirm_event(id: String) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let id = parse_id(&id, ctx.locale)?;
    super::service::confirm(
        &ctx.db,
        id,
        &ctx.config.events,
        manager.id,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| event_error(e, &ctx))
}

/// Opens the draft quote: from the rates the first time, else a copy of the last one sent.
#[server(prefix = "/api", endpoint = "events/draft")]
pub async fn draft_event_quote(id: String) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let id = parse_id(&id, ctx.locale)?;
    let locale = ctx.locale;
    let unit = move |u| crate::labels::rate_unit(locale, u);
    let extra = move |x| crate::labels::extra(locale, x);
    super::service::draft(&ctx.db, id, &unit, &extra, chrono::Utc::now())
        .await
        .map(|_| ())
        .map_err(|e| event_error(e, &ctx))
}

/// Adds (no `line_id`) or changes a line of the draft quote. Prices are in euros excluding
/// VAT, the VAT rate in percent.
#[server(prefix = "/api", endpoint = "events/quote_line")]
pub async fn save_quote_line(
    id: String,
    #[server(default)] line_id: String,
    description: String,
    quantity: String,
    unit_price: String,
    vat: String,
) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let id = parse_id(&id, ctx.locale)?;
    let locale = ctx.locale;
    let line_id = match line_id.trim() {
        "" => None,
        raw => Some(parse_id(raw, locale)?),
    };
    let input = super::model::QuoteLineInput::parse(&description, &quantity, &unit_price, &vat)
        .map_err(|e| quote_form_error(e, locale))?;
    let line = super::rules::Line {
        description: input.description,
        quantity: input.quantity,
        unit_cents: input.unit.cents(),
        vat_bp: input.vat.bp(),
    };
    super::service::save_line(&ctx.db, id, line_id, line)
        .await
        .map_err(|e| event_error(e, &ctx))
}

#[server(prefix = "/api", endpoint = "events/quote_line_delete")]
pub async fn delete_quote_line(id: String, line_id: String) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let id = parse_id(&id, ctx.locale)?;
    let line_id = parse_id(&line_id, ctx.locale)?;
    super::service::delete_line(&ctx.db, id, line_id)
        .await
        .map_err(|e| event_error(e, &ctx))
}

/// The draft's discount (percent, with a reason when there is one) and validity date.
#[server(prefix = "/api", endpoint = "events/quote_terms")]
pub async fn set_quote_terms(
    id: String,
    #[server(default)] discount: String,
    #[server(default)] reason: String,
    valid_until: String,
) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let id = parse_id(&id, ctx.locale)?;
    let locale = ctx.locale;
    let today = crate::bookings::rules::paris_today(chrono::Utc::now());
    let terms = super::model::QuoteTermsInput::parse(&discount, &reason, &valid_until, today)
        .map_err(|e| quote_form_error(e, locale))?;
    let (discount_bp, reason, valid_until) = (terms.discount.bp(), terms.reason, terms.valid_until);
    super::service::set_terms(&ctx.db, id, discount_bp, reason, valid_until)
        .await
        .map_err(|e| event_error(e, &ctx))
}

/// Holds the event's slots until the end of `until` (a date), ranked after earlier options.
#[server(prefix = "/api", endpoint = "events/option")]
pub async fn place_event_option(id: String, until: String) -> Result<u32, AppError> {
    use crate::i18n::td_string;
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let id = parse_id(&id, ctx.locale)?;
    let now = chrono::Utc::now();
    let expires = crate::bookings::model::parse_date(&until, "until")
        .ok()
        .and_then(|d| crate::bookings::rules::paris_to_utc(d, 24 * 60).ok())
        .filter(|t| *t > now)
        .ok_or_else(|| {
            AppError::validation(
                "until",
                td_string!(ctx.locale, events.errors.option_until).to_string(),
            )
        })?;
    super::service::place_option(&ctx.db, id, expires, manager.id, now)
        .await
        .map_err(|e| event_error(e, &ctx))
}

/// The organiser accepts ("accept") or declines ("decline") the quote they were sent.
#[server(prefix = "/api", endpoint = "events/answer")]
pub async fn answer_event_quote(id: String, answer: String) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let e = visible(&ctx, &user, &id).await?;
    if e.organiser_id != user.id {
        return Err(ctx.forbidden());
    }
    let accept = match answer.trim() {
        "accept" => true,
        "decline" => false,
        _ => {
            return Err(AppError::validation(
                "answer",
                crate::i18n::td_string!(ctx.locale, events.errors.answer).to_string(),
            ));
        }
    };
    super::service::answer_quote(&ctx.db, e.id, accept, user.id, chrono::Utc::now())
        .await
        .map_err(|err| event_error(err, &ctx))
}

/// Cancels the event at the fee the user was shown (`fee`, in cents), after ticking `agree`.
#[server(prefix = "/api", endpoint = "events/cancel")]
pub async fn cancel_event(
    id: String,
    fee: String,
    #[server(default)] agree: Option<String>,
) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let e = visible(&ctx, &user, &id).await?;
    if agree.is_none() {
        return Err(AppError::validation(
            "agree",
            crate::i18n::td_string!(ctx.locale, events.errors.agree).to_string(),
        ));
    }
    let fee = fee.trim().parse::<i64>().map_err(|_| {
        AppError::validation(
            "fee",
            crate::i18n::td_string!(ctx.locale, events.errors.amount).to_string(),
        )
    })?;
    super::service::cancel(
        &ctx.db,
        e.id,
        &ctx.config.events,
        fee,
        user.id,
        chrono::Utc::now(),
    )
    .await
    .map(|_| ())
    .map_err(|err| event_error(err, &ctx))
}
