//! The catalogue of spaces and the page of each space.
use super::api::{get_space, list_spaces};
use super::model::{RateUnit, SpaceCard, SpaceDetail, SpaceKind, SpaceRef};
use crate::components::{ErrorPanel, Loaded, Loading, PageTitle};
use crate::format;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels;
use crate::organisations::model::Tier;
use crate::tr;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

/// "12 personnes", "1 personne".
pub fn people(locale: Locale, n: i32) -> String {
    format::counted(
        locale,
        i64::from(n),
        |count| td_string!(locale, catalogue.people_single, count = count).to_string(),
        |count| td_string!(locale, catalogue.people_several, count = count).to_string(),
    )
}

fn space_count(locale: Locale, n: usize) -> String {
    format::counted(
        locale,
        i64::try_from(n).unwrap_or(i64::MAX),
        |count| td_string!(locale, catalogue.count_single, count = count).to_string(),
        |count| td_string!(locale, catalogue.count_several, count = count).to_string(),
    )
}

#[component]
pub fn CataloguePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &'static str| {
        Signal::derive(move || query.with(|q| q.get(name).unwrap_or_default()))
    };
    let (kind, min_capacity, min_area, max_area) = (
        param("kind"),
        param("min_capacity"),
        param("min_area"),
        param("max_area"),
    );
    // The filters are read once: the page is server HTML, and a source that tracked the
    // address could run again while the request's reactive arena is being disposed.
    let filters = (
        kind.get_untracked(),
        min_capacity.get_untracked(),
        min_area.get_untracked(),
        max_area.get_untracked(),
    );
    let spaces = Resource::new(
        move || filters.clone(),
        |(kind, min_capacity, min_area, max_area)| {
            list_spaces(kind, min_capacity, min_area, max_area)
        },
    );
    let kind_options = move || {
        let locale = i18n.get_locale();
        SpaceKind::ALL
            .into_iter()
            .map(|k| {
                let code = k.code();
                view! { <option value=code selected=move || kind.get() == code>{labels::space_kind(locale, k)}</option> }
            })
            .collect_view()
    };
    view! {
        <PageTitle text=|locale| crate::i18n::td_string!(locale, catalogue.title).to_string()/>
        <section>
            <h1>{t!(i18n, catalogue.title)}</h1>
            <p class="lead">{t!(i18n, catalogue.intro)}</p>
            <Form method="GET" action="" attr:class="filters" attr:aria-label=tr!(i18n, catalogue.filters)>
                <div class="field">
                    <label for="filtre-kind">{t!(i18n, catalogue.kind)}</label>
                    <select id="filtre-kind" name="kind">
                        <option value="" selected=move || kind.get().is_empty()>{t!(i18n, catalogue.all_kinds)}</option>
                        {kind_options}
                    </select>
                </div>
                <div class="field">
                    <label for="filtre-capacity">{t!(i18n, catalogue.min_capacity)}</label>
                    <input id="filtre-capacity" name="min_capacity" type="number" min="0" inputmode="numeric" value=min_capacity/>
                </div>
                <div class="field">
                    <label for="filtre-min-area">{t!(i18n, catalogue.min_area)}</label>
                    <input id="filtre-min-area" name="min_area" type="number" min="0" inputmode="numeric" value=min_area/>
                </div>
                <div class="field">
                    <label for="filtre-max-area">{t!(i18n, catalogue.max_area)}</label>
                    <input id="filtre-max-area" name="max_area" type="number" min="0" inputmode="numeric" value=max_area/>
                </div>
                <div class="filter-actions">
                    <button type="submit" class="button primary">{t!(i18n, catalogue.apply)}</button>
                    <a href="/espaces" class="button">{t!(i18n, catalogue.reset)}</a>
                </div>
            </Form>
            <Loaded resource=spaces then=move |cards| view! { <Results cards/> }/>
        </section>
    }
}

#[component]
fn Results(cards: Vec<SpaceCard>) -> impl IntoView {
    let i18n = use_i18n();
    let count = cards.len();
    let total_area: i64 = cards
        .iter()
        .filter(|c| c.part_of.is_none())
        .map(|c| i64::from(c.area_m2))
        .sum();
    view! {
        <p class="result-count" role="status">
            {move || space_count(i18n.get_locale(), count)}
            " · "
            {move || format::area(total_area, i18n.get_locale())}
        </p>
        {if cards.is_empty() {
            Either::Left(view! { <p class="panel">{t!(i18n, catalogue.none)}</p> })
        } else {
            Either::Right(view! {
                <ul class="cards" aria-label=tr!(i18n, catalogue.results)>
                    {
                        let locale = i18n.get_locale_untracked();
                        cards.into_iter().map(|card| card_view(card, locale)).collect_view()
                    }
                </ul>
            })
        }}
    }
}

/// One space of the catalogue. A plain function with plain text, not a component with
/// reactive text: the page is server HTML, and a hundred cards are rendered on every request.
fn card_view(card: SpaceCard, locale: Locale) -> impl IntoView {
    let href = format!("/espaces/{}", card.id);
    let part_of = card.part_of.map(|parent| {
        format!(
            " · {}",
            td_string!(locale, catalogue.part_of, name = parent)
        )
    });
    let chips = (!card.equipment.is_empty()).then(|| {
        view! {
            <p class="chips">
                {card
                    .equipment
                    .iter()
                    .map(|e| view! { <span class="chip">{labels::equipment(locale, *e)}</span> })
                    .collect_view()}
            </p>
        }
    });
    view! {
        <li class="card">
            <h2><a href=href>{card.name}</a></h2>
            <p class="kind">{labels::space_kind(locale, card.kind)}{part_of}</p>
            <p class="figures">
                <span>{format::area(i64::from(card.area_m2), locale)}</span>
                <span>{people(locale, card.capacity)}</span>
            </p>
            {chips}
        </li>
    }
}

