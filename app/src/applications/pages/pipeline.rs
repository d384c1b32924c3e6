//! The managers' pipeline: every application by status, with the counts, and the waiting list.
use super::{applications_table, status_label};
use crate::applications::api::{Pipeline, application_pipeline};
use crate::components::{Loaded, PageTitle};
use crate::i18n::{t, td_string, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    let status = use_query_map().with_untracked(|q| q.get("statut").unwrap_or_default());
    let data = Resource::new(move || status.clone(), application_pipeline);
    view! {
        <PageTitle text=|locale| td_string!(locale, applications.pipeline.title).to_string()/>
        <Loaded resource=data then={move |p: Pipeline| view! { <PipelineView p/> }}/>
    }
}

#[component]
fn PipelineView(p: Pipeline) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let total: u32 = p.counts.iter().map(|(_, n)| n).sum();
    let chosen = p.status;
    let caption = match chosen {
        Some(s) => status_label(locale, s),
        None => td_string!(locale, applications.pipeline.all).to_string(),
    };
    let empty = p.applications.is_empty();
    let waiting_empty = p.waiting.is_empty();
    view! {
        <section>
            <h1>{t!(i18n, applications.pipeline.title)}</h1>
            <p class="lead">{t!(i18n, applications.pipeline.intro)}</p>
            <p>
                <a class="button secondary" href="/gestion/visites">{t!(i18n, applications.visits.title)}</a> " "
                <a class="button secondary" href="/gestion/comites">{t!(i18n, applications.committees.title)}</a> " "
                <a class="button secondary" href="/candidater">{t!(i18n, applications.pipeline.form)}</a>
            </p>
            <nav aria-label=td_string!(locale, applications.pipeline.filter).to_string()>
                <ul class="tabs">
                    <li><a href="/gestion/candidatures" aria-current=chosen.is_none().then_some("page")>{format!("{} ({total})", td_string!(locale, applications.pipeline.all))}</a></li>
                    {p.counts.iter().map(|&(s, n)| view! {
                        <li><a href=format!("/gestion/candidatures?statut={}", s.code()) aria-current=(chosen == Some(s)).then_some("page")>{format!("{} ({n})", status_label(locale, s))}</a></li>
                    }).collect_view()}
                </ul>
            </nav>
            {empty.then(|| view! { <p>{t!(i18n, applications.pipeline.none)}</p> })}
            {(!empty).then(|| applications_table(p.applications.clone(), locale, caption, false))}
            <h2 id="attente">{t!(i18n, applications.pipeline.waiting)}</h2>
            {waiting_empty.then(|| view! { <p>{t!(i18n, applications.pipeline.waiting_none)}</p> })}
            {(!waiting_empty).then(|| applications_table(p.waiting.clone(), locale, td_string!(locale, applications.pipeline.waiting).to_string(), true))}
        </section>
    }
}
