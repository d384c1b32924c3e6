//! Searching for a free room.
use super::{SEARCHABLE, booking_link, query, query_list, quote_text};
use crate::bookings::api::search_free;
use crate::bookings::model::FreeSpace;
use crate::components::{ErrorPanel, Loading, PageTitle};
use crate::format;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::labels;
use crate::tr;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_router::components::Form;

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
    // The address, read once: the page renders once per request.
    let source = (
        date.get_untracked(),
        start.get_untracked(),
        end.get_untracked(),
        attendees.get_untracked(),
        equipment.get_untracked(),
    );
    let results = Resource::new(
        move || source.clone(),
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
                            crate::bookings::model::parse_date(&date.get(), "date"),
                            crate::bookings::model::parse_time(&start.get(), "start"),
                            crate::bookings::model::parse_time(&end.get(), "end"),
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
