//! The managers' occupancy dashboard: a month and the months before it, the next twelve from
//! signed leases and notices, the units that free up, and the rooms' use beside them. Plain
//! HTML: the range is a GET form, the trends are SVG drawn on the server, and every table
//! links to its CSV.
use crate::components::{Loaded, PageTitle};
use crate::format;
use crate::hosting::api::get_occupancy;
use crate::hosting::model::{MonthFigures, Occupancy, RANGES};
use crate::hosting::report::{self, Cell, TableKind};
use crate::i18n::{Locale, t, td_string, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OccupancyPage() -> impl IntoView {
    let asked = use_query_map().with_untracked(|q| {
        (
            q.get("mois").unwrap_or_default(),
            q.get("sur").unwrap_or_default(),
        )
    });
    let data = Resource::new(move || asked.clone(), |(m, n)| get_occupancy(m, n));
    view! {
        <PageTitle text=|locale| td_string!(locale, hosting.occupancy.title).to_string()/>
        <Loaded resource=data then={move |o: Occupancy| view! { <Dashboard o/> }}/>
    }
}

#[component]
fn Dashboard(o: Occupancy) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let range = o.range;
    let query = format!("mois={}&sur={}", range.month_param(), range.count);
    let month_name = format::month_year(range.year, range.month, locale);
    let key = o.months.last().map(|m| key_figures(m, locale));
    let tables = |kinds: &[TableKind]| {
        kinds
            .iter()
            .map(|&k| table_view(report::table(&o, k, locale), &query, locale))
            .collect_view()
    };
    let month_tables = tables(&[TableKind::Month]);
    let trend_tables = tables(&[TableKind::Trend]);
    let forecast_tables = tables(&[
        TableKind::Forecast,
        TableKind::Vacancies,
        TableKind::Arrivals,
    ]);
    let waiting_tables = tables(&[TableKind::Waiting]);
    let room_tables = tables(&[TableKind::Rooms]);
    let chart = |svg: String, caption: String| {
        (!svg.is_empty()).then(|| {
            view! {
                <figure class="chart">
                    <div inner_html=svg></div>
                    <figcaption>{caption}</figcaption>
                </figure>
            }
        })
    };
    let trend_chart = chart(
        o.chart_svg.clone(),
        td_string!(locale, hosting.occupancy.chart_caption).to_string(),
    );
    let forecast_chart = chart(
        o.forecast_svg.clone(),
        td_string!(locale, hosting.occupancy.forecast_caption).to_string(),
    );
    let month_heading =
        td_string!(locale, hosting.occupancy.month_heading, month = month_name).to_string();
    let trend_heading =
        td_string!(locale, hosting.occupancy.trend_heading, n = range.count).to_string();
    let rooms_heading = td_string!(
        locale,
        hosting.occupancy.rooms_heading,
        month = format::month_year(range.year, range.month, locale)
    )
    .to_string();
    view! {
        <section class="dashboard">
            <h1>{t!(i18n, hosting.occupancy.title)}</h1>
            <p class="lead">{t!(i18n, hosting.occupancy.intro)}</p>
            <form method="get" action="/gestion/occupation" class="inline-form">
                <div class="field">
                    <label for="champ-mois">{t!(i18n, hosting.occupancy.month_field)}</label>
                    <input id="champ-mois" type="month" name="mois" value=range.month_param() required/>
                </div>
                <div class="field">
                    <label for="champ-sur">{t!(i18n, hosting.occupancy.range_field)}</label>
                    <select id="champ-sur" name="sur">
                        {RANGES.iter().map(|&n| {
                            let label = td_string!(locale, hosting.occupancy.range_option, n = n).to_string();
                            view! { <option value=n.to_string() selected=n == range.count>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button secondary">{t!(i18n, hosting.occupancy.show)}</button>
            </form>
            <h2>{month_heading}</h2>
            {key}
            {month_tables}
            <h2>{trend_heading}</h2>
            {trend_chart}
            {trend_tables}
            <h2>{t!(i18n, hosting.occupancy.forecast_heading)}</h2>
            <p>{t!(i18n, hosting.occupancy.forecast_intro)}</p>
            {forecast_chart}
            {forecast_tables}
            <h2 id="attente">{t!(i18n, hosting.occupancy.waiting_heading)}</h2>
            <p><a href="/gestion/candidatures">{t!(i18n, hosting.occupancy.applications_link)}</a></p>
            {waiting_tables}
            <h2>{rooms_heading}</h2>
            {room_tables}
        </section>
    }
}

/// The month's headline figures.
fn key_figures(m: &MonthFigures, locale: Locale) -> impl IntoView + use<> {
    let units: i64 = m.kinds.iter().map(|k| k.leasable_units).sum();
    let let_units: i64 = m.kinds.iter().map(|k| k.let_units_milli).sum();
    let capacity: i64 = m.kinds.iter().map(|k| k.capacity).sum();
    let or_dash = |v: Option<i64>| v.map_or("—".to_string(), |c| format::money(c, locale));
    let facts = [
        (
            td_string!(locale, hosting.occupancy.units_share).to_string(),
            format::share(let_units, units, locale),
        ),
        (
            td_string!(locale, hosting.occupancy.area_share).to_string(),
            format::share(m.let_m2_milli(), m.leasable_m2(), locale),
        ),
        (
            td_string!(locale, hosting.occupancy.people_hosted).to_string(),
            td_string!(
                locale,
                hosting.occupancy.people_of,
                people = format::tenths(m.people_milli(), locale),
                capacity = capacity
            )
            .to_string(),
        ),
        (
            td_string!(locale, hosting.occupancy.revenue_month).to_string(),
            format::money(m.revenue_cents(), locale),
        ),
        (
            td_string!(locale, hosting.occupancy.per_workstation_month).to_string(),
            or_dash(m.revenue_per_workstation()),
        ),
        (
            td_string!(locale, hosting.occupancy.per_m2_month).to_string(),
            or_dash(m.revenue_per_m2()),
        ),
        (
            td_string!(locale, hosting.occupancy.attainment_month).to_string(),
            m.list_attainment_permille()
                .map_or("—".to_string(), |p| format::share(p, 1, locale)),
        ),
    ];
    view! {
        <dl class="facts key-figures">
            {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
        </dl>
    }
}

fn table_view(t: report::Table, query: &str, locale: Locale) -> impl IntoView + use<> {
    let caption = match t.kind {
        TableKind::Month => td_string!(locale, hosting.occupancy.month_caption),
        TableKind::Trend => td_string!(locale, hosting.occupancy.trend_caption),
        TableKind::Forecast => td_string!(locale, hosting.occupancy.forecast_table_caption),
        TableKind::Vacancies => td_string!(locale, hosting.occupancy.vacancies_caption),
        TableKind::Arrivals => td_string!(locale, hosting.occupancy.arrivals_caption),
        TableKind::Waiting => td_string!(locale, hosting.occupancy.waiting_caption),
        TableKind::Rooms => td_string!(locale, hosting.occupancy.rooms_caption),
    }
    .to_string();
    let csv = format!("/gestion/occupation/{}.csv?{query}", t.kind.slug());
    let csv_label = td_string!(locale, hosting.occupancy.csv, table = caption.clone()).to_string();
    let empty = t.rows.is_empty().then(|| {
        let cols = t.headers.len().to_string();
        view! { <tr><td colspan=cols>{td_string!(locale, hosting.occupancy.none).to_string()}</td></tr> }
    });
    view! {
        <div class="table-wrap">
            <table>
                <caption>{caption}</caption>
                <thead>
                    <tr>{t.headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {empty}
                    {t.rows.into_iter().map(|row| view! {
                        <tr>
                            {row.into_iter().enumerate().map(|(i, c)| match (i, c) {
                                (0, c) => view! { <th scope="row">{c.text().to_string()}</th> }.into_any(),
                                (_, Cell::Number(s)) => view! { <td class="number">{s}</td> }.into_any(),
                                (_, Cell::Text(s)) => view! { <td>{s}</td> }.into_any(),
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="export"><a href=csv download>{csv_label}</a></p>
    }
}