#[component]
pub fn SpacePage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let space = Resource::new(move || id.clone(), get_space);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match space.await {
                    Ok(space) => Either::Left(view! { <Space space/> }),
                    Err(e) => Either::Right(view! { <ErrorPanel error=e/> <p><a href="/espaces">{back_label()}</a></p> }),
                }
            })}
        </Suspense>
    }
}

fn back_label() -> impl IntoView {
    let i18n = use_i18n();
    t!(i18n, catalogue.back)
}

fn space_links(spaces: Vec<SpaceRef>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="links">
            {spaces
                .into_iter()
                .map(|s| {
                    let (area, capacity) = (s.area_m2, s.capacity);
                    view! {
                        <li>
                            <a href=format!("/espaces/{}", s.id)>{s.name}</a>
                            " · "
                            {move || format::area(i64::from(area), i18n.get_locale())}
                            " · "
                            {move || people(i18n.get_locale(), capacity)}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Space(space: SpaceDetail) -> impl IntoView {
    let i18n = use_i18n();
    let kind = space.kind;
    let (area, capacity) = (space.area_m2, space.capacity);
    let name = space.name.clone();
    let units = space.rate_units();
    let equipment = space.equipment.clone();
    let parts = space.parts.clone();
    let part_of = space.part_of.clone();
    view! {
        <leptos_meta::Title text=name.clone()/>
        <article class="space">
            <p><a href="/espaces">{t!(i18n, catalogue.back)}</a></p>
            <h1>{name}</h1>
            <p class="kind">{move || labels::space_kind(i18n.get_locale(), kind)} " · " <span class="code">{space.code.clone()}</span></p>
            {(!space.description.is_empty()).then(|| view! { <p class="lead">{space.description.clone()}</p> })}
            <dl class="facts">
                <dt>{t!(i18n, space.area)}</dt>
                <dd>{move || format::area(i64::from(area), i18n.get_locale())}</dd>
                <dt>{t!(i18n, space.capacity)}</dt>
                <dd>{move || people(i18n.get_locale(), capacity)}</dd>
            </dl>
            {part_of.map(|parent| view! {
                <section>
                    <h2>{t!(i18n, space.part_of)}</h2>
                    {space_links(vec![parent])}
                </section>
            })}
            {(!parts.is_empty()).then(|| view! {
                <section>
                    <h2>{t!(i18n, space.parts)}</h2>
                    {space_links(parts)}
                    <p class="hint">{t!(i18n, space.parts_hint)}</p>
                </section>
            })}
            <section>
                <h2>{t!(i18n, space.equipment)}</h2>
                {if equipment.is_empty() {
                    Either::Left(view! { <p class="muted">{t!(i18n, space.no_equipment)}</p> })
                } else {
                    Either::Right(view! {
                        <ul class="chips">
                            {move || {
                                let locale = i18n.get_locale();
                                equipment.iter().map(|e| view! { <li class="chip">{labels::equipment(locale, *e)}</li> }).collect_view()
                            }}
                        </ul>
                    })
                }}
            </section>
            {space.bookable.then(|| view! { <crate::bookings::pages::SpaceBookingLinks space_id=space.id code=space.code.clone()/> })}
            <section>
                <h2>{t!(i18n, space.prices)}</h2>
                {if units.is_empty() {
                    Either::Left(view! { <p class="muted">{t!(i18n, space.not_rentable)}</p> })
                } else {
                    Either::Right(view! { <PriceTable space=space.clone() units/> })
                }}
            </section>
        </article>
    }
}

#[component]
fn PriceTable(space: SpaceDetail, units: Vec<RateUnit>) -> impl IntoView {
    let i18n = use_i18n();
    let vat_rates: Vec<i32> = {
        let mut v: Vec<i32> = space.rates.iter().map(|r| r.vat_rate_bp).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    view! {
        <div class="table-wrap">
            <table class="prices">
                <caption>{t!(i18n, space.prices_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, space.unit)}</th>
                        {Tier::ALL
                            .into_iter()
                            .map(|tier| view! { <th scope="col">{move || labels::tier(i18n.get_locale(), tier)}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {units
                        .into_iter()
                        .map(|unit| {
                            let cells = Tier::ALL
                                .into_iter()
                                .map(|tier| {
                                    let amount = space.rate(tier, unit).map(|r| r.amount_cents);
                                    view! {
                                        <td class="amount">
                                            {move || match amount {
                                                Some(cents) => format::money(cents, i18n.get_locale()),
                                                None => "—".to_owned(),
                                            }}
                                        </td>
                                    }
                                })
                                .collect_view();
                            view! {
                                <tr>
                                    <th scope="row">{move || labels::rate_unit(i18n.get_locale(), unit)}</th>
                                    {cells}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="hint">
            {move || {
                let locale = i18n.get_locale();
                let rates = vat_rates.iter().map(|bp| format::percent_bp(*bp, locale)).collect::<Vec<_>>().join(", ");
                t_string!(i18n, space.vat_note, rates = rates).to_string()
            }}
        </p>
    }
}
