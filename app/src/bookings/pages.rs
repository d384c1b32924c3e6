//! The booking pages: search and book, the calendar, my bookings, one booking, the door
//! display, and the managers' pages (approvals, blocks, utilisation, rules).
use super::api::{
    BookingFormData, CancelBooking, ChangeBooking, CreateBlock, CreateBooking, CreateFeed,
    CreateSeries, DecideBooking, DeleteBlock, RevokeFeed, UpdateSpaceRules, bookable_space_options,
    get_booking, get_calendar, get_door_display, get_space_rules, get_utilisation, list_blocks,
    list_my_bookings, load_booking_form, my_feeds, pending_bookings, preview_series, search_free,
};
use super::model::{
    BookingStatus, BookingView, Calendar, FreeSpace, MonthSummary, OccurrencePreview, Quote,
    SegmentView, SlotKind, WEEKDAY_CODES, format_minute,
};
use crate::components::{
    ErrorPanel, Field, FormError, Loaded, Loading, PageTitle, Submit, action_error,
};
use crate::error::AppError;
use crate::format;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels;
use crate::spaces::model::Equipment;
use crate::tr;
use chrono::NaiveDate;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Equipment people search for; the rest (wifi, shelving…) is not a reason to pick a room.
const SEARCHABLE: [Equipment; 7] = [
    Equipment::Projector,
    Equipment::Screen,
    Equipment::Videoconference,
    Equipment::Whiteboard,
    Equipment::SoundSystem,
    Equipment::Microphones,
    Equipment::StepFreeAccess,
];

fn query(name: &'static str) -> Signal<String> {
    let q = use_query_map();
    Signal::derive(move || q.with(|q| q.get(name).unwrap_or_default()))
}

fn query_list(name: &'static str) -> Signal<Vec<String>> {
    let q = use_query_map();
    Signal::derive(move || q.with(|q| q.get_all(name).unwrap_or_default()))
}

fn slot_text(date: NaiveDate, start: u32, end: u32, locale: Locale) -> String {
    td_string!(
        locale,
        bookings.slot,
        date = format::long_date(date, locale),
        start = format_minute(start),
        end = format_minute(end)
    )
    .to_string()
}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(chrono::Duration::days(days))
        .unwrap_or(date)
}

/// "40,00 € HT, TVA 20 %" or "Inclus dans vos heures".
fn quote_text(q: &Quote, locale: Locale) -> String {
    let mut text = if q.amount_cents == 0 {
        td_string!(locale, bookings.price_included).to_string()
    } else {
        td_string!(
            locale,
            bookings.price,
            amount = format::money(q.amount_cents, locale),
            vat = format::percent_bp(q.vat_rate_bp, locale)
        )
        .to_string()
    };
    if q.included_minutes > 0 && q.amount_cents > 0 {
        text.push_str(" · ");
        text.push_str(
            &td_string!(
                locale,
                bookings.of_which_included,
                time = format::duration(q.included_minutes, locale)
            )
            .to_string(),
        );
    }
    text
}

fn status_label(status: BookingStatus, locale: Locale) -> String {
    match status {
        BookingStatus::Pending => td_string!(locale, bookings.status.pending),
        BookingStatus::Confirmed => td_string!(locale, bookings.status.confirmed),
        BookingStatus::Cancelled => td_string!(locale, bookings.status.cancelled),
        BookingStatus::Refused => td_string!(locale, bookings.status.refused),
    }
    .to_string()
}

fn booking_link(space: i32, date: NaiveDate, start: u32, end: u32, attendees: &str) -> String {
    format!(
        "/reserver/nouvelle?space={space}&date={date}&start={}&end={}&attendees={}",
        format_minute(start),
        format_minute(end),
        percent_encoding::utf8_percent_encode(attendees, percent_encoding::NON_ALPHANUMERIC)
    )
}

// ---------------------------------------------------------------------------------------------
// Search and book.

#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let (date, start, end, attendees) = (
        query("date"),
        query("start"),
        query("end"),
        query("attendees"),
    );
    let equipment = query_list("equipment[]");
    let asked = move || !date.get().is_empty();
    let results = Resource::new(
        move || {
            (
                date.get(),
                start.get(),
                end.get(),
                attendees.get(),
                equipment.get(),
            )
        },
        |(date, start, end, attendees, equipment)| async move {
            if date.is_empty() {
                return Ok(None);
            }
            search_free(date, start, end, attendees, equipment, String::new())
                .await
                .map(Some)
        },
    );
    view! {
        <PageTitle text=|locale| td_string!(locale, bookings.search.title).to_string()/>
        <section>
            <h1>{t!(i18n, bookings.search.title)}</h1>
            <p class="lead">{t!(i18n, bookings.search.intro)}</p>
            <Form method="GET" action="" attr:class="filters search">
                <div class="field">
                    <label for="recherche-date">{t!(i18n, bookings.fields.date)}</label>
                    <input id="recherche-date" type="date" name="date" value=date required/>
                </div>
                <div class="field">
                    <label for="recherche-debut">{t!(i18n, bookings.fields.start)}</label>
                    <input id="recherche-debut" type="time" name="start" step="900" value=start required/>
                </div>
                <div class="field">
                    <label for="recherche-fin">{t!(i18n, bookings.fields.end)}</label>
                    <input id="recherche-fin" type="time" name="end" step="900" value=end required/>
                </div>
                <div class="field">
                    <label for="recherche-personnes">{t!(i18n, bookings.fields.attendees)}</label>
                    <input id="recherche-personnes" type="number" min="1" name="attendees" value=attendees required/>
                </div>
                <fieldset class="field checkboxes">
                    <legend>{t!(i18n, bookings.fields.equipment)}</legend>
                    {SEARCHABLE
                        .into_iter()
                        .map(|item| {
                            let id = format!("recherche-{}", item.code());
                            let label_for = id.clone();
                            let checked = move || equipment.with(|e| e.iter().any(|c| c == item.code()));
                            view! {
                                <label for=label_for>
                                    <input id=id type="checkbox" name="equipment[]" value=item.code() checked=checked/>
                                    {move || labels::equipment(i18n.get_locale(), item)}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <div class="filter-actions">
                    <button type="submit" class="button primary">{t!(i18n, bookings.search.submit)}</button>
                </div>
            </Form>
            <Show when=asked>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        match results.await {
                            Ok(Some(found)) => EitherOf3::A(view! { <FreeList found/> }),
                            Ok(None) => EitherOf3::B(()),
                            Err(e) => EitherOf3::C(view! { <ErrorPanel error=e/> }),
                        }
                    })}
                </Suspense>
            </Show>
        </section>
    }
}

