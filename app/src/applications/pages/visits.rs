//! Visit slots: managers open them, and see who booked each.
use super::when;
use crate::applications::api::{OpenVisitSlot, SlotRow, visit_slots};
use crate::components::{Field, FormError, Loaded, PageTitle, Submit, action_error};
use crate::i18n::{t, td_string, use_i18n};
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn VisitsPage() -> impl IntoView {
    let opened = use_query_map().with_untracked(|q| q.get("ouvert").is_some());
    let rows = Resource::new(|| (), |_| visit_slots());
    let i18n = use_i18n();
    let open = ServerAction::<OpenVisitSlot>::new();
    let error = action_error(open);
    view! {
        <PageTitle text=|locale| td_string!(locale, applications.visits.title).to_string()/>
        <section>
            <p><a href="/gestion/candidatures">{t!(i18n, applications.pipeline.title)}</a></p>
            <h1>{t!(i18n, applications.visits.title)}</h1>
            <p class="lead">{t!(i18n, applications.visits.intro)}</p>
            {opened.then(|| view! { <p class="notice" role="status">{t!(i18n, applications.visits.opened)}</p> })}
            <Loaded resource=rows then={move |rows: Vec<SlotRow>| {
                let locale = i18n.get_locale_untracked();
                let empty = rows.is_empty();
                view! {
                    {empty.then(|| view! { <p>{t!(i18n, applications.visits.none)}</p> })}
                    {(!empty).then(|| view! {
                        <div class="table-wrap">
                            <table>
                                <caption>{t!(i18n, applications.visits.to_come)}</caption>
                                <thead><tr>
                                    <th scope="col">{t!(i18n, applications.visits.when)}</th>
                                    <th scope="col">{t!(i18n, applications.visits.places)}</th>
                                    <th scope="col">{t!(i18n, applications.visits.booked_by)}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr>
                                            <th scope="row">{when(r.slot.starts_at, locale)} "–" {r.slot.ends_at.format("%H:%M").to_string()}</th>
                                            <td class="number">{format!("{} / {}", r.slot.booked, r.slot.capacity)}</td>
                                            <td>{r.booked_by.into_iter().map(|(id, name)| view! { <a href=format!("/candidatures/{id}")>{name}</a> " " }).collect_view()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })}
                }
            }}/>
            <h2>{t!(i18n, applications.visits.open)}</h2>
            <ActionForm action=open attr:novalidate=true attr:class="stack">
                <FormError error fields=&["day", "start", "minutes", "capacity"]/>
                <div class="row">
                    <Field label=tr!(i18n, applications.visits.day) name="day" input_type="date" required=true error/>
                    <Field label=tr!(i18n, applications.visits.start) name="start" input_type="time" required=true error/>
                </div>
                <div class="row">
                    <Field label=tr!(i18n, applications.visits.minutes) name="minutes" input_type="number" min="15" value=Signal::stored("60".to_owned()) error/>
                    <Field label=tr!(i18n, applications.visits.capacity) name="capacity" input_type="number" min="1" value=Signal::stored("4".to_owned()) error/>
                </div>
                <Submit label=tr!(i18n, applications.visits.open_submit) pending=open.pending()/>
            </ActionForm>
        </section>
    }
}
