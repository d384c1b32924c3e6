//! Committee sessions: the list, a new session, and the diversity targets the panel checks.
use super::when;
use crate::applications::api::{CreateCommittee, SetDiversityTargets, committees};
use crate::applications::model::{CommitteesPage as Data, target_parts};
use crate::components::{Field, FormError, Loaded, PageTitle, Submit, action_error};
use crate::i18n::{t, td_string, use_i18n};
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CommitteesPage() -> impl IntoView {
    let saved = use_query_map().with_untracked(|q| q.get("cibles").is_some());
    let data = Resource::new(|| (), |_| committees());
    view! {
        <PageTitle text=|locale| td_string!(locale, applications.committees.title).to_string()/>
        <Loaded resource=data then={move |d: Data| view! { <CommitteesView d saved/> }}/>
    }
}

#[component]
fn CommitteesView(d: Data, saved: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let create = ServerAction::<CreateCommittee>::new();
    let create_error = action_error(create);
    let set = ServerAction::<SetDiversityTargets>::new();
    let set_error = action_error(set);
    let value = |kind: &str| {
        d.targets
            .iter()
            .map(|t| target_parts(*t))
            .find(|(k, _)| *k == kind)
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    };
    let (max_form, max_sector, min_sectors, min_forms) = (
        value("max_legal_form_percent"),
        value("max_sector_percent"),
        value("min_sectors"),
        value("min_legal_forms"),
    );
    let empty = d.sessions.is_empty();
    view! {
        <section>
            <p><a href="/gestion/candidatures">{t!(i18n, applications.pipeline.title)}</a></p>
            <h1>{t!(i18n, applications.committees.title)}</h1>
            <p class="lead">{t!(i18n, applications.committees.intro)}</p>
            {empty.then(|| view! { <p>{t!(i18n, applications.committees.none)}</p> })}
            {(!empty).then(|| view! {
                <div class="table-wrap">
                    <table>
                        <caption>{t!(i18n, applications.committees.sessions)}</caption>
                        <thead><tr>
                            <th scope="col">{t!(i18n, applications.committees.when)}</th>
                            <th scope="col">{t!(i18n, applications.committees.place)}</th>
                            <th scope="col">{t!(i18n, applications.committees.agenda)}</th>
                        </tr></thead>
                        <tbody>
                            {d.sessions.iter().map(|s| view! {
                                <tr>
                                    <th scope="row"><a href=format!("/gestion/comites/{}", s.id)>{when(s.meets_at, locale)}</a></th>
                                    <td>{s.place.clone()}</td>
                                    <td>{td_string!(locale, applications.committees.decided, decided = s.decided, items = s.items).to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            <h2>{t!(i18n, applications.committees.new)}</h2>
            <ActionForm action=create attr:novalidate=true attr:class="stack">
                <FormError error=create_error fields=&["day", "time", "place"]/>
                <div class="row">
                    <Field label=tr!(i18n, applications.visits.day) name="day" input_type="date" required=true error=create_error/>
                    <Field label=tr!(i18n, applications.visits.start) name="time" input_type="time" required=true value=Signal::stored("14:00".to_owned()) error=create_error/>
                </div>
                <Field label=tr!(i18n, applications.committees.place) name="place" required=true error=create_error/>
                <Submit label=tr!(i18n, applications.committees.create) pending=create.pending()/>
            </ActionForm>
            <h2 id="cibles">{t!(i18n, applications.committees.targets)}</h2>
            <p class="hint">{t!(i18n, applications.committees.targets_hint)}</p>
            {saved.then(|| view! { <p class="notice" role="status">{t!(i18n, applications.committees.targets_saved)}</p> })}
            <ActionForm action=set attr:novalidate=true attr:class="stack">
                <FormError error=set_error fields=&["max_legal_form_percent", "max_sector_percent", "min_sectors", "min_legal_forms"]/>
                <div class="row">
                    <Field label=tr!(i18n, applications.targets.max_legal_form_percent) name="max_legal_form_percent" input_type="number" min="1" value=Signal::stored(max_form) error=set_error/>
                    <Field label=tr!(i18n, applications.targets.max_sector_percent) name="max_sector_percent" input_type="number" min="1" value=Signal::stored(max_sector) error=set_error/>
                </div>
                <div class="row">
                    <Field label=tr!(i18n, applications.targets.min_sectors) name="min_sectors" input_type="number" min="1" value=Signal::stored(min_sectors) error=set_error/>
                    <Field label=tr!(i18n, applications.targets.min_legal_forms) name="min_legal_forms" input_type="number" min="1" value=Signal::stored(min_forms) error=set_error/>
                </div>
                <Submit label=tr!(i18n, applications.committees.targets_submit) pending=set.pending()/>
            </ActionForm>
        </section>
    }
}