#[component]
fn FreeList(found: Vec<FreeSpace>) -> impl IntoView {
    let i18n = use_i18n();
    let (date, start, end, attendees) = (
        query("date"),
        query("start"),
        query("end"),
        query("attendees"),
    );
    if found.is_empty() {
        return Either::Left(
            view! { <p class="panel" role="status">{t!(i18n, bookings.search.none)}</p> },
        );
    }
    let count = found.len();
    Either::Right(view! {
        <p class="result-count" role="status">
            {move || {
                crate::format::counted(
                    i18n.get_locale(),
                    i64::try_from(count).unwrap_or(i64::MAX),
                    |n| t_string!(i18n, bookings.search.count_single, count = n).to_string(),
                    |n| t_string!(i18n, bookings.search.count_several, count = n).to_string(),
                )
            }}
        </p>
        <ul class="cards" aria-label=tr!(i18n, bookings.search.results)>
            {found
                .into_iter()
                .map(|f| {
                    let space = f.space.clone();
                    let href = move || {
                        let (Ok(d), Ok(s), Ok(e)) = (
                            super::model::parse_date(&date.get(), "date"),
                            super::model::parse_time(&start.get(), "start"),
                            super::model::parse_time(&end.get(), "end"),
                        ) else {
                            return String::new();
                        };
                        booking_link(space.id, d, s, e, &attendees.get())
                    };
                    let quote = f.quote;
                    let kind = f.space.kind;
                    let (capacity, area) = (f.space.capacity, f.area_m2);
                    let equipment = f.equipment.clone();
                    let label = {
                        let name = f.space.name.clone();
                        move || t_string!(i18n, bookings.search.book_space, name = name.clone()).to_string()
                    };
                    view! {
                        <li class="card">
                            <h2>{f.space.name.clone()}</h2>
                            <p class="kind">
                                {move || labels::space_kind(i18n.get_locale(), kind)}
                                {f.space.part_of.clone().map(|p| view! { " · " {p} })}
                            </p>
                            <p class="figures">
                                <span>{move || format::area(i64::from(area), i18n.get_locale())}</span>
                                <span>{move || crate::spaces::pages::people(i18n.get_locale(), capacity)}</span>
                            </p>
                            <p class="chips">
                                {move || {
                                    let locale = i18n.get_locale();
                                    equipment.iter().map(|e| view! { <span class="chip">{labels::equipment(locale, *e)}</span> }).collect_view()
                                }}
                            </p>
                            <p class="price"><strong>{move || quote_text(&quote, i18n.get_locale())}</strong></p>
                            {f.needs_approval.then(|| view! { <p class="hint">{t!(i18n, bookings.needs_approval)}</p> })}
                            <p><a class="button primary" href=href aria-label=label>{t!(i18n, bookings.search.book)}</a></p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    })
}

#[component]
pub fn NewBookingPage() -> impl IntoView {
    let space = query("space");
    let data = Resource::new(move || space.get(), load_booking_form);
    view! {
        <PageTitle text=|locale| td_string!(locale, bookings.new.title).to_string()/>
        <Loaded resource=data then=move |data| view! { <NewBooking data/> }/>
    }
}

#[component]
fn NewBooking(data: BookingFormData) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateBooking>::new();
    let error = action_error(create);
    let (date, start, end, attendees, title) = (
        query("date"),
        query("start"),
        query("end"),
        query("attendees"),
        query("title"),
    );
    let repeat = Signal::derive(move || !query("repeter").get().is_empty());
    let space_id = data.space.id.to_string();
    let rules_hint = {
        let (min, max, deadline) = (
            data.min_minutes,
            data.max_minutes,
            data.cancel_deadline_hours,
        );
        move || {
            let locale = i18n.get_locale();
            t_string!(
                i18n,
                bookings.new.rules_hint,
                min = format::duration(i64::from(min), locale),
                max = format::duration(i64::from(max), locale),
                deadline = deadline
            )
            .to_string()
        }
    };
    let data = StoredValue::new(data);
    view! {
        <section class="narrow">
            <p><a href="/reserver">{t!(i18n, bookings.new.back)}</a></p>
            <h1>{t!(i18n, bookings.new.title)}</h1>
            <p class="lead">
                <strong>{data.with_value(|d| d.space.name.clone())}</strong>
                " · "
                {move || crate::spaces::pages::people(i18n.get_locale(), data.with_value(|d| d.space.capacity))}
            </p>
            <p class="hint">{rules_hint}</p>
            {data.with_value(|d| d.requires_approval).then(|| view! { <p class="notice">{t!(i18n, bookings.needs_approval)}</p> })}
            <ActionForm action=create attr:novalidate=true attr:class="stack">
                <FormError error fields=&["date", "start", "end", "title", "attendees", "equipment", "organisation_id"]/>
                <input type="hidden" name="space_id" value=space_id.clone()/>
                <BookingFields date start end title attendees error/>
                <EquipmentChoice items=data.with_value(|d| d.equipment.clone()) error/>
                <OrganisationChoice data error/>
                <Submit label=tr!(i18n, bookings.new.submit) pending=create.pending()/>
            </ActionForm>
            <h2>{t!(i18n, bookings.series.title)}</h2>
            <Show
                when=move || repeat.get()
                fallback=move || {
                    let href = move || {
                        format!(
                            "?space={}&date={}&start={}&end={}&attendees={}&title={}&repeter=1",
                            data.with_value(|d| d.space.id),
                            date.get(),
                            start.get(),
                            end.get(),
                            attendees.get(),
                            percent_encoding::utf8_percent_encode(&title.get(), percent_encoding::NON_ALPHANUMERIC),
                        )
                    };
                    view! { <p><a href=href>{t!(i18n, bookings.series.start)}</a></p> }
                }
            >
                <SeriesForm data/>
            </Show>
        </section>
    }
}

/// Date, times, title and number of people, shared by booking and changing.
#[component]
fn BookingFields(
    date: Signal<String>,
    start: Signal<String>,
    end: Signal<String>,
    title: Signal<String>,
    attendees: Signal<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Field label=tr!(i18n, bookings.fields.title) name="title" value=title required=true error/>
        <div class="row">
            <Field label=tr!(i18n, bookings.fields.date) name="date" input_type="date" value=date required=true error/>
            <Field label=tr!(i18n, bookings.fields.start) name="start" input_type="time" value=start required=true error/>
            <Field label=tr!(i18n, bookings.fields.end) name="end" input_type="time" value=end required=true error/>
        </div>
        <Field label=tr!(i18n, bookings.fields.attendees) name="attendees" input_type="number" min="1" value=attendees required=true error/>
    }
}

#[component]
fn EquipmentChoice(items: Vec<Equipment>, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let message = Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field() == Some("equipment"))
                .map(|e| e.message().to_owned())
        })
    });
    (!items.is_empty()).then(|| {
        view! {
            <fieldset class="field checkboxes">
                <legend>{t!(i18n, bookings.fields.equipment_needed)}</legend>
                {items
                    .into_iter()
                    .map(|item| {
                        let id = format!("equipement-{}", item.code());
                        let label_for = id.clone();
                        view! {
                            <label for=label_for>
                                <input id=id type="checkbox" name="equipment[]" value=item.code()/>
                                {move || labels::equipment(i18n.get_locale(), item)}
                            </label>
                        }
                    })
                    .collect_view()}
                {move || message.get().map(|m| view! { <p class="field-error">{m}</p> })}
            </fieldset>
        }
    })
}

