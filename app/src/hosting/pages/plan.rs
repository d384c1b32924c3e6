//! The floor plan: each office, desk and storage unit of a floor drawn where it is, coloured by
//! its status today (free, let, notice given, promised), each a link to what holds it. The plan
//! is SVG written from the layout data, so it shows and prints without WebAssembly; a table
//! beside it says the same in words. Managers place or move a unit with a form.
use crate::components::{Field, FormError, Loaded, PageTitle, SelectField, action_error};
use crate::format;
use crate::hosting::api::{PlaceUnit, get_floor_plan};
use crate::hosting::model::{FloorPlan, PlanStatus, PlanUnit};
use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::labels;
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn FloorPlanPage() -> impl IntoView {
    let (floor, placed) = use_query_map()
        .with_untracked(|q| (q.get("etage").unwrap_or_default(), q.get("place").is_some()));
    let plan = Resource::new(move || floor.clone(), get_floor_plan);
    view! {
        <PageTitle text=|locale| td_string!(locale, hosting.plan.title).to_string()/>
        <Loaded resource=plan then={move |p: FloorPlan| view! { <PlanView p placed/> }}/>
    }
}

pub(crate) fn status_text(locale: Locale, u: &PlanUnit) -> String {
    let holder = u.holder.clone().unwrap_or_default();
    match u.status {
        PlanStatus::Free => td_string!(locale, hosting.plan.free).to_string(),
        PlanStatus::Let => {
            td_string!(locale, hosting.plan.let_to, organisation = holder).to_string()
        }
        PlanStatus::Notice => match u.free_from {
            Some(day) => td_string!(
                locale,
                hosting.plan.notice,
                organisation = holder,
                day = format::date(day, locale)
            )
            .to_string(),
            None => td_string!(locale, hosting.plan.let_to, organisation = holder).to_string(),
        },
        PlanStatus::Promised => {
            td_string!(locale, hosting.plan.promised, organisation = holder).to_string()
        }
    }
}

fn status_name(locale: Locale, s: PlanStatus) -> String {
    match s {
        PlanStatus::Free => td_string!(locale, hosting.plan.legend_free),
        PlanStatus::Let => td_string!(locale, hosting.plan.legend_let),
        PlanStatus::Notice => td_string!(locale, hosting.plan.legend_notice),
        PlanStatus::Promised => td_string!(locale, hosting.plan.legend_promised),
    }
    .to_string()
}

