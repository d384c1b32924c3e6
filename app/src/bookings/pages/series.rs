//! A weekly series of bookings, with a preview of each occurrence before booking it.
use super::{query, query_list};
use crate::bookings::api::{BookingFormData, CreateSeries, preview_series};
use crate::bookings::model::{OccurrencePreview, WEEKDAY_CODES};
use crate::components::{ErrorPanel, Field, FormError, Loading, Submit, action_error};
use crate::format;
use crate::i18n::{t, t_string, use_i18n};
use crate::tr;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::Form;

#[component]
pub(super) fn SeriesForm(data: StoredValue<BookingFormData>) -> impl IntoView {
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
    // The address, read once: the page renders once per request.
    let source = (
        data.with_value(|d| d.space.id.to_string()),
        (
            date.get_untracked(),
            start.get_untracked(),
            end.get_untracked(),
            title.get_untracked(),
            attendees.get_untracked(),
        ),
        (
            equipment.get_untracked(),
            organisation.get_untracked(),
            interval.get_untracked(),
            weekdays.get_untracked(),
            until.get_untracked(),
            count.get_untracked(),
        ),
    );
    let preview = Resource::new(
        move || source.clone(),
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