/// Managers book on an organisation's behalf and choose it.
#[component]
fn OrganisationChoice(
    data: StoredValue<BookingFormData>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    data.with_value(|d| d.is_manager).then(|| {
        let options = Signal::stored(
            data.with_value(|d| d.organisations.iter().map(|o| (o.id.to_string(), o.name.clone())).collect::<Vec<_>>()),
        );
        view! { <crate::components::SelectField label=tr!(i18n, bookings.fields.organisation) name="organisation_id" options error/> }
    })
}

#[component]
fn SeriesForm(data: StoredValue<BookingFormData>) -> impl IntoView {
    let i18n = use_i18n();
    let (date, start, end, attendees, title) = (
        query("date"),
        query("start"),
        query("end"),
        query("attendees"),
        query("title"),
    );
    let (interval, until, count) = (query("interval_weeks"), query("until"), query("count"));
    let weekdays = query_list("weekdays[]");
    let equipment = query_list("equipment[]");
    let organisation = query("organisation_id");
    let asked = move || !until.get().is_empty() || !count.get().is_empty();
    let preview = Resource::new(
        move || {
            (
                data.with_value(|d| d.space.id.to_string()),
                (
                    date.get(),
                    start.get(),
                    end.get(),
                    title.get(),
                    attendees.get(),
                ),
                (
                    equipment.get(),
                    organisation.get(),
                    interval.get(),
                    weekdays.get(),
                    until.get(),
                    count.get(),
                ),
            )
        },
        |(
            space,
            (date, start, end, title, attendees),
            (equipment, org, interval, weekdays, until, count),
        )| async move {
            if until.is_empty() && count.is_empty() {
                return Ok(None);
            }
            preview_series(
                space, date, start, end, title, attendees, equipment, org, interval, weekdays,
                until, count,
            )
            .await
            .map(Some)
        },
    );
    view! {
        <p class="hint">{t!(i18n, bookings.series.intro)}</p>
        <Form method="GET" action="" attr:class="stack">
            <input type="hidden" name="space" value=move || data.with_value(|d| d.space.id)/>
            <input type="hidden" name="repeter" value="1"/>
            <Field label=tr!(i18n, bookings.fields.title) name="title" value=title required=true error=Signal::stored(None)/>
            <div class="row">
                <Field label=tr!(i18n, bookings.series.first_date) name="date" input_type="date" value=date required=true error=Signal::stored(None)/>
                <Field label=tr!(i18n, bookings.fields.start) name="start" input_type="time" value=start required=true error=Signal::stored(None)/>
                <Field label=tr!(i18n, bookings.fields.end) name="end" input_type="time" value=end required=true error=Signal::stored(None)/>
            </div>
            <Field label=tr!(i18n, bookings.fields.attendees) name="attendees" input_type="number" min="1" value=attendees required=true error=Signal::stored(None)/>
            <Field label=tr!(i18n, bookings.series.every) name="interval_weeks" input_type="number" min="1" value=Signal::derive(move || { let v = interval.get(); if v.is_empty() { "1".to_owned() } else { v } }) error=Signal::stored(None)/>
            <fieldset class="field checkboxes">
                <legend>{t!(i18n, bookings.series.weekdays)}</legend>
                {WEEKDAY_CODES
                    .iter()
                    .enumerate()
                    .map(|(i, (code, _))| {
                        let id = format!("jour-{code}");
                        let label_for = id.clone();
                        let checked = move || weekdays.with(|w| w.iter().any(|c| c == code));
                        view! {
                            <label for=label_for>
                                <input id=id type="checkbox" name="weekdays[]" value=*code checked=checked/>
                                {move || format::weekday(i, i18n.get_locale())}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div class="row">
                <Field label=tr!(i18n, bookings.series.until) name="until" input_type="date" value=until error=Signal::stored(None)/>
                <Field label=tr!(i18n, bookings.series.count) name="count" input_type="number" min="1" value=count error=Signal::stored(None)/>
            </div>
            <button type="submit" class="button">{t!(i18n, bookings.series.preview)}</button>
        </Form>
        <Show when=asked>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(Some(dates)) => EitherOf3::A(view! { <SeriesPreview dates data/> }),
                        Ok(None) => EitherOf3::B(()),
                        Err(e) => EitherOf3::C(view! { <ErrorPanel error=e/> }),
                    }
                })}
            </Suspense>
        </Show>
    }
}

