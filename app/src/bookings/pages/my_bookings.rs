//! My bookings (with the monthly summary of included hours) and the page of one booking.
use super::book::BookingFields;
use super::{query, quote_text, slot_text, status_label};
use crate::bookings::api::{CancelBooking, ChangeBooking, get_booking, list_my_bookings};
use crate::bookings::model::{BookingStatus, BookingView, MonthSummary, format_minute};
use crate::components::{ErrorPanel, FormError, Loaded, Loading, PageTitle, Submit, action_error};
use crate::format;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::tr;
use chrono::NaiveDate;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

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
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let booking = Resource::new(move || id.clone(), get_booking);
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
