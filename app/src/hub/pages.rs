//! The home page: the hub's five functions, with figures read from the database.
use super::api::load_hub_figures;
use super::model::HubFigures;
use crate::components::{Loaded, PageTitle};
use crate::format;
use crate::i18n::{t, t_string, use_i18n};
use crate::labels;
use crate::tr;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let figures = Resource::new(|| (), |_| load_hub_figures());
    view! {
        <PageTitle text=|locale| crate::i18n::td_string!(locale, home.title).to_string()/>
        <section class="hero">
            <h1>{t!(i18n, home.heading)}</h1>
            <p class="lead">{t!(i18n, home.intro)}</p>
            <p><a href="/espaces" class="button primary">{t!(i18n, home.browse)}</a></p>
        </section>
        <Loaded resource=figures then=move |f| view! { <Functions f/> }/>
    }
}

#[component]
fn Functions(f: HubFigures) -> impl IntoView {
    let i18n = use_i18n();
    let f = StoredValue::new(f);
    let area =
        move |m2: fn(&HubFigures) -> i64| move || format::area(f.with_value(m2), i18n.get_locale());
    let int = move |n: fn(&HubFigures) -> u64| {
        move || {
            format::integer(
                i64::try_from(f.with_value(n)).unwrap_or(i64::MAX),
                i18n.get_locale(),
            )
        }
    };
    view! {
        <section class="key-figures" aria-label=tr!(i18n, home.figures)>
            <p><strong>{area(|f| f.built_area_m2)}</strong> <span>{t!(i18n, home.built_area)}</span></p>
            <p><strong>{int(|f| f.spaces)}</strong> <span>{t!(i18n, home.spaces)}</span></p>
            <p><strong>{int(|f| f.organisations_hosted)}</strong> <span>{t!(i18n, home.organisations_hosted)}</span></p>
            <p><strong>{int(|f| f.members)}</strong> <span>{t!(i18n, home.members)}</span></p>
        </section>
        <section class="functions">
            <h2 class="visually-hidden">{t!(i18n, home.functions)}</h2>
            <article class="function">
                <h3>{t!(i18n, home.hosting)}</h3>
                <p>{t!(i18n, home.hosting_text)}</p>
                <ul>
                    <li>{move || t_string!(i18n, home.offices, count = int(|f| f.offices)()).to_string()}</li>
                    <li>{move || t_string!(i18n, home.desks, count = int(|f| f.desks)()).to_string()}</li>
                    <li>{move || t_string!(i18n, home.hosting_area, area = area(|f| f.hosting_area_m2)()).to_string()}</li>
                    <li>
                        {move || {
                            t_string!(i18n, home.storage, count = int(|f| f.storage_units)(), area = area(|f| f.storage_area_m2)())
                                .to_string()
                        }}
                    </li>
                </ul>
                <p><a href="/espaces?kind=office">{t!(i18n, home.see_offices)}</a></p>
            </article>
            <article class="function">
                <h3>{t!(i18n, home.events)}</h3>
                <p>{t!(i18n, home.events_text)}</p>
                <ul>
                    <li>{move || t_string!(i18n, home.event_area, area = area(|f| f.event_area_m2)()).to_string()}</li>
                    <li>{move || t_string!(i18n, home.hall, area = area(|f| f.hall_area_m2)()).to_string()}</li>
                    <li>{move || t_string!(i18n, home.meeting_rooms, count = int(|f| f.meeting_rooms)()).to_string()}</li>
                </ul>
                <p><a href="/espaces?kind=meeting_room">{t!(i18n, home.see_rooms)}</a></p>
            </article>
            <article class="function">
                <h3>{t!(i18n, home.canteen)}</h3>
                <p>{t!(i18n, home.canteen_text)}</p>
                <ul>
                    <li>{move || t_string!(i18n, home.canteen_area, area = area(|f| f.canteen_area_m2)()).to_string()}</li>
                </ul>
            </article>
            <article class="function">
                <h3>{t!(i18n, home.shop)}</h3>
                <p>{t!(i18n, home.shop_text)}</p>
                <ul>
                    <li>{move || t_string!(i18n, home.shop_area, area = area(|f| f.shop_area_m2)()).to_string()}</li>
                </ul>
            </article>
            <article class="function">
                <h3>{t!(i18n, home.incubator)}</h3>
                <p>{t!(i18n, home.incubator_text)}</p>
            </article>
        </section>
        <section class="diversity">
            <h2>{t!(i18n, home.diversity)}</h2>
            <p>{t!(i18n, home.diversity_text)}</p>
            <div class="two-columns">
                <div>
                    <h3>{t!(i18n, home.by_legal_form)}</h3>
                    <ul class="tally">
                        {move || {
                            let locale = i18n.get_locale();
                            f.with_value(|f| {
                                f.by_legal_form
                                    .iter()
                                    .map(|(form, n)| view! { <li><span>{labels::legal_form(locale, *form)}</span> <strong>{*n}</strong></li> })
                                    .collect_view()
                            })
                        }}
                    </ul>
                </div>
                <div>
                    <h3>{t!(i18n, home.by_sector)}</h3>
                    <ul class="tally">
                        {move || {
                            let locale = i18n.get_locale();
                            f.with_value(|f| {
                                f.by_sector
                                    .iter()
                                    .map(|(sector, n)| view! { <li><span>{labels::sector(locale, *sector)}</span> <strong>{*n}</strong></li> })
                                    .collect_view()
                            })
                        }}
                    </ul>
                </div>
            </div>
        </section>
    }
}