#[component]
fn SeriesPreview(
    dates: Vec<OccurrencePreview>,
    data: StoredValue<BookingFormData>,
) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateSeries>::new();
    let error = action_error(create);
    let hidden = [
        "date",
        "start",
        "end",
        "title",
        "attendees",
        "interval_weeks",
        "until",
        "count",
        "organisation_id",
    ];
    let clashes = dates.iter().filter(|d| d.problem.is_some()).count();
    let total = dates.len();
    view! {
        <ActionForm action=create attr:class="stack">
            <FormError error fields=&[]/>
            <input type="hidden" name="space_id" value=move || data.with_value(|d| d.space.id)/>
            {hidden.into_iter().map(|name| view! { <input type="hidden" name=name value=query(name)/> }).collect_view()}
            {move || query_list("weekdays[]").get().into_iter().map(|w| view! { <input type="hidden" name="weekdays[]" value=w/> }).collect_view()}
            {move || query_list("equipment[]").get().into_iter().map(|w| view! { <input type="hidden" name="equipment[]" value=w/> }).collect_view()}
            <p role="status">
                {move || t_string!(i18n, bookings.series.summary, total = total, clashes = clashes).to_string()}
            </p>
            <ul class="occurrences" aria-label=tr!(i18n, bookings.series.dates)>
                {dates
                    .into_iter()
                    .map(|d| {
                        let id = format!("ecarter-{}", d.date);
                        let label_for = id.clone();
                        let clash = d.problem.is_some();
                        let date = d.date;
                        view! {
                            <li class:clash=clash>
                                <label for=label_for>
                                    <input id=id type="checkbox" name="skip[]" value=d.date.to_string() checked=clash/>
                                    {move || t_string!(i18n, bookings.series.skip, date = format::long_date(date, i18n.get_locale())).to_string()}
                                </label>
                                {d.problem.map(|p| view! { <p class="field-error">{p}</p> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <Submit label=tr!(i18n, bookings.series.submit) pending=create.pending()/>
        </ActionForm>
    }
}

// ---------------------------------------------------------------------------------------------
// My bookings and one booking.

#[component]
pub fn MyBookingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| list_my_bookings());
    let made = query("reservee");
    let series = query("serie");
    let cancelled = query("annulees");
    view! {
        <PageTitle text=|locale| td_string!(locale, bookings.mine.title).to_string()/>
        <section>
            <h1>{t!(i18n, bookings.mine.title)}</h1>
            {move || (!made.get().is_empty()).then(|| view! { <p class="notice" role="status">{t!(i18n, bookings.mine.made)}</p> })}
            {move || (!series.get().is_empty()).then(|| view! { <p class="notice" role="status">{t!(i18n, bookings.mine.series_made)}</p> })}
            {move || (!cancelled.get().is_empty()).then(|| view! { <p class="notice" role="status">{t!(i18n, bookings.mine.cancelled_notice)}</p> })}
            <p><a class="button primary" href="/reserver">{t!(i18n, bookings.mine.book)}</a></p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(mine) => Either::Left(view! {
                            {mine.months.into_iter().map(|m| view! { <Month m organisation=mine.organisation.clone().unwrap_or_default()/> }).collect_view()}
                            {mine.whole_organisation.then(|| view! { <p class="hint">{t!(i18n, bookings.mine.whole_organisation)}</p> })}
                            <h2>{t!(i18n, bookings.mine.upcoming)}</h2>
                            <BookingList items=mine.upcoming empty=tr!(i18n, bookings.mine.none_upcoming)/>
                            <h2>{t!(i18n, bookings.mine.past)}</h2>
                            <BookingList items=mine.past empty=tr!(i18n, bookings.mine.none_past)/>
                            <h2>{t!(i18n, bookings.mine.cancelled)}</h2>
                            <BookingList items=mine.cancelled empty=tr!(i18n, bookings.mine.none_cancelled)/>
                        }),
                        Err(e) => Either::Right(view! { <ErrorPanel error=e/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Month(m: MonthSummary, organisation: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="month" aria-label=move || month_name(m.month, i18n.get_locale())>
            <h2>{move || t_string!(i18n, bookings.mine.month_of, month = month_name(m.month, i18n.get_locale()), organisation = organisation.clone()).to_string()}</h2>
            <dl class="key-figures">
                <div>
                    <dt>{t!(i18n, bookings.mine.hours_used)}</dt>
                    <dd>{move || format::duration(m.booked_minutes, i18n.get_locale())}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, bookings.mine.included_remaining)}</dt>
                    <dd>
                        {move || t_string!(
                            i18n,
                            bookings.mine.of_allowance,
                            left = format::duration(m.included_remaining_minutes(), i18n.get_locale()),
                            total = format::duration(m.included_allowance_minutes, i18n.get_locale())
                        ).to_string()}
                    </dd>
                </div>
                <div>
                    <dt>{t!(i18n, bookings.mine.amount)}</dt>
                    <dd>{move || format::money(m.amount_cents, i18n.get_locale())}</dd>
                </div>
            </dl>
        </section>
    }
}

fn month_name(month: NaiveDate, locale: Locale) -> String {
    let full = format::date(month, locale);
    // "1er novembre 2026" → "novembre 2026"
    full.split_once(' ')
        .map(|(_, rest)| rest.to_owned())
        .unwrap_or(full)
}

#[component]
fn BookingList(items: Vec<BookingView>, #[prop(into)] empty: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return Either::Left(view! { <p class="muted">{empty}</p> });
    }
    Either::Right(view! {
        <ul class="bookings">
            {items
                .into_iter()
                .map(|b| {
                    let (slot, status, quote) = (b.slot, b.status, b.quote);
                    let href = format!("/reservations/{}", b.id);
                    view! {
                        <li class="booking" class:pending=status == BookingStatus::Pending>
                            <p class="when"><strong>{move || slot_text(slot.date, slot.start_minute, slot.end_minute, i18n.get_locale())}</strong></p>
                            <p><a href=href>{b.title.clone()}</a> " · " {b.space_name.clone()}</p>
                            <p class="meta">
                                <span class="badge">{move || status_label(status, i18n.get_locale())}</span>
                                " · "
                                {move || quote_text(&quote, i18n.get_locale())}
                                {b.cancellation_charged.then(|| view! { " · " {t!(i18n, bookings.late_cancellation)} })}
                            </p>
                            {(status.is_active()).then(|| view! { <AddToCalendar b=b.clone()/> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    })
}

/// One-click links for common calendar apps, and the .ics file for the others.
#[component]
fn AddToCalendar(b: BookingView) -> impl IntoView {
    let i18n = use_i18n();
    let stamp = |rfc: &str| {
        chrono::DateTime::parse_from_rfc3339(rfc)
            .map(|t| {
                t.with_timezone(&chrono::Utc)
                    .format("%Y%m%dT%H%M%SZ")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let google = format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&location={}",
        enc(&b.title),
        stamp(&b.starts_at),
        stamp(&b.ends_at),
        enc(&b.space_name)
    );
    let outlook = format!(
        "https://outlook.live.com/calendar/0/deeplink/compose?subject={}&startdt={}&enddt={}&location={}",
        enc(&b.title),
        enc(&b.starts_at),
        enc(&b.ends_at),
        enc(&b.space_name)
    );
    let ics = format!("/agenda/reservation/{}.ics", b.id);
    view! {
        <p class="add-to-calendar">
            {t!(i18n, bookings.add_to_calendar)} " "
            <a href=google target="_blank" rel="noopener">"Google"</a> " · "
            <a href=outlook target="_blank" rel="noopener">"Outlook"</a> " · "
            <a href=ics download="">{t!(i18n, bookings.ics_file)}</a>
        </p>
    }
}

#[component]
pub fn BookingPage() -> impl IntoView {
    let params = use_params_map();
    let id = Signal::derive(move || params.with(|p| p.get("id").unwrap_or_default()));
    let booking = Resource::new(move || id.get(), get_booking);
    view! {
        <PageTitle text=|locale| td_string!(locale, bookings.one.title).to_string()/>
        <Loaded resource=booking then=move |b| view! { <BookingDetail b/> }/>
    }
}

#[component]
fn BookingDetail(b: BookingView) -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangeBooking>::new();
    let cancel = ServerAction::<CancelBooking>::new();
    let change_error = action_error(change);
    let cancel_error = action_error(cancel);
    let changed = query("modifiee");
    let (slot, status, quote) = (b.slot, b.status, b.quote);
    let in_series = b.series_id.is_some();
    let id = b.id.to_string();
    let s = |v: String| Signal::stored(v);
    view! {
        <section class="narrow">
            <p><a href="/mes-reservations">{t!(i18n, bookings.one.back)}</a></p>
            <h1>{b.title.clone()}</h1>
            {move || (!changed.get().is_empty()).then(|| view! { <p class="notice" role="status">{t!(i18n, bookings.one.changed)}</p> })}
            <dl class="facts">
                <dt>{t!(i18n, bookings.fields.space)}</dt>
                <dd>{b.space_name.clone()}</dd>
                <dt>{t!(i18n, bookings.fields.when)}</dt>
                <dd>{move || slot_text(slot.date, slot.start_minute, slot.end_minute, i18n.get_locale())}</dd>
                <dt>{t!(i18n, bookings.fields.attendees)}</dt>
                <dd>{b.attendees}</dd>
                <dt>{t!(i18n, bookings.fields.organisation)}</dt>
                <dd>{b.organisation.clone()} " · " {b.booked_by.clone()}</dd>
                <dt>{t!(i18n, bookings.fields.status)}</dt>
                <dd>{move || status_label(status, i18n.get_locale())}</dd>
                <dt>{t!(i18n, bookings.fields.price)}</dt>
                <dd>{move || quote_text(&quote, i18n.get_locale())}</dd>
            </dl>
            {in_series.then(|| view! { <p class="hint">{t!(i18n, bookings.one.in_series)}</p> })}
            {b.can_change.then(|| {
                let cancel_id = id.clone();
                let id = id.clone();
                view! {
                    <h2>{t!(i18n, bookings.one.change)}</h2>
                    <ActionForm action=change attr:novalidate=true attr:class="stack">
                        <FormError error=change_error fields=&["date", "start", "end", "title", "attendees"]/>
                        <input type="hidden" name="id" value=id.clone()/>
                        <BookingFields
                            date=s(slot.date.to_string())
                            start=s(format_minute(slot.start_minute))
                            end=s(format_minute(slot.end_minute))
                            title=s(b.title.clone())
                            attendees=s(b.attendees.to_string())
                            error=change_error
                        />
                        {in_series.then(|| view! { <ScopeChoice/> })}
                        <Submit label=tr!(i18n, bookings.one.save) pending=change.pending()/>
                    </ActionForm>
                    <h2>{t!(i18n, bookings.one.cancel)}</h2>
                    {b.late_to_cancel.then(|| view! { <p class="notice warning">{t!(i18n, bookings.one.late_warning)}</p> })}
                    <ActionForm action=cancel attr:class="stack">
                        <FormError error=cancel_error fields=&[]/>
                        <input type="hidden" name="id" value=cancel_id/>
                        {in_series.then(|| view! { <ScopeChoice/> })}
                        <button type="submit" class="button danger">{t!(i18n, bookings.one.cancel_submit)}</button>
                    </ActionForm>
                }
            })}
        </section>
    }
}

#[component]
fn ScopeChoice() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="field checkboxes">
            <legend>{t!(i18n, bookings.scope.legend)}</legend>
            <label><input type="radio" name="scope" value="this" checked=true/> {t!(i18n, bookings.scope.this)}</label>
            <label><input type="radio" name="scope" value="following"/> {t!(i18n, bookings.scope.following)}</label>
            <label><input type="radio" name="scope" value="all"/> {t!(i18n, bookings.scope.all)}</label>
        </fieldset>
    }
}

// ---------------------------------------------------------------------------------------------
// The calendar.

#[component]
pub fn CalendarPage() -> impl IntoView {
    let i18n = use_i18n();
    let (view_kind, date, kind, page) = (query("vue"), query("date"), query("kind"), query("page"));
    let calendar = Resource::new(
        move || (view_kind.get(), date.get(), kind.get(), page.get()),
        |(v, d, k, p)| get_calendar(v, d, k, p),
    );
    view! {
        <PageTitle text=|locale| td_string!(locale, bookings.calendar.title).to_string()/>
        <section>
            <h1>{t!(i18n, bookings.calendar.title)}</h1>
            <Legend/>
            <Loaded resource=calendar then=move |c| view! { <CalendarView c week=view_kind.get_untracked() == "semaine" kind=kind.get_untracked()/> }/>
        </section>
    }
}

#[component]
fn Legend() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="legend" aria-label=tr!(i18n, bookings.calendar.legend)>
            <li><span class="swatch free"></span>{t!(i18n, bookings.calendar.free)}</li>
            <li><span class="swatch taken"></span>{t!(i18n, bookings.calendar.taken)}</li>
            <li><span class="swatch visible"></span>{t!(i18n, bookings.calendar.yours)}</li>
            <li><span class="swatch blocked"></span>{t!(i18n, bookings.calendar.blocked)}</li>
            <li><span class="swatch closed"></span>{t!(i18n, bookings.calendar.closed)}</li>
        </ul>
    }
}

#[component]
fn CalendarView(c: Calendar, week: bool, kind: String) -> impl IntoView {
    let i18n = use_i18n();
    let first = c.dates.first().copied();
    let (from, to) = (c.from_minute, c.to_minute);
    let step = if week { 7 } else { 1 };
    let nav = move |offset: i64| {
        first
            .map(|d| {
                let target = add_days(d, offset * step);
                format!(
                    "?vue={}&date={target}&kind={}",
                    if week { "semaine" } else { "jour" },
                    kind
                )
            })
            .unwrap_or_default()
    };
    let (prev, next) = (nav(-1), nav(1));
    let switch = first
        .map(|d| format!("?vue={}&date={d}", if week { "jour" } else { "semaine" }))
        .unwrap_or_default();
    let heading = {
        let dates = c.dates.clone();
        move || {
            let locale = i18n.get_locale();
            match (dates.first(), dates.last(), week) {
                (Some(a), Some(b), true) => t_string!(
                    i18n,
                    bookings.calendar.week_of,
                    from = format::date(*a, locale),
                    to = format::date(*b, locale)
                )
                .to_string(),
                (Some(a), _, _) => format::long_date(*a, locale),
                _ => String::new(),
            }
        }
    };
    let hours: Vec<u32> = (from / 60..to / 60).collect();
    let shown = c.spaces.len();
    let columns = (to - from) / 15;
    view! {
        <nav class="calendar-nav" aria-label=tr!(i18n, bookings.calendar.navigation)>
            <a href=prev class="button">{t!(i18n, bookings.calendar.previous)}</a>
            <h2 aria-live="polite">{heading}</h2>
            <a href=next class="button">{t!(i18n, bookings.calendar.next)}</a>
            <a href=switch>{move || if week { t_string!(i18n, bookings.calendar.day_view).to_string() } else { t_string!(i18n, bookings.calendar.week_view).to_string() }}</a>
        </nav>
        <div class="calendar-wrap">
            <table class="calendar" class:week=week>
                <caption class="visually-hidden">{t!(i18n, bookings.calendar.caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, bookings.fields.space)}</th>
                        {if week {
                            Either::Left(c.dates.iter().map(|d| {
                                let d = *d;
                                let href = format!("?vue=jour&date={d}");
                                view! { <th scope="col"><a href=href title=move || format::long_date(d, i18n.get_locale())>{move || format::short_date(d, i18n.get_locale())}</a></th> }
                            }).collect_view())
                        } else {
                            Either::Right(view! {
                                <th scope="col">
                                    <div class="hours" style=format!("grid-template-columns: repeat({}, 1fr)", hours.len())>
                                        {hours.iter().map(|h| view! { <span>{format!("{h:02}h")}</span> }).collect_view()}
                                    </div>
                                </th>
                            })
                        }}
                    </tr>
                </thead>
                <tbody>
                    {c.spaces
                        .into_iter()
                        .map(|s| {
                            let space_id = s.space.id;
                            let dates = c.dates.clone();
                            view! {
                                <tr>
                                    <th scope="row">
                                        <a href=format!("/espaces/{space_id}")>{s.space.name.clone()}</a>
                                        <span class="muted">" · " {move || crate::spaces::pages::people(i18n.get_locale(), s.space.capacity)}</span>
                                    </th>
                                    {s.days
                                        .into_iter()
                                        .zip(dates)
                                        .map(|(segments, date)| view! { <td><Timeline segments date space_id from columns/></td> })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <Pages total=c.total_spaces shown/>
    }
}

/// Links to the other pages of a long list of spaces.
#[component]
fn Pages(total: usize, shown: usize) -> impl IntoView {
    let i18n = use_i18n();
    let page = query("page");
    let q = use_query_map();
    let link = move |p: usize| {
        let mut params: Vec<String> = q.with(|q| {
            ["vue", "date", "kind"]
                .iter()
                .filter_map(|k| q.get(k).map(|v| format!("{k}={v}")))
                .collect()
        });
        params.push(format!("page={p}"));
        format!("?{}", params.join("&"))
    };
    let current = move || page.get().parse::<usize>().unwrap_or(1).max(1);
    (total > shown).then(|| {
        view! {
            <p class="pages">
                {move || (current() > 1).then(|| view! { <a href=link(current() - 1)>{t!(i18n, bookings.calendar.previous_spaces)}</a> " " })}
                {move || (current() * 40 < total).then(|| view! { <a href=link(current() + 1)>{t!(i18n, bookings.calendar.next_spaces)}</a> })}
            </p>
        }
    })
}

/// One space's day as a strip of segments, each placed on a grid of quarter hours.
#[component]
fn Timeline(
    segments: Vec<SegmentView>,
    date: NaiveDate,
    space_id: i32,
    from: u32,
    columns: u32,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="timeline" style=format!("grid-template-columns: repeat({columns}, 1fr)")>
            {segments
                .into_iter()
                .map(|seg| {
                    let style = format!("grid-column: {} / {}", (seg.start - from) / 15 + 1, (seg.end - from) / 15 + 1);
                    let (start, end) = (seg.start, seg.end);
                    let describe = {
                        let label = seg.label.clone();
                        move || {
                            let locale = i18n.get_locale();
                            let what = match seg.kind {
                                SlotKind::Free => t_string!(i18n, bookings.calendar.free).to_string(),
                                SlotKind::Closed => t_string!(i18n, bookings.calendar.closed).to_string(),
                                SlotKind::Blocked => t_string!(i18n, bookings.calendar.blocked).to_string(),
                                SlotKind::Taken => t_string!(i18n, bookings.calendar.taken).to_string(),
                                SlotKind::Visible => t_string!(i18n, bookings.calendar.yours).to_string(),
                            };
                            let mut text = format!("{what}, {}–{}", format_minute(start), format_minute(end));
                            if let Some(l) = &label {
                                text.push_str(&format!(" : {l}"));
                            }
                            let _ = locale;
                            text
                        }
                    };
                    match seg.kind {
                        SlotKind::Free => {
                            let href = booking_link(space_id, date, start, end.min(start + 60), "1");
                            EitherOf3::A(view! { <a class="seg free" style=style href=href title=describe.clone() aria-label=describe></a> })
                        }
                        SlotKind::Visible => {
                            let href = seg.booking_id.map(|id| format!("/reservations/{id}")).unwrap_or_default();
                            EitherOf3::B(view! { <a class="seg visible" style=style href=href title=describe.clone() aria-label=describe>{seg.label.clone()}</a> })
                        }
                        kind => {
                            let class = match kind {
                                SlotKind::Closed => "seg closed",
                                SlotKind::Blocked => "seg blocked",
                                _ => "seg taken",
                            };
                            EitherOf3::C(view! { <span class=class style=style title=describe.clone() aria-label=describe role="img"></span> })
                        }
                    }
                })
                .collect_view()}
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// The screen by the door.

#[component]
pub fn DoorPage() -> impl IntoView {
    let params = use_params_map();
    let code = Signal::derive(move || params.with(|p| p.get("code").unwrap_or_default()));
    let display = Resource::new(move || code.get(), get_door_display);
    view! {
        <leptos_meta::Meta http_equiv="refresh" content="60"/>
        <Loaded resource=display then=move |d| view! { <Door d/> }/>
    }
}

#[component]
fn Door(d: super::model::DoorDisplay) -> impl IntoView {
    let i18n = use_i18n();
    let busy = d.current.is_some() || d.blocked.is_some();
    let title = |b: &super::model::DisplayBooking, locale: Locale| {
        b.title
            .clone()
            .unwrap_or_else(|| td_string!(locale, bookings.door.booked).to_string())
    };
    let current = d.current.clone();
    let next = d.next.clone();
    let blocked = d.blocked.clone();
    let today = d.today;
    view! {
        <leptos_meta::Title text=d.space_name.clone()/>
        <section class="door" class:busy=busy>
            <p class="door-clock">{format_minute(d.minute)}</p>
            <h1>{d.space_name.clone()}</h1>
            <p class="door-state">
                {move || if busy { t_string!(i18n, bookings.door.busy).to_string() } else { t_string!(i18n, bookings.door.free).to_string() }}
            </p>
            {blocked.map(|reason| view! { <p class="door-now">{reason}</p> })}
            {current.map(|b| {
                let b2 = b.clone();
                view! { <p class="door-now">{format!("{}–{}", format_minute(b.start), format_minute(b.end))} " · " {move || title(&b2, i18n.get_locale())}</p> }
            })}
            <h2>{t!(i18n, bookings.door.next)}</h2>
            {match next {
                Some(b) => {
                    let b2 = b.clone();
                    Either::Left(view! {
                        <p class="door-next">
                            {move || if b.date == today { String::new() } else { format!("{} · ", format::long_date(b.date, i18n.get_locale())) }}
                            {format!("{}–{}", format_minute(b.start), format_minute(b.end))} " · " {move || title(&b2, i18n.get_locale())}
                        </p>
                    })
                }
                None => Either::Right(view! { <p class="door-next">{t!(i18n, bookings.door.nothing)}</p> }),
            }}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// Managers.

#[component]
pub fn ManageBookingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideBooking>::new();
    let block = ServerAction::<CreateBlock>::new();
    let unblock = ServerAction::<DeleteBlock>::new();
    let pending = Resource::new(move || decide.version().get(), |_| pending_bookings());
    let blocks = Resource::new(
        move || (block.version().get(), unblock.version().get()),
        |_| list_blocks(),
    );
    let spaces = Resource::new(|| (), |_| bookable_space_options());
    let (period, date) = (query("periode"), query("date"));
    let usage = Resource::new(
        move || (period.get(), date.get()),
        |(p, d)| get_utilisation(p, d),
    );
    let decide_error = action_error(decide);
    let block_error = action_error(block);
    view! {
        <PageTitle text=|locale| td_string!(locale, bookings.manage.title).to_string()/>
        <section>
            <h1>{t!(i18n, bookings.manage.title)}</h1>
            <h2>{t!(i18n, bookings.manage.pending)}</h2>
            <FormError error=decide_error fields=&[]/>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match pending.await {
                        Ok(items) if items.is_empty() => EitherOf3::A(view! { <p class="muted">{t!(i18n, bookings.manage.no_pending)}</p> }),
                        Ok(items) => EitherOf3::B(view! {
                            <ul class="bookings">
                                {items.into_iter().map(|b| {
                                    let slot = b.slot;
                                    let id = b.id.to_string();
                                    view! {
                                        <li class="booking pending">
                                            <p><strong>{move || slot_text(slot.date, slot.start_minute, slot.end_minute, i18n.get_locale())}</strong></p>
                                            <p>{b.title.clone()} " · " {b.space_name.clone()} " · " {b.organisation.clone()}</p>
                                            <ActionForm action=decide attr:class="inline-actions">
                                                <input type="hidden" name="id" value=id/>
                                                <button type="submit" name="decision" value="approve" class="button primary">{t!(i18n, bookings.manage.approve)}</button>
                                                <button type="submit" name="decision" value="refuse" class="button danger">{t!(i18n, bookings.manage.refuse)}</button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }),
                        Err(e) => EitherOf3::C(view! { <ErrorPanel error=e/> }),
                    }
                })}
            </Suspense>

            <h2>{t!(i18n, bookings.manage.blocks)}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let options = spaces.await.unwrap_or_default();
                    let space_choices: Vec<(String, String)> = options.iter().map(|s| (s.id.to_string(), s.name.clone())).collect();
                    let listed = blocks.await;
                    view! {
                        {match listed {
                            Ok(items) if items.is_empty() => EitherOf3::A(view! { <p class="muted">{t!(i18n, bookings.manage.no_blocks)}</p> }),
                            Ok(items) => EitherOf3::B(view! {
                                <ul class="bookings">
                                    {items.into_iter().map(|b| {
                                        let slot = b.slot;
                                        let id = b.id.to_string();
                                        view! {
                                            <li class="booking">
                                                <p><strong>{b.space_name.clone()}</strong> " · " {move || format::long_date(slot.date, i18n.get_locale())} " " {format_minute(slot.start_minute)}</p>
                                                <p>{b.reason.clone()}</p>
                                                <ActionForm action=unblock attr:class="inline-actions">
                                                    <input type="hidden" name="id" value=id/>
                                                    <button type="submit" class="button">{t!(i18n, bookings.manage.unblock)}</button>
                                                </ActionForm>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }),
                            Err(e) => EitherOf3::C(view! { <ErrorPanel error=e/> }),
                        }}
                        <ActionForm action=block attr:novalidate=true attr:class="stack panel">
                            <h3>{t!(i18n, bookings.manage.new_block)}</h3>
                            <FormError error=block_error fields=&["space_id", "start_date", "start_time", "end_date", "end_time", "reason"]/>
                            <crate::components::SelectField
                                label=tr!(i18n, bookings.fields.space)
                                name="space_id"
                                options=Signal::stored(space_choices)
                                error=block_error
                            />
                            <div class="row">
                                <Field label=tr!(i18n, bookings.manage.from_date) name="start_date" input_type="date" required=true error=block_error/>
                                <Field label=tr!(i18n, bookings.fields.start) name="start_time" input_type="time" required=true error=block_error/>
                            </div>
                            <div class="row">
                                <Field label=tr!(i18n, bookings.manage.to_date) name="end_date" input_type="date" required=true error=block_error/>
                                <Field label=tr!(i18n, bookings.fields.end) name="end_time" input_type="time" required=true error=block_error/>
                            </div>
                            <Field label=tr!(i18n, bookings.manage.reason) name="reason" required=true error=block_error/>
                            <Submit label=tr!(i18n, bookings.manage.block) pending=block.pending()/>
                        </ActionForm>
                        <h3>{t!(i18n, bookings.manage.rules)}</h3>
                        <ul class="links">
                            {options.into_iter().map(|s| view! { <li><a href=format!("/gestion/espaces/{}/regles", s.id)>{s.name}</a></li> }).collect_view()}
                        </ul>
                    }
                })}
            </Suspense>

            <h2>{t!(i18n, bookings.manage.utilisation)}</h2>
            <Form method="GET" action="" attr:class="filters">
                <div class="field">
                    <label for="periode">{t!(i18n, bookings.manage.period)}</label>
                    <select id="periode" name="periode">
                        <option value="semaine" selected=move || period.get() != "mois">{t!(i18n, bookings.manage.week)}</option>
                        <option value="mois" selected=move || period.get() == "mois">{t!(i18n, bookings.manage.month)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="periode-date">{t!(i18n, bookings.fields.date)}</label>
                    <input id="periode-date" type="date" name="date" value=date/>
                </div>
                <div class="filter-actions"><button type="submit" class="button">{t!(i18n, bookings.manage.show)}</button></div>
            </Form>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match usage.await {
                        Ok(u) => Either::Left(view! {
                            <div class="table-wrap">
                                <table>
                                    <caption>{move || t_string!(i18n, bookings.manage.usage_caption, from = format::date(u.from, i18n.get_locale()), to = format::date(add_days(u.until, -1), i18n.get_locale())).to_string()}</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, bookings.fields.space)}</th>
                                            <th scope="col">{t!(i18n, bookings.manage.booked)}</th>
                                            <th scope="col">{t!(i18n, bookings.manage.open)}</th>
                                            <th scope="col">{t!(i18n, bookings.manage.rate)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {u.rows.iter().map(|r| {
                                            let (booked, open, pm) = (r.booked_minutes, r.open_minutes, r.per_mille());
                                            view! {
                                                <tr>
                                                    <th scope="row">{r.space.name.clone()}</th>
                                                    <td class="amount">{move || format::duration(booked, i18n.get_locale())}</td>
                                                    <td class="amount">{move || format::duration(open, i18n.get_locale())}</td>
                                                    <td class="amount">{move || format::percent_bp(i32::try_from(pm * 10).unwrap_or(0), i18n.get_locale())}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }),
                        Err(e) => Either::Right(view! { <ErrorPanel error=e/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn SpaceRulesPage() -> impl IntoView {
    let params = use_params_map();
    let id = Signal::derive(move || params.with(|p| p.get("id").unwrap_or_default()));
    let rules = Resource::new(move || id.get(), get_space_rules);
    view! {
        <PageTitle text=|locale| td_string!(locale, bookings.rules_page.title).to_string()/>
        <Loaded resource=rules then=move |r| view! { <RulesForm r/> }/>
    }
}

#[component]
fn RulesForm(r: super::model::SpaceRulesView) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<UpdateSpaceRules>::new();
    let error = action_error(save);
    let saved = query("enregistre");
    let n = |v: u32| Signal::stored(v.to_string());
    view! {
        <section class="narrow">
            <p><a href="/gestion/reservations">{t!(i18n, bookings.rules_page.back)}</a></p>
            <h1>{t!(i18n, bookings.rules_page.title)} " · " {r.space.name.clone()}</h1>
            {move || (!saved.get().is_empty()).then(|| view! { <p class="notice" role="status">{t!(i18n, bookings.rules_page.saved)}</p> })}
            <ActionForm action=save attr:novalidate=true attr:class="stack">
                <FormError error fields=&["min_minutes", "max_minutes", "buffer_minutes", "min_notice_minutes", "tenant_max_advance_days", "manager_max_advance_days", "cancel_deadline_hours"]/>
                <input type="hidden" name="space_id" value=r.space.id/>
                <div class="row">
                    <Field label=tr!(i18n, bookings.rules_page.min_minutes) name="min_minutes" input_type="number" value=n(r.min_minutes) error/>
                    <Field label=tr!(i18n, bookings.rules_page.max_minutes) name="max_minutes" input_type="number" value=n(r.max_minutes) error/>
                </div>
                <div class="row">
                    <Field label=tr!(i18n, bookings.rules_page.buffer_minutes) name="buffer_minutes" input_type="number" value=n(r.buffer_minutes) error/>
                    <Field label=tr!(i18n, bookings.rules_page.min_notice_minutes) name="min_notice_minutes" input_type="number" value=n(r.min_notice_minutes) error/>
                </div>
                <div class="row">
                    <Field label=tr!(i18n, bookings.rules_page.tenant_max_advance_days) name="tenant_max_advance_days" input_type="number" value=n(r.tenant_max_advance_days) error/>
                    <Field label=tr!(i18n, bookings.rules_page.manager_max_advance_days) name="manager_max_advance_days" input_type="number" value=n(r.manager_max_advance_days) error/>
                </div>
                <Field label=tr!(i18n, bookings.rules_page.cancel_deadline_hours) name="cancel_deadline_hours" input_type="number" value=n(r.cancel_deadline_hours) error/>
                <div class="field checkbox">
                    <input id="champ-requires_approval" type="checkbox" name="requires_approval" value="on" checked=r.requires_approval/>
                    <label for="champ-requires_approval">{t!(i18n, bookings.rules_page.requires_approval)}</label>
                </div>
                <div class="field checkbox">
                    <input id="champ-uses_included_hours" type="checkbox" name="uses_included_hours" value="on" checked=r.uses_included_hours/>
                    <label for="champ-uses_included_hours">{t!(i18n, bookings.rules_page.uses_included_hours)}</label>
                </div>
                <fieldset class="field">
                    <legend>{t!(i18n, bookings.rules_page.hours)}</legend>
                    <p class="hint">{t!(i18n, bookings.rules_page.hours_hint)}</p>
                    {r.opening_hours
                        .iter()
                        .enumerate()
                        .map(|(i, h)| {
                            let id = format!("horaires-{i}");
                            let label_for = id.clone();
                            view! {
                                <div class="field">
                                    <label for=label_for>{move || format::weekday(i, i18n.get_locale())}</label>
                                    <input id=id name="hours[]" value=h.clone()/>
                                </div>
                            }
                        })
                        .collect_view()}
                    {move || error.get().filter(|e| e.field() == Some("hours")).map(|e| view! { <p class="field-error">{e.message().to_owned()}</p> })}
                </fieldset>
                <Submit label=tr!(i18n, bookings.rules_page.save) pending=save.pending()/>
            </ActionForm>
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// Calendar feeds, on the account page and a space's page.

#[component]
pub fn Feeds() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateFeed>::new();
    let revoke = ServerAction::<RevokeFeed>::new();
    let feeds = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| my_feeds(),
    );
    let made = Signal::derive(move || create.value().get().and_then(Result::ok));
    view! {
        <h2>{t!(i18n, bookings.feeds.title)}</h2>
        <p class="hint">{t!(i18n, bookings.feeds.intro)}</p>
        {move || made.get().and_then(|f| f.path).map(|path| view! { <FeedAddress path/> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match feeds.await {
                    Ok(list) => Either::Left(view! {
                        <ul class="bookings">
                            {list.into_iter().map(|f| {
                                let id = f.id.to_string();
                                let name = f.space.as_ref().map(|s| s.name.clone());
                                view! {
                                    <li class="booking">
                                        <p>
                                            {match name {
                                                Some(n) => Either::Left(view! { {move || t_string!(i18n, bookings.feeds.space_feed, name = n.clone()).to_string()} }),
                                                None => Either::Right(view! { {t!(i18n, bookings.feeds.my_feed)} }),
                                            }}
                                        </p>
                                        <ActionForm action=revoke attr:class="inline-actions">
                                            <input type="hidden" name="id" value=id/>
                                            <button type="submit" class="button">{t!(i18n, bookings.feeds.revoke)}</button>
                                        </ActionForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }),
                    Err(e) => Either::Right(view! { <ErrorPanel error=e/> }),
                }
            })}
        </Suspense>
        <ActionForm action=create attr:class="inline-actions">
            <input type="hidden" name="space_id" value=""/>
            <button type="submit" class="button">{t!(i18n, bookings.feeds.create_mine)}</button>
        </ActionForm>
    }
}

/// A feed's secret address, with subscription links; shown once, right after it is made.
#[component]
fn FeedAddress(path: String) -> impl IntoView {
    let i18n = use_i18n();
    let origin = Signal::derive(move || {
        #[cfg(feature = "hydrate")]
        {
            leptos::prelude::window()
                .location()
                .origin()
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            String::new()
        }
    });
    let full = {
        let path = path.clone();
        move || format!("{}{}", origin.get(), path)
    };
    let webcal = {
        let full = full.clone();
        move || {
            full()
                .replacen("https://", "webcal://", 1)
                .replacen("http://", "webcal://", 1)
        }
    };
    let google = {
        let webcal = webcal.clone();
        move || {
            format!(
                "https://calendar.google.com/calendar/r?cid={}",
                percent_encoding::utf8_percent_encode(
                    &webcal(),
                    percent_encoding::NON_ALPHANUMERIC
                )
            )
        }
    };
    view! {
        <div class="notice" role="status">
            <p>{t!(i18n, bookings.feeds.made)}</p>
            <p><code class="feed-url">{full.clone()}</code></p>
            <p>
                <a href=path.clone()>{t!(i18n, bookings.feeds.open)}</a> " · "
                <a href=webcal>{t!(i18n, bookings.feeds.subscribe)}</a> " · "
                <a href=google target="_blank" rel="noopener">"Google Agenda"</a>
            </p>
        </div>
    }
}

/// On a bookable space's page: book it, follow its calendar, see its door display.
#[component]
pub fn SpaceBookingLinks(space_id: i32, code: String) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateFeed>::new();
    let session = expect_context::<crate::routes::Session>();
    let made = Signal::derive(move || create.value().get().and_then(Result::ok));
    view! {
        <section>
            <h2>{t!(i18n, bookings.space.title)}</h2>
            <p>
                <a class="button primary" href=format!("/reserver/nouvelle?space={space_id}")>{t!(i18n, bookings.space.book)}</a>
                " "
                <a class="button" href="/calendrier?vue=semaine">{t!(i18n, bookings.space.calendar)}</a>
                " "
                <a class="button" href=format!("/ecran/{code}")>{t!(i18n, bookings.space.door)}</a>
            </p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    session.user.await.ok().flatten().map(|_| view! {
                        <ActionForm action=create attr:class="inline-actions">
                            <input type="hidden" name="space_id" value=space_id/>
                            <button type="submit" class="button">{t!(i18n, bookings.space.follow)}</button>
                        </ActionForm>
                    })
                })}
            </Transition>
            {move || made.get().and_then(|f| f.path).map(|path| view! { <FeedAddress path/> })}
        </section>
    }
}