/// Where a unit opens: its lease, the application it is promised to, or its page.
fn unit_href(u: &PlanUnit) -> String {
    match (u.lease_id, u.application_id) {
        (Some(l), _) => format!("/baux/{l}"),
        (None, Some(a)) => format!("/candidatures/{a}"),
        _ => format!("/espaces/{}", u.id),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The floor as SVG: one linked rectangle per unit, its number inside, its status in its title.
fn plan_svg(p: &FloorPlan, locale: Locale) -> String {
    let width = p.units.iter().map(|u| u.x + u.width).max().unwrap_or(100) + 10;
    let height = p.units.iter().map(|u| u.y + u.height).max().unwrap_or(100) + 10;
    let label = escape(&td_string!(locale, hosting.plan.svg_label, floor = p.floor).to_string());
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="plan" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">"#
    );
    for u in &p.units {
        let number = u.code.rsplit('-').next().unwrap_or(&u.code);
        let title = escape(&format!(
            "{} · {} · {}",
            u.name,
            format::area(i64::from(u.area_m2), locale),
            status_text(locale, u)
        ));
        let size = (u.width.min(u.height) / 3).clamp(6, 16);
        svg.push_str(&format!(
            r#"<a href="{href}" id="lot-{id}"><title>{title}</title><rect class="unit {status}" x="{x}" y="{y}" width="{w}" height="{h}" rx="1"/><text x="{tx}" y="{ty}" font-size="{size}" text-anchor="middle" dominant-baseline="central">{number}</text></a>"#,
            href = unit_href(u),
            id = u.id,
            status = u.status.code(),
            x = u.x,
            y = u.y,
            w = u.width,
            h = u.height,
            tx = u.x + u.width / 2,
            ty = u.y + u.height / 2,
            number = escape(number),
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[component]
fn PlanView(p: FloorPlan, placed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let svg = plan_svg(&p, locale);
    let counts: Vec<(PlanStatus, usize)> = PlanStatus::ALL
        .into_iter()
        .map(|s| (s, p.units.iter().filter(|u| u.status == s).count()))
        .collect();
    let place = ServerAction::<PlaceUnit>::new();
    let error = action_error(place);
    let units: Vec<(String, String)> = p
        .all_units
        .iter()
        .map(|u| (u.id.to_string(), u.name.clone()))
        .collect();
    let floor = p.floor;
    view! {
        <section>
            <h1>{t!(i18n, hosting.plan.title)}</h1>
            <p class="lead">{t!(i18n, hosting.plan.intro)}</p>
            {placed.then(|| view! { <p class="notice" role="status">{t!(i18n, hosting.plan.placed)}</p> })}
            <nav aria-label=td_string!(locale, hosting.plan.floors).to_string()>
                <ul class="tabs">
                    {p.floors.iter().map(|&f| view! {
                        <li><a href=format!("/gestion/plan?etage={f}") aria-current=(f == floor).then_some("page")>{floor_name(f, locale)}</a></li>
                    }).collect_view()}
                </ul>
            </nav>
            <ul class="legend">
                {counts.into_iter().map(|(s, n)| view! {
                    <li><span class=format!("swatch {}", s.code()) aria-hidden="true"></span>{format!("{} ({n})", status_name(locale, s))}</li>
                }).collect_view()}
            </ul>
            <figure class="plan-figure">
                <div inner_html=svg></div>
                <figcaption>{floor_name(floor, locale)}</figcaption>
            </figure>
            <details>
                <summary>{t!(i18n, hosting.plan.table)}</summary>
                <div class="table-wrap">
                    <table>
                        <caption>{floor_name(floor, locale)}</caption>
                        <thead><tr>
                            <th scope="col">{t!(i18n, hosting.fields.unit)}</th>
                            <th scope="col">{t!(i18n, hosting.fields.area)}</th>
                            <th scope="col">{t!(i18n, hosting.leases.status)}</th>
                        </tr></thead>
                        <tbody>
                            {p.units.iter().map(|u| view! {
                                <tr>
                                    <th scope="row"><a href=unit_href(u)>{u.name.clone()}</a> " · " {labels::space_kind(locale, u.kind)}</th>
                                    <td class="number">{format::area(i64::from(u.area_m2), locale)}</td>
                                    <td>{status_text(locale, u)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
            {(!p.unplaced.is_empty()).then(|| view! {
                <p class="hint">{td_string!(locale, hosting.plan.unplaced, units = p.unplaced.iter().map(|u| u.name.clone()).collect::<Vec<_>>().join(", ")).to_string()}</p>
            })}
            <h2>{t!(i18n, hosting.plan.place)}</h2>
            <p class="hint">{t!(i18n, hosting.plan.place_hint)}</p>
            <ActionForm action=place attr:novalidate=true attr:class="stack">
                <FormError error fields=&["unit", "floor", "x", "y", "width", "height"]/>
                <SelectField label=tr!(i18n, hosting.fields.unit) name="unit" options=Signal::stored(units) error/>
                <div class="row">
                    <Field label=tr!(i18n, hosting.plan.floor) name="floor" input_type="number" value=Signal::stored(floor.to_string()) error/>
                    <Field label=tr!(i18n, hosting.plan.x) name="x" input_type="number" min="0" required=true error/>
                    <Field label=tr!(i18n, hosting.plan.y) name="y" input_type="number" min="0" required=true error/>
                </div>
                <div class="row">
                    <Field label=tr!(i18n, hosting.plan.width) name="width" input_type="number" min="1" required=true error/>
                    <Field label=tr!(i18n, hosting.plan.height) name="height" input_type="number" min="1" required=true error/>
                </div>
                <button type="submit" class="button">{t!(i18n, hosting.plan.place_submit)}</button>
            </ActionForm>
        </section>
    }
}

fn floor_name(floor: i32, locale: Locale) -> String {
    if floor == 0 {
        td_string!(locale, hosting.plan.ground).to_string()
    } else {
        td_string!(locale, hosting.plan.floor_n, n = floor).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spaces::model::SpaceKind;

    #[test]
    fn the_plan_escapes_names_and_links_each_unit() {
        let unit = PlanUnit {
            id: 7,
            code: "BUR-07".into(),
            name: "Bureau <07>".into(),
            kind: SpaceKind::Office,
            area_m2: 15,
            floor: 1,
            x: 10,
            y: 20,
            width: 30,
            height: 50,
            status: PlanStatus::Let,
            holder: Some("A & B".into()),
            lease_id: Some(3),
            application_id: None,
            free_from: None,
        };
        let p = FloorPlan {
            floor: 1,
            floors: vec![1],
            units: vec![unit],
            all_units: vec![],
            unplaced: vec![],
        };
        let svg = plan_svg(&p, Locale::en);
        assert!(svg.contains(r#"href="/baux/3""#));
        assert!(svg.contains(r#"class="unit let""#));
        assert!(svg.contains("Bureau &lt;07&gt;"));
        assert!(svg.contains("A &amp; B"));
        assert!(svg.contains(">07</text>"));
        assert!(svg.contains(r#"viewBox="0 0 50 80""#));
    }
}
