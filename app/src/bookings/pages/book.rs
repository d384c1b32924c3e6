//! The booking form: one booking, its fields, equipment and the organisation it is for.
use super::query;
use super::series::SeriesForm;
use super::slot_preview::{Asked, FORM_ID, SlotAnswer};
use crate::bookings::api::{BookingFormData, CreateBooking, load_booking_form};
use crate::components::{Field, FormError, Loaded, PageTitle, Submit, action_error};
use crate::error::AppError;
use crate::format;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::labels;
use crate::spaces::model::Equipment;
use crate::tr;
use leptos::prelude::*;

#[component]
pub fn NewBookingPage() -> impl IntoView {
    let space = query("space");
    let space = space.get_untracked();
    let data = Resource::new(move || space.clone(), load_booking_form);
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
            <ActionForm action=create attr:id=FORM_ID attr:novalidate=true attr:class="stack">
                <FormError error fields=&["date", "start", "end", "title", "attendees", "equipment", "organisation_id"]/>
                <input type="hidden" name="space_id" value=space_id.clone()/>
                <BookingFields date start end title attendees error/>
                <SlotAnswer asked=Asked {
                    space_id: data.with_value(|d| d.space.id),
                    date: date.get_untracked(),
                    start: start.get_untracked(),
                    end: end.get_untracked(),
                    attendees: attendees.get_untracked(),
                    organisation_id: data.with_value(first_organisation),
                }/>
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

/// The organisation a manager's form starts on (the list's first), none for a tenant.
fn first_organisation(d: &BookingFormData) -> String {
    if d.is_manager {
        d.organisations
            .first()
            .map(|o| o.id.to_string())
            .unwrap_or_default()
    } else {
        String::new()
    }
}

/// Date, times, title and number of people, shared by booking and changing.
#[component]
pub(super) fn BookingFields(
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
